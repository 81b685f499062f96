import { Migration } from '@mikro-orm/migrations';

/**
 * Makes ticket_events a log that subscribers can follow: each event records the transaction that
 * wrote it (its position is (tx_id, id), stable once the transaction has finished) and the ticket
 * as it was right after the change.
 */
export class Migration20261126100000 extends Migration {

  override name = 'Migration20261126100000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "ticket_events" add column "tx_id" xid8 not null default pg_current_xact_id();`);
    this.addSql(`alter table "ticket_events" add column "ticket_after" jsonb null;`);
    // Events written before this migration get the ticket as it is now: the closest record there is.
    this.addSql(`update "ticket_events" e set "ticket_after" = jsonb_build_object(
      'id', t."id", 'title', t."title", 'description', t."description", 'product', t."product", 'status', t."status",
      'priority', t."priority", 'progress', t."progress", 'customerId', t."customer_id", 'assignedTo', t."assigned_to",
      'assignedToName', t."assigned_to_name", 'deadline', t."deadline", 'reminderCount', t."reminder_count",
      'lastReminderAt', t."last_reminder_at", 'groupMessageId', t."group_message_id", 'sourceChatId', t."source_chat_id",
      'createdBy', t."created_by", 'createdAt', t."created_at", 'updatedAt', t."updated_at", 'resolvedAt', t."resolved_at",
      'closedAt', t."closed_at", 'version', t."version")
      from "tickets" t where t."id" = e."ticket_id";`);
    this.addSql(`alter table "ticket_events" alter column "ticket_after" set not null;`);
    this.addSql(`create index "ticket_events_position_idx" on "ticket_events" ("tx_id", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "ticket_events_position_idx";`);
    this.addSql(`alter table "ticket_events" drop column "ticket_after";`);
    this.addSql(`alter table "ticket_events" drop column "tx_id";`);
  }

}
