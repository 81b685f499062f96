import { EntityRepository } from '@mikro-orm/postgresql';
import type { NotificationDraft } from '../../domain/notification.js';
import type { ReminderRecord, TicketEventRecord, TicketRecord } from '../../domain/records.js';
import type { Actor } from '../../domain/ticket-event.js';
import type { TicketStatus } from '../../domain/ticket-status.js';
import { Reminder } from '../entities/reminder.entity.js';
import type { PreparedStatements } from '../prepared-statements.js';
import { NOTIFICATION_SQL } from './notification.repository.js';
import { EntitySql } from './sql.js';
import { EVENT_LOG_SQL, EVENT_SQL, type NewTicketEvent } from './ticket-event.repository.js';
import { TICKET_SQL } from './ticket.repository.js';

export const REMINDER_SQL = new EntitySql<ReminderRecord>(() => Reminder, {
  id: 'id',
  ticketId: 'ticket',
  sequence: 'sequence',
  sentAt: 'sentAt',
  mentionedUserIds: 'mentionedUserIds',
  mentionAll: 'mentionAll',
  notificationId: 'notification',
});

/** Everything one deadline reminder writes (see recordReminder). */
export interface ReminderWrite {
  /** The ticket as it was read: written only if it is still at this version. */
  readonly ticket: Pick<TicketRecord, 'id' | 'version'>;
  readonly sequence: number;
  readonly at: Date;
  /** The ticket's new status (escalation), if it changes. */
  readonly status?: TicketStatus;
  readonly mentionedUserIds: readonly string[];
  readonly mentionAll: boolean;
  /** The messages for people; the first is the reminder's own. */
  readonly notifications: readonly NotificationDraft[];
  readonly events: readonly Pick<NewTicketEvent, 'type' | 'fromValue' | 'toValue' | 'note'>[];
  readonly actor: Actor;
}

export class ReminderRepository extends EntityRepository<Reminder> {
  /**
   * Records deadline reminders of several tickets as one statement (a data-modifying CTE, atomic
   * by itself): each ticket's reminder count, time and status, its messages in the outbox, its
   * Reminder row and its events, each event with the ticket as it now is. A ticket that changed
   * since it was read is left out whole (the caller reads it again and decides anew). It stands
   * alone, so it runs as a prepared statement: when deadlines bunch up, the reminders of all the
   * deadline jobs running at once share this one statement and the read before it.
   */
  async recordReminders(writes: readonly ReminderWrite[], prepared: PreparedStatements): Promise<Map<number, { ticket: TicketRecord; events: TicketEventRecord[] }>> {
    const { em } = this;
    const ticket = (key: keyof TicketRecord & string) => TICKET_SQL.column(em, key);
    const outbox = (key: Parameters<typeof NOTIFICATION_SQL.column>[1]) => NOTIFICATION_SQL.column(em, key);
    const reminder = (key: keyof ReminderRecord & string) => REMINDER_SQL.column(em, key);
    const event = (key: keyof TicketEventRecord & string) => EVENT_SQL.column(em, key);
    const rows = await prepared.rows(
      `with input as (
         select * from jsonb_to_recordset(?::jsonb) as i(in_ticket int, in_version int, in_sequence int, in_status text, in_at timestamptz,
           in_mentioned jsonb, in_mention_all boolean, in_key text)),
       t as (
         update ${TICKET_SQL.table(em)} set ${ticket('reminderCount')} = i.in_sequence, ${ticket('lastReminderAt')} = i.in_at,
           ${ticket('status')} = coalesce(i.in_status::ticket_status, ${TICKET_SQL.table(em)}.${ticket('status')}), ${ticket('updatedAt')} = i.in_at,
           "version" = ${TICKET_SQL.table(em)}."version" + 1
         from input i where ${TICKET_SQL.table(em)}."id" = any(?::int[]) and ${TICKET_SQL.table(em)}."id" = i.in_ticket and ${TICKET_SQL.table(em)}."version" = i.in_version
         returning ${TICKET_SQL.select(em)}),
       n as (
         insert into ${NOTIFICATION_SQL.table(em)} (${outbox('idempotencyKey')}, ${outbox('kind')}, ${outbox('ticketId')}, ${outbox('conversation')}, ${outbox('text')},
           ${outbox('mentions')}, ${outbox('mentionAll')}, ${outbox('nextAttemptAt')}, ${outbox('createdAt')}, ${outbox('updatedAt')})
         select d.key, d.kind::notification_kind, t."id", d.conversation, d.text, array(select jsonb_array_elements_text(d.mentions)), d.mention_all, d.at, d.at, d.at
         from jsonb_to_recordset(?::jsonb) as d(ord int, ticket int, key text, kind text, conversation text, text text, mentions jsonb, mention_all boolean, at timestamptz)
         join t on t."id" = d.ticket order by d.ord
         on conflict (${outbox('idempotencyKey')}) do nothing
         returning ${outbox('id')} as "id", ${outbox('idempotencyKey')} as "key"),
       r as (
         insert into ${REMINDER_SQL.table(em)} (${reminder('ticketId')}, ${reminder('sequence')}, ${reminder('sentAt')}, ${reminder('mentionedUserIds')}, ${reminder('mentionAll')}, ${reminder('notificationId')})
         select t."id", i.in_sequence, i.in_at, array(select jsonb_array_elements_text(i.in_mentioned)), i.in_mention_all, (select n."id" from n where n."key" = i.in_key)
         from input i join t on t."id" = i.in_ticket
         on conflict (${reminder('ticketId')}, ${reminder('sequence')}) do nothing
         returning 1),
       e as (
         insert into ${EVENT_SQL.table(em)} (${event('ticketId')}, ${event('type')}, ${event('actorId')}, ${event('actorName')}, ${event('fromValue')}, ${event('toValue')},
           ${event('note')}, ${event('createdAt')}, ${EVENT_LOG_SQL.column(em, 'ticketAfter')})
         select t."id", v.type::ticket_event_type, v.actor_id, v.actor_name, v.from_value, v.to_value, v.note, v.at, to_jsonb(t)
         from jsonb_to_recordset(?::jsonb) as v(ord int, ticket int, type text, actor_id text, actor_name text, from_value text, to_value text, note text, at timestamptz)
         join t on t."id" = v.ticket order by v.ord
         returning ${EVENT_SQL.select(em)})
       select e.*, to_jsonb(t) as "ticketAfter" from e join t on t."id" = e."ticketId" order by e."id"`,
      [
        JSON.stringify(writes.map((w) => ({
          in_ticket: w.ticket.id, in_version: w.ticket.version, in_sequence: w.sequence, in_status: w.status ?? null, in_at: w.at,
          in_mentioned: w.mentionedUserIds, in_mention_all: w.mentionAll, in_key: w.notifications[0]?.idempotencyKey ?? null,
        }))),
        // The same tickets as a list: the planner then reads them by primary key (a record set is a black box to it).
        writes.map((w) => w.ticket.id),
        JSON.stringify(writes.flatMap((w) => w.notifications.map((d) => ({
          ticket: w.ticket.id, key: d.idempotencyKey, kind: d.kind, conversation: d.conversation, text: d.text, mentions: d.mentions, mention_all: d.mentionAll, at: w.at,
        }))).map((row, ord) => ({ ...row, ord }))),
        JSON.stringify(writes.flatMap((w) => w.events.map((e) => ({
          ticket: w.ticket.id, type: e.type, actor_id: w.actor.userId, actor_name: w.actor.name ?? null, from_value: e.fromValue, to_value: e.toValue, note: e.note, at: w.at,
        }))).map((row, ord) => ({ ...row, ord }))),
      ],
    );
    const recorded = new Map<number, { ticket: TicketRecord; events: TicketEventRecord[] }>();
    for (const { ticketAfter, ...row } of rows) {
      const eventRecord = EVENT_SQL.revive(em, { ...row, id: String(row['id']) });
      const entry = recorded.get(eventRecord.ticketId) ?? { ticket: TICKET_SQL.revive(em, ticketAfter as Record<string, unknown>), events: [] };
      entry.events.push(eventRecord);
      recorded.set(eventRecord.ticketId, entry);
    }
    return recorded;
  }

  findByTickets(ticketIds: readonly number[]): Promise<ReminderRecord[]> {
    const ticket = REMINDER_SQL.column(this.em, 'ticketId');
    return REMINDER_SQL.many(
      this.em,
      `select ${REMINDER_SQL.select(this.em)} from ${REMINDER_SQL.table(this.em)} where ${ticket} in (?) order by ${ticket}, ${REMINDER_SQL.column(this.em, 'sequence')}`,
      [[...ticketIds]],
    );
  }
}
