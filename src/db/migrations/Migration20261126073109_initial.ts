import { Migration } from '@mikro-orm/migrations';

export class Migration20261126073109 extends Migration {

  override name = 'Migration20261126073109';

  override up(): void | Promise<void> {
    // Trigram indexes serve the substring searches on names, titles and descriptions.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create type "staff_role" as enum ('AGENT', 'LEAD', 'ADMIN');`);
    this.addSql(`create type "ticket_status" as enum ('PENDING', 'ASSIGNED', 'PROCESSING', 'RESOLVED', 'CLOSED', 'ESCALATED', 'CANCELLED');`);
    this.addSql(`create type "ticket_priority" as enum ('LOW', 'NORMAL', 'HIGH', 'URGENT');`);
    this.addSql(`create type "reminder_channel" as enum ('GROUP_WEBHOOK', 'SMART_ROBOT', 'APP_MESSAGE');`);
    this.addSql(`create type "ticket_event_type" as enum ('CREATED', 'ASSIGNED', 'STATUS_CHANGED', 'PROGRESS_CHANGED', 'ESCALATED', 'REMINDED');`);
    this.addSql(`create table "customers" ("id" serial primary key, "name" varchar(100) not null, "phone" varchar(20) null, "company" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "customers_name_idx" on "customers" ("name");`);
    this.addSql(`alter table "customers" add constraint "customers_phone_unique" unique ("phone");`);
    this.addSql(`create index "customers_name_trgm_idx" on "customers" using gin ("name" gin_trgm_ops);`);

    this.addSql(`create table "staff" ("id" serial primary key, "user_id" varchar(64) not null, "name" varchar(100) not null, "aliases" text[] not null, "role" "staff_role" not null default 'AGENT', "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "staff" add constraint "staff_user_id_unique" unique ("user_id");`);
    this.addSql(`create index "staff_name_idx" on "staff" ("name");`);
    this.addSql(`create index "staff_aliases_idx" on "staff" using gin ("aliases");`);

    this.addSql(`create table "tickets" ("id" serial primary key, "title" varchar(200) not null, "description" text not null, "product" varchar(200) null, "status" "ticket_status" not null default 'PENDING', "priority" "ticket_priority" not null, "progress" smallint not null default 0, "customer_id" int not null, "assigned_to" varchar(64) null, "assigned_to_name" varchar(100) null, "deadline" timestamptz not null, "reminder_count" int not null default 0, "last_reminder_at" timestamptz null, "group_message_id" varchar(200) null, "source_chat_id" varchar(128) null, "created_by" varchar(64) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "resolved_at" timestamptz null, "closed_at" timestamptz null, "version" int not null default 1);`);
    this.addSql(`create index "tickets_group_message_id_idx" on "tickets" ("group_message_id");`);
    this.addSql(`create index "tickets_description_trgm_idx" on "tickets" using gin ("description" gin_trgm_ops);`);
    this.addSql(`create index "tickets_title_trgm_idx" on "tickets" using gin ("title" gin_trgm_ops);`);
    this.addSql(`create index "tickets_open_deadline_idx" on "tickets" ("deadline") where "status" in ('PENDING', 'ASSIGNED', 'PROCESSING', 'ESCALATED');`);
    this.addSql(`create index "tickets_customer_id_idx" on "tickets" ("customer_id", "id");`);
    this.addSql(`create index "tickets_assigned_to_status_idx" on "tickets" ("assigned_to", "status");`);
    this.addSql(`create index "tickets_status_priority_idx" on "tickets" ("status", "priority");`);

    this.addSql(`create table "reminders" ("id" serial primary key, "ticket_id" int not null, "sequence" int not null, "sent_at" timestamptz not null, "mentioned_user_ids" text[] not null, "mention_all" boolean not null default false, "channel" "reminder_channel" not null);`);
    this.addSql(`alter table "reminders" add constraint "reminders_ticket_sequence_unique" unique ("ticket_id", "sequence");`);

    this.addSql(`create table "ticket_events" ("id" bigserial primary key, "ticket_id" int not null, "type" "ticket_event_type" not null, "actor_id" varchar(64) not null, "actor_name" varchar(100) null, "from_value" varchar(200) null, "to_value" varchar(200) null, "note" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "ticket_events_ticket_id_idx" on "ticket_events" ("ticket_id", "id");`);

    this.addSql(`alter table "tickets" add constraint "tickets_customer_id_foreign" foreign key ("customer_id") references "customers" ("id");`);

    this.addSql(`alter table "reminders" add constraint "reminders_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);

    this.addSql(`alter table "ticket_events" add constraint "ticket_events_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tickets" drop constraint "tickets_customer_id_foreign";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_ticket_id_foreign";`);
    this.addSql(`alter table "ticket_events" drop constraint "ticket_events_ticket_id_foreign";`);

    this.addSql(`drop table if exists "customers" cascade;`);
    this.addSql(`drop table if exists "staff" cascade;`);
    this.addSql(`drop table if exists "tickets" cascade;`);
    this.addSql(`drop table if exists "reminders" cascade;`);
    this.addSql(`drop table if exists "ticket_events" cascade;`);

    this.addSql(`drop type "staff_role";`);
    this.addSql(`drop type "ticket_status";`);
    this.addSql(`drop type "ticket_priority";`);
    this.addSql(`drop type "reminder_channel";`);
    this.addSql(`drop type "ticket_event_type";`);
  }

}
