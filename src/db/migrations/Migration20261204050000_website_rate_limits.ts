import { Migration } from '@mikro-orm/migrations';

/**
 * The website submissions' rate limits (rate-limiter-flexible's PostgreSQL store, its own table
 * layout), shared by every instance. Created here, not by the library at start-up, so two
 * instances starting at once on an empty database never race to create it.
 */
export class Migration20261204050000 extends Migration {

  override name = 'Migration20261204050000';

  override up(): void | Promise<void> {
    this.addSql(`create table "website_rate_limits" ("key" varchar(255) not null, "points" integer not null default 0, "expire" bigint null, constraint "website_rate_limits_pkey" primary key ("key"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "website_rate_limits";`);
  }

}
