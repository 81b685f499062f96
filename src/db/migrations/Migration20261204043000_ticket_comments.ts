import { Migration } from '@mikro-orm/migrations';

/**
 * Talking with the customer: replies and internal notes (COMMENTED), the customer's follow-up
 * notes (CUSTOMER_NOTE) and ratings (RATED) are events; their status links have versions.
 */
export class Migration20261204043000 extends Migration {

  override name = 'Migration20261204043000';

  override up(): void | Promise<void> {
    this.addSql(`alter type "ticket_event_type" add value if not exists 'COMMENTED';`);
    this.addSql(`alter type "ticket_event_type" add value if not exists 'CUSTOMER_NOTE';`);
    this.addSql(`alter type "ticket_event_type" add value if not exists 'RATED';`);
    this.addSql(`create table "customer_status_links" ("ticket_id" int not null, "version" int not null, "revoked_by" varchar(64) not null, "revoked_at" timestamptz not null, constraint "customer_status_links_pkey" primary key ("ticket_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "customer_status_links" cascade;`);
    // PostgreSQL cannot drop a value from an enum type; an unused value is harmless.
  }

}
