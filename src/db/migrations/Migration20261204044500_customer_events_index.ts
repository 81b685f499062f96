import { Migration } from '@mikro-orm/migrations';

/**
 * What customers did in a period (their ratings for the team figures): their own events, few
 * among all. The predicate names the actor, not the new event types: on a fresh database this
 * runs in the transaction that added them, and PostgreSQL lets no statement there use them.
 */
export class Migration20261204044500 extends Migration {

  override name = 'Migration20261204044500';

  override up(): void | Promise<void> {
    this.addSql(`create index "ticket_events_by_customers_idx" on "ticket_events" ("created_at") where "actor_id" = 'customer';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "ticket_events_by_customers_idx";`);
  }

}
