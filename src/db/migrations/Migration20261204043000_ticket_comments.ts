import { Migration } from '@mikro-orm/migrations';

/** Comments on tickets: replies to the customer and internal notes are COMMENTED events. */
export class Migration20261204043000 extends Migration {

  override name = 'Migration20261204043000';

  override up(): void | Promise<void> {
    this.addSql(`alter type "ticket_event_type" add value if not exists 'COMMENTED';`);
  }

  override down(): void | Promise<void> {
    // PostgreSQL cannot drop a value from an enum type; an unused value is harmless.
  }

}
