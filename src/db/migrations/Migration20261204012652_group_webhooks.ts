import { Migration } from '@mikro-orm/migrations';

/** The group robot webhooks (群机器人) the service posts to, and whether WeCom still accepts their keys. */
export class Migration20261204012652 extends Migration {

  override name = 'Migration20261204012652';

  override up(): void | Promise<void> {
    this.addSql(`create table "group_webhooks" ("conversation" varchar(200) not null, "url" text not null, "dead_at" timestamptz null, "last_error" text null, "updated_at" timestamptz not null, primary key ("conversation"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "group_webhooks" cascade;`);
  }

}
