import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Customer, Reminder, Ticket, TicketEvent } from '../db/entities/index.js';

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
async function loadRecentTickets(em: EntityManager, keys: readonly RecentTicketsKey[]): Promise<Ticket[][]> {
  const limit = Math.max(...keys.map((k) => k.first));
  const customerIds = [...new Set(keys.map((k) => k.customerId))];
  const rows: Record<string, unknown>[] = await em.getConnection().execute(
    `select * from (select t.*, row_number() over (partition by t.customer_id order by t.id desc) as rank
       from tickets t where t.customer_id in (${customerIds.map(() => '?').join(', ')})) ranked
     where rank <= ? order by customer_id, id desc`,
    [...customerIds, limit],
  );
  const tickets = rows.map(({ rank: _rank, ...row }) => em.map(Ticket, row));
  const byCustomer = groupBy(customerIds, tickets, (t) => t.customer.id);
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
    ticketEvents: new DataLoader<number, TicketEvent[]>(async (ticketIds) =>
      groupBy(ticketIds, await em.find(TicketEvent, { ticket: { $in: [...ticketIds] } }, { orderBy: { id: 'asc' } }), (e) => e.ticket.id),
    ),
    ticketReminders: new DataLoader<number, Reminder[]>(async (ticketIds) =>
      groupBy(ticketIds, await em.find(Reminder, { ticket: { $in: [...ticketIds] } }, { orderBy: { ticket: 'asc', sequence: 'asc' } }), (r) => r.ticket.id),
    ),
    recentTickets: new DataLoader<RecentTicketsKey, Ticket[], string>((keys) => loadRecentTickets(em, keys), {
      cacheKeyFn: (k) => `${k.customerId}:${k.first}`,
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
