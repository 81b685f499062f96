import { Migration } from '@mikro-orm/migrations';

export class Migration20261126090455 extends Migration {

  override name = 'Migration20261126090455';

  override up(): void | Promise<void> {
    this.addSql(`drop index "tickets_assigned_to_status_idx";`);
    this.addSql(`drop index "tickets_group_message_id_idx";`);
    this.addSql(`create index "tickets_group_message_idx" on "tickets" ("group_message_id") where "group_message_id" is not null;`);
    this.addSql(`create index "tickets_assignee_idx" on "tickets" ("assigned_to", "status") where "assigned_to" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "tickets_group_message_idx";`);
    this.addSql(`drop index "tickets_assignee_idx";`);
    this.addSql(`create index "tickets_assigned_to_status_idx" on "tickets" ("assigned_to", "status");`);
    this.addSql(`create index "tickets_group_message_id_idx" on "tickets" ("group_message_id");`);
  }

}
