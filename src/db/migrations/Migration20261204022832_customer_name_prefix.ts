import { Migration } from '@mikro-orm/migrations';

/** Looking customers up by the start of their name (history lookups, /查询工单 客户张). */
export class Migration20261204022832 extends Migration {

  override name = 'Migration20261204022832';

  override up(): void | Promise<void> {
    this.addSql(`create index "customers_name_prefix_idx" on "customers" ("name" varchar_pattern_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "customers_name_prefix_idx";`);
  }

}
