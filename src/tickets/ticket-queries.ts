import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../domain/errors.js';
import type { Priority } from '../domain/priority.js';
import { summarizeTickets, type TicketStats } from '../domain/ticket-stats.js';
import type { TicketRecord } from '../domain/records.js';
import { OPEN_STATUSES, type TicketStatus } from '../domain/ticket-status.js';
import { Ticket } from '../db/entities/index.js';
import { TICKET_TEXT } from '../db/entities/ticket.entity.js';
import { ticketRecordOf } from '../db/repositories/ticket.repository.js';
import type { PreparedStatements } from '../db/prepared-statements.js';
import { containsPattern, paginate, prefixPattern, type Page, type PageRequest } from '../db/pagination.js';

export interface TicketFilter {
  readonly status?: readonly TicketStatus[] | null;
  readonly priority?: readonly Priority[] | null;
  /** WeCom userid of the assignee. */
  readonly assignee?: string | null;
  readonly customerId?: number | null;
  /** The customer's name, exactly. */
  readonly customerName?: string | null;
  /** The start of the customer's name ("张" finds 张三 and 张三丰; no fuzzy matching of Chinese names). */
  readonly customerNamePrefix?: string | null;
  /** The customer's phone, normalised (see normalizePhone). */
  readonly customerPhone?: string | null;
  /** true: open tickets past their deadline; false: everything else. */
  readonly overdue?: boolean | null;
  /** Substring of the title or description. */
  readonly text?: string | null;
}

export function ticketWhere(filter: TicketFilter, now: Date): FilterQuery<Ticket> {
  const where: FilterQuery<Ticket>[] = [];
  if (filter.status?.length) where.push({ status: { $in: [...filter.status] } });
  if (filter.priority?.length) where.push({ priority: { $in: [...filter.priority] } });
  if (filter.assignee) where.push({ assignedTo: filter.assignee });
  if (filter.customerId) where.push({ customer: filter.customerId });
  if (filter.customerName) where.push({ customer: { name: filter.customerName } });
  const namePrefix = prefixPattern(filter.customerNamePrefix, 'customerNamePrefix');
  if (namePrefix) where.push({ customer: { name: { $like: namePrefix } } });
  if (filter.customerPhone) where.push({ customer: { phone: filter.customerPhone } });
  if (filter.overdue === true) where.push({ deadline: { $lt: now }, status: { $in: [...OPEN_STATUSES] } });
  if (filter.overdue === false) where.push({ $or: [{ deadline: { $gte: now } }, { status: { $nin: [...OPEN_STATUSES] } }] });
  const pattern = containsPattern(filter.text);
  if (pattern) where.push({ [raw(TICKET_TEXT)]: { $ilike: pattern } });
  return where.length ? { $and: where } : {};
}

export async function findTickets(em: EntityManager, filter: TicketFilter, page: PageRequest, now: Date): Promise<Page<TicketRecord>> {
  const found = await paginate(em, Ticket, ticketWhere(filter, now), page);
  return { ...found, items: found.items.map(({ node, cursor }) => ({ node: ticketRecordOf(node), cursor })) };
}

const ticketNotFound = (id: number) => notFound(`工单 #${id} 不存在`, `Ticket #${id} does not exist`, { id });

/** Only the given fields of a ticket, read outside any transaction as a prepared statement. */
export async function getTicketFields<K extends keyof TicketRecord & string>(
  em: EntityManager,
  id: number,
  keys: readonly K[],
  prepared: PreparedStatements,
): Promise<Pick<TicketRecord, K | 'id'>> {
  return (await em.getRepository(Ticket).findFields(id, keys, prepared)) ?? Promise.reject(ticketNotFound(id));
}

/** The whole ticket, in the em's transaction (use cases read before they write). */
export async function getTicket(em: EntityManager, id: number): Promise<TicketRecord> {
  const ticket = await em.getRepository(Ticket).findRecord(id);
  if (!ticket) throw ticketNotFound(id);
  return ticket;
}

/** The ticket with its row locked for the rest of the transaction. */
export async function lockTicket(em: EntityManager, id: number): Promise<TicketRecord> {
  return (await em.getRepository(Ticket).lockRecord(id)) ?? Promise.reject(ticketNotFound(id));
}

/** Counts for a dashboard: by status, open ones by priority, and how many are overdue. */
export async function ticketStats(em: EntityManager, now: Date): Promise<TicketStats> {
  return summarizeTickets(await em.getRepository(Ticket).countByStatusAndPriority(now));
}
