import { Migration } from '@mikro-orm/migrations';

/**
 * What the chat adapter keeps: the groups the bot serves, /创建工单 dialogues waiting for an answer,
 * the inbound messages already processed, and the outbox's new kinds (the new-ticket card and the
 * short line a changed ticket's group receives). The ticket announcer starts after the events
 * already in the log: tickets from before the chat existed are not news to announce.
 */
export class Migration20261204004059 extends Migration {

  override name = 'Migration20261204004059';

  override up(): void | Promise<void> {
    this.addSql(`create table "chat_dialogues" ("conversation" varchar(200) not null, "user_id" varchar(64) not null, "state" jsonb not null, "expires_at" timestamptz not null, primary key ("conversation", "user_id"));`);
    this.addSql(`create index "chat_dialogues_expires_at_idx" on "chat_dialogues" ("expires_at");`);

    this.addSql(`create table "chat_groups" ("chat_id" varchar(128) not null, "registered_by" varchar(64) not null, "registered_at" timestamptz not null, primary key ("chat_id"));`);

    this.addSql(`create table "inbound_chat_messages" ("key" varchar(255) not null, "received_at" timestamptz not null, "reply" text null, "ticket_id" int null, primary key ("key"));`);
    this.addSql(`create index "inbound_chat_messages_received_at_idx" on "inbound_chat_messages" ("received_at");`);

    this.addSql(`alter type "notification_kind" add value if not exists 'NEW_TICKET' after 'ESCALATION';`);
    this.addSql(`alter type "notification_kind" add value if not exists 'TICKET_UPDATE' after 'NEW_TICKET';`);

    this.addSql(`insert into "event_log_consumers" ("name", "tx_id", "event_id", "updated_at")
      select 'ticket-announcer', "tx_id", "id", now() from "ticket_events" order by "tx_id" desc, "id" desc limit 1
      on conflict ("name") do nothing;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "event_log_consumers" where "name" = 'ticket-announcer';`);
    this.addSql(`drop table if exists "chat_dialogues" cascade;`);
    this.addSql(`drop table if exists "chat_groups" cascade;`);
    this.addSql(`drop table if exists "inbound_chat_messages" cascade;`);
  }

}
