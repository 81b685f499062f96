import { Migration } from '@mikro-orm/migrations';

/**
 * The customer service report and the team figures (issue 16): a customer's tickets by creation
 * time; resolutions, reopenings and reminders by ticket or by when they happened (partial indexes:
 * no other event is written to them).
 */
export class Migration20261204032552 extends Migration {

  override name = 'Migration20261204032552';

  override up(): void | Promise<void> {
    this.addSql(`create index "tickets_customer_created_idx" on "tickets" ("customer_id", "created_at");`);

    this.addSql(`create index "ticket_events_reminded_idx" on "ticket_events" ("created_at") where "type" = 'REMINDED';`);
    this.addSql(`create index "ticket_events_reopened_idx" on "ticket_events" ("ticket_id", "created_at", "id") where "type" = 'STATUS_CHANGED' and "from_value" = 'RESOLVED' and "to_value" = 'PROCESSING';`);
    this.addSql(`create index "ticket_events_resolved_idx" on "ticket_events" ("created_at") where "type" = 'STATUS_CHANGED' and "to_value" = 'RESOLVED';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "ticket_events_reminded_idx";`);
    this.addSql(`drop index "ticket_events_reopened_idx";`);
    this.addSql(`drop index "ticket_events_resolved_idx";`);

    this.addSql(`drop index "tickets_customer_created_idx";`);
  }

}
