import { Migration } from '@mikro-orm/migrations';

export class Migration20261126090050 extends Migration {

  override name = 'Migration20261126090050';

  override up(): void | Promise<void> {
    this.addSql(`drop index "tickets_description_trgm_idx";`);
    this.addSql(`drop index "tickets_title_trgm_idx";`);
    this.addSql(`create index "tickets_text_trgm_idx" on "tickets" using gin (("title" || ' ' || "description") gin_trgm_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "tickets_text_trgm_idx";`);
    this.addSql(`create index "tickets_description_trgm_idx" on "tickets" using gin ("description" gin_trgm_ops);`);
    this.addSql(`create index "tickets_title_trgm_idx" on "tickets" using gin ("title" gin_trgm_ops);`);
  }

}
