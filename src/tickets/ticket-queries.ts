import { Cursor, CursorError, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../domain/errors.js';
import type { Priority } from '../domain/priority.js';
import type { TicketRecord } from '../domain/records.js';
import { OPEN_STATUSES, type TicketStatus } from '../domain/ticket-status.js';
import { Customer, Ticket } from '../db/entities/index.js';
import { escapeLike } from '../staff/staff-directory.js';

export interface TicketFilter {
  readonly status?: readonly TicketStatus[] | null;
  readonly priority?: readonly Priority[] | null;
  /** WeCom userid of the assignee. */
  readonly assignee?: string | null;
  readonly customerId?: number | null;
  /** true: open tickets past their deadline; false: everything else. */
  readonly overdue?: boolean | null;
  /** Substring of the title or description. */
  readonly text?: string | null;
}

export interface PageRequest {
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Page<T> {
  readonly items: readonly { node: T; cursor: string }[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

export const PAGE_SIZE = { default: 20, max: 100 } as const;
const MAX_SEARCH_CHARS = 100;

function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return PAGE_SIZE.default;
  if (!Number.isInteger(first) || first < 1 || first > PAGE_SIZE.max) {
    throw badInput(`每页数量必须在 1 到 ${PAGE_SIZE.max} 之间，收到 ${first}`, `first must be between 1 and ${PAGE_SIZE.max}, got ${first}`, { field: 'first' });
  }
  return first;
}

function searchTerm(text: string | null | undefined): string | undefined {
  const term = text?.trim();
  if (!term) return undefined;
  if (term.length > MAX_SEARCH_CHARS) {
    throw badInput(`搜索内容不能超过 ${MAX_SEARCH_CHARS} 个字`, `Search text must be at most ${MAX_SEARCH_CHARS} characters`, { field: 'text' });
  }
  return `%${escapeLike(term)}%`;
}

export function ticketWhere(filter: TicketFilter, now: Date): FilterQuery<Ticket> {
  const where: FilterQuery<Ticket>[] = [];
  if (filter.status?.length) where.push({ status: { $in: [...filter.status] } });
  if (filter.priority?.length) where.push({ priority: { $in: [...filter.priority] } });
  if (filter.assignee) where.push({ assignedTo: filter.assignee });
  if (filter.customerId) where.push({ customer: filter.customerId });
  if (filter.overdue === true) where.push({ deadline: { $lt: now }, status: { $in: [...OPEN_STATUSES] } });
  if (filter.overdue === false) where.push({ $or: [{ deadline: { $gte: now } }, { status: { $nin: [...OPEN_STATUSES] } }] });
  const term = searchTerm(filter.text);
  if (term) where.push({ $or: [{ title: { $ilike: term } }, { description: { $ilike: term } }] });
  return where.length ? { $and: where } : {};
}

const invalidCursor = () => badInput('分页游标无效', 'The page cursor is invalid', { field: 'after' });

/** A cursor this API issued: MikroORM's encoding of the one ordering key, the id. */
function checkedCursor(after: string | null | undefined): string | undefined {
  if (!after) return undefined;
  let values: unknown[];
  try {
    values = Cursor.decode(after);
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(values) || values.length !== 1 || !Number.isInteger(values[0])) throw invalidCursor();
  return after;
}

/** Newest first, keyset-paginated with MikroORM's opaque cursors. */
async function paginate<T extends Ticket | Customer>(em: EntityManager, entity: new () => T, where: FilterQuery<T>, page: PageRequest): Promise<Page<T>> {
  const after = checkedCursor(page.after);
  try {
    const cursor = await em.findByCursor(entity, { where, first: pageSize(page.first), after, orderBy: { id: 'desc' } } as never);
    const items = cursor.items as T[];
    return {
      items: items.map((node) => ({ node, cursor: cursor.from(node as never) })),
      hasNextPage: cursor.hasNextPage,
      endCursor: cursor.endCursor,
      totalCount: cursor.totalCount,
    };
  } catch (error) {
    if (error instanceof CursorError) throw invalidCursor();
    throw error;
  }
}

export const findTickets = (em: EntityManager, filter: TicketFilter, page: PageRequest, now = new Date()): Promise<Page<Ticket>> =>
  paginate(em, Ticket, ticketWhere(filter, now), page);

export function findCustomers(em: EntityManager, search: string | null | undefined, page: PageRequest): Promise<Page<Customer>> {
  const term = searchTerm(search);
  const where: FilterQuery<Customer> = term ? { $or: [{ name: { $ilike: term } }, { phone: { $like: term } }, { company: { $ilike: term } }] } : {};
  return paginate(em, Customer, where, page);
}

export async function getTicket(em: EntityManager, id: number): Promise<TicketRecord> {
  const ticket = await em.getRepository(Ticket).findRecord(id);
  if (!ticket) throw notFound(`工单 #${id} 不存在`, `Ticket #${id} does not exist`, { id });
  return ticket;
}

export async function getCustomer(em: EntityManager, id: number): Promise<Customer> {
  const customer = await em.findOne(Customer, id);
  if (!customer) throw notFound(`客户 ${id} 不存在`, `Customer ${id} does not exist`, { id });
  return customer;
}
