import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, Notification, Reminder, Staff, Ticket, TicketEvent } from '../db/entities/index.js';
import type { CustomerRecord, NotificationRecord, ReminderRecord, TicketEventRecord, TicketRecord } from '../domain/records.js';
import { TicketEventType } from '../domain/ticket-event.js';

/** How many of the customer's other tickets the detail page lists. */
export const RECENT_TICKETS = 5;

/** A reminder with how its message fared in the outbox. */
export interface ReminderDetail extends ReminderRecord {
  readonly notification: Pick<NotificationRecord, 'status' | 'channel' | 'sentAt'> | null;
}

/** Everything the 查看详情 page shows of one ticket. */
export interface TicketDetail {
  readonly ticket: TicketRecord;
  /** null if the customer row is gone. */
  readonly customer: CustomerRecord | null;
  /** The audit trail, oldest first. */
  readonly events: readonly TicketEventRecord[];
  /** In order of their sequence. */
  readonly reminders: readonly ReminderDetail[];
  /** The customer's latest other tickets, newest first (at most RECENT_TICKETS). */
  readonly recentTickets: readonly TicketRecord[];
  /** Display names of the staff the trail and the reminders name by userid (assignees, people called). */
  readonly staffNames: ReadonlyMap<string, string>;
}

/**
 * One ticket with its customer, trail, reminders and the customer's recent tickets, read through
 * the repositories the GraphQL API reads them with (Ticket.events, Ticket.reminders,
 * Customer.recentTickets); null when there is no such ticket.
 */
export async function loadTicketDetail(em: EntityManager, id: number): Promise<TicketDetail | null> {
  const ticket = await em.getRepository(Ticket).findRecord(id);
  if (!ticket) return null;
  const [customer, events, reminders, recent] = await Promise.all([
    em.getRepository(Customer).findRecord(ticket.customerId),
    em.getRepository(TicketEvent).findByTickets([id]),
    em.getRepository(Reminder).findByTickets([id]),
    em.getRepository(Ticket).findRecentByCustomers([ticket.customerId], RECENT_TICKETS + 1),
  ]);
  const notificationIds = reminders.map((r) => r.notificationId).filter((n): n is string => n !== null);
  const assignees = events.filter((e) => e.type === TicketEventType.ASSIGNED).flatMap((e) => [e.fromValue, e.toValue]);
  const named = [...new Set([...assignees, ...reminders.flatMap((r) => r.mentionedUserIds)].filter((u): u is string => u !== null))];
  const [notifications, staff] = await Promise.all([
    em.getRepository(Notification).findByIds(notificationIds),
    named.length === 0 ? [] : em.find(Staff, { userId: { $in: named } }, { fields: ['userId', 'name'], disableIdentityMap: true }),
  ]);
  const byId = new Map(notifications.map((n) => [n.id, n]));
  return {
    ticket,
    customer,
    events,
    reminders: reminders.map((r) => {
      const n = r.notificationId === null ? undefined : byId.get(r.notificationId);
      return { ...r, notification: n ? { status: n.status, channel: n.channel, sentAt: n.sentAt } : null };
    }),
    recentTickets: recent.filter((t) => t.id !== id).slice(0, RECENT_TICKETS),
    staffNames: new Map(staff.map((s) => [s.userId, s.name])),
  };
}
