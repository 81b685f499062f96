import { Migration } from '@mikro-orm/migrations';

/** Private messages to a ticket's new assignee (the self-built app). */
export class Migration20261204013340 extends Migration {

  override name = 'Migration20261204013340';

  override up(): void | Promise<void> {
    this.addSql(`alter type "notification_kind" add value if not exists 'ASSIGNMENT' after 'TICKET_UPDATE';`);
  }

}
