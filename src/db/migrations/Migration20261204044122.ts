import { Migration } from '@mikro-orm/migrations';

export class Migration20261204044122 extends Migration {

  override name = 'Migration20261204044122';

  override up(): void | Promise<void> {
    this.addSql(`drop table if exists "website_rate_limits" cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table "website_rate_limits" ("key" varchar(255) not null, "points" int4 not null default 0, "expire" int8 null, primary key ("key"));`);
  }

}
