import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { NotificationRecord, ReminderRecord, TicketEventRecord, TicketRecord } from '../domain/records.js';
import { Customer, Notification, Reminder, Ticket, TicketEvent } from '../db/entities/index.js';
import { statusLinkVersions } from '../tickets/status-links.js';

function groupBy<T>(keys: readonly number[], items: readonly T[], keyOf: (item: T) => number): T[][] {
  const groups = new Map<number, T[]>(keys.map((k) => [k, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return keys.map((k) => groups.get(k)!);
}

interface RecentTicketsKey {
  readonly customerId: number;
  readonly first: number;
}

/** The latest `first` tickets of each customer, newest first, in one query for all customers. */
async function loadRecentTickets(em: EntityManager, keys: readonly RecentTicketsKey[]): Promise<TicketRecord[][]> {
  const customerIds = [...new Set(keys.map((k) => k.customerId))];
  const tickets = await em.getRepository(Ticket).findRecentByCustomers(customerIds, Math.max(...keys.map((k) => k.first)));
  const byCustomer = groupBy(customerIds, tickets, (t) => t.customerId);
  return keys.map((k) => byCustomer[customerIds.indexOf(k.customerId)]!.slice(0, k.first));
}

/** Per-request batching, so a page of tickets with their relations costs a constant number of queries. */
export function createLoaders(em: EntityManager) {
  return {
    customer: new DataLoader<number, Customer | undefined>(async (ids) => {
      const found = await em.find(Customer, { id: { $in: [...ids] } });
      const byId = new Map(found.map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id));
    }),
    ticketEvents: new DataLoader<number, TicketEventRecord[]>(async (ticketIds) =>
      groupBy(ticketIds, await em.getRepository(TicketEvent).findByTickets(ticketIds), (e) => e.ticketId),
    ),
    ticketReminders: new DataLoader<number, ReminderRecord[]>(async (ticketIds) =>
      groupBy(ticketIds, await em.getRepository(Reminder).findByTickets(ticketIds), (r) => r.ticketId),
    ),
    notification: new DataLoader<string, NotificationRecord | undefined>(async (ids) => {
      const byId = new Map((await em.getRepository(Notification).findByIds(ids)).map((n) => [n.id, n]));
      return ids.map((id) => byId.get(id));
    }),
    statusLinkVersion: new DataLoader<number, number>((ticketIds) => statusLinkVersions(em, ticketIds)),
    recentTickets: new DataLoader<RecentTicketsKey, TicketRecord[], string>((keys) => loadRecentTickets(em, keys), {
      cacheKeyFn: (k) => `${k.customerId}:${k.first}`,
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
