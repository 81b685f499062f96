import { Migration } from '@mikro-orm/migrations';

/**
 * Ticket rows are updated in place often (every reminder sets the reminder count and time),
 * and no index covers those columns: with room left on each page PostgreSQL updates such a row
 * on the same page without touching any index (a HOT update), notably not the trigram index of
 * the text. Pages written from now on keep 15 % free.
 */
export class Migration20261202160000 extends Migration {

  override name = 'Migration20261202160000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tickets" set (fillfactor = 85);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tickets" reset (fillfactor);`);
  }

}
