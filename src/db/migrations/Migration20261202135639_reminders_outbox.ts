import { Migration } from '@mikro-orm/migrations';

/**
 * Deadline reminders and the notification outbox: the outbox itself, what the development channel
 * delivered, durable positions of event-log consumers, a reminder's link to its message (the
 * channel that delivered it is the message's), and the deadline events.
 */
export class Migration20261202135639 extends Migration {

  override name = 'Migration20261202135639';

  override up(): void | Promise<void> {
    this.addSql(`create type "notification_kind" as enum ('DEADLINE_WARNING', 'REMINDER', 'ESCALATION');`);
    this.addSql(`create type "notification_status" as enum ('PENDING', 'SENT', 'DEAD', 'CANCELLED');`);
    this.addSql(`create type "delivery_channel" as enum ('DEV', 'SMART_ROBOT', 'GROUP_WEBHOOK', 'APP_MESSAGE');`);
    this.addSql(`create table "dev_channel_messages" ("id" bigserial primary key, "idempotency_key" varchar(200) not null, "conversation" varchar(200) not null, "text" text not null, "mentions" text[] not null, "mention_all" boolean not null default false, "delivered_at" timestamptz not null);`);
    this.addSql(`alter table "dev_channel_messages" add constraint "dev_channel_messages_idempotency_key_unique" unique ("idempotency_key");`);

    this.addSql(`create table "event_log_consumers" ("name" varchar(64) not null, "tx_id" xid8 not null, "event_id" bigint not null, "updated_at" timestamptz not null, primary key ("name"));`);

    this.addSql(`create table "notifications" ("id" bigserial primary key, "idempotency_key" varchar(200) not null, "kind" "notification_kind" not null, "ticket_id" int null, "conversation" varchar(200) not null, "text" text not null, "mentions" text[] not null, "mention_all" boolean not null default false, "status" "notification_status" not null default 'PENDING', "attempts" smallint not null default 0, "next_attempt_at" timestamptz not null, "last_error" text null, "channel" "delivery_channel" null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "sent_at" timestamptz null);`);
    this.addSql(`alter table "notifications" add constraint "notifications_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "notifications_status_idx" on "notifications" ("status", "id");`);
    this.addSql(`create index "notifications_ticket_idx" on "notifications" ("ticket_id", "id") where "ticket_id" is not null;`);
    this.addSql(`create index "notifications_waiting_idx" on "notifications" ("next_attempt_at") include ("conversation", "id") where "status" = 'PENDING';`);

    this.addSql(`alter table "reminders" drop column "channel";`);
    this.addSql(`alter table "reminders" add "notification_id" bigint null;`);
    this.addSql(`alter table "reminders" add constraint "reminders_notification_id_foreign" foreign key ("notification_id") references "notifications" ("id") on delete set null;`);

    this.addSql(`alter type "ticket_event_type" add value if not exists 'DEADLINE_PASSED' after 'REMINDED';`);
    this.addSql(`alter type "ticket_event_type" add value if not exists 'DEADLINE_CHANGED' after 'DEADLINE_PASSED';`);

    this.addSql(`alter table "notifications" add constraint "notifications_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);

    this.addSql(`drop type "reminder_channel";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create type "reminder_channel" as enum ('GROUP_WEBHOOK', 'SMART_ROBOT', 'APP_MESSAGE');`);
    this.addSql(`alter table "reminders" drop constraint "reminders_notification_id_foreign";`);

    this.addSql(`drop table if exists "dev_channel_messages" cascade;`);
    this.addSql(`drop table if exists "event_log_consumers" cascade;`);
    this.addSql(`drop table if exists "notifications" cascade;`);

    this.addSql(`alter table "reminders" drop column "notification_id";`);
    this.addSql(`alter table "reminders" add "channel" "reminder_channel" not null;`);

    this.addSql(`drop type "notification_kind";`);
    this.addSql(`drop type "notification_status";`);
    this.addSql(`drop type "delivery_channel";`);
  }

}
