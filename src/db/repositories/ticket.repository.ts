import { EntityRepository } from '@mikro-orm/postgresql';
import type { Priority } from '../../domain/priority.js';
import { problemTerms, SIMILARITY_CANDIDATES, type SimilaritySearchPlan } from '../../domain/problem-terms.js';
import type { CustomerRecord, TicketEventRecord, TicketRecord } from '../../domain/records.js';
import type { TicketCount } from '../../domain/ticket-stats.js';
import { OPEN_STATUSES, TicketStatus } from '../../domain/ticket-status.js';
import { Ticket } from '../entities/ticket.entity.js';
import type { PreparedStatements } from '../prepared-statements.js';
import { CUSTOMER_SQL } from './customer.repository.js';
import { EntitySql } from './sql.js';
import { EVENT_LOG_SQL, EVENT_SQL, type NewTicketEvent } from './ticket-event.repository.js';

/** What a new ticket is inserted with; the other fields take their column defaults. */
export type NewTicketRow = Pick<
  TicketRecord,
  'title' | 'description' | 'product' | 'priority' | 'customerId' | 'deadline' | 'sourceChatId' | 'createdBy' | 'createdAt' | 'updatedAt'
>;

/** A ticket with who its customer is (null if the customer row is gone). */
export type TicketWithCustomer = TicketRecord & { readonly customer: Pick<CustomerRecord, 'name' | 'phone'> | null };

export type TicketUpdate = Partial<
  Pick<TicketRecord, 'status' | 'progress' | 'assignedTo' | 'assignedToName' | 'resolvedAt' | 'closedAt' | 'deadline' | 'reminderCount' | 'lastReminderAt'>
>;

/** The tsvector of a ticket's problem terms (domain/problem-terms), written with the ticket; never part of its record. */
export const PROBLEM_TERMS_COLUMN = '"problem_terms"';

/** Terms as a tsvector's text (terms are letters and digits only, so quoting each is enough). */
export const termsVector = (terms: readonly string[]): string => terms.map((term) => `'${term}'`).join(' ');

export const TICKET_SQL = new EntitySql<TicketRecord>(() => Ticket, {
  id: 'id',
  title: 'title',
  description: 'description',
  product: 'product',
  status: 'status',
  priority: 'priority',
  progress: 'progress',
  customerId: 'customer',
  assignedTo: 'assignedTo',
  assignedToName: 'assignedToName',
  deadline: 'deadline',
  reminderCount: 'reminderCount',
  lastReminderAt: 'lastReminderAt',
  groupMessageId: 'groupMessageId',
  sourceChatId: 'sourceChatId',
  createdBy: 'createdBy',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  resolvedAt: 'resolvedAt',
  closedAt: 'closedAt',
  version: 'version',
});

/**
 * Ticket reads and writes on the hot paths are fixed SQL statements run through MikroORM's
 * connection, inside the caller's transaction. Loading an entity and flushing the unit of work
 * costs several times the CPU of the statement itself (figures in the README), so the
 * per-request paths use records; filtered listings still use the ORM's query builder.
 */
export class TicketRepository extends EntityRepository<Ticket> {
  async findRecord(id: number): Promise<TicketRecord | null> {
    return TICKET_SQL.one(this.em, `select ${TICKET_SQL.select(this.em)} from ${TICKET_SQL.table(this.em)} where "id" = ?`, [id]);
  }

  /** The ticket, its row locked until the transaction ends: a change recorded without updating it still records the ticket as it is. */
  async lockRecord(id: number): Promise<TicketRecord | null> {
    return TICKET_SQL.one(this.em, `select ${TICKET_SQL.select(this.em)} from ${TICKET_SQL.table(this.em)} where "id" = ? for update`, [id]);
  }

  /** The tickets and who their customers are (what a deadline message shows), as one prepared statement. */
  async findWithCustomers(ids: readonly number[], prepared: PreparedStatements): Promise<TicketWithCustomer[]> {
    const { em } = this;
    const customer = (key: keyof CustomerRecord & string) => `c.${CUSTOMER_SQL.column(em, key)}`;
    const rows = await TICKET_SQL.many(
      em,
      `select t.*, ${customer('name')} as "customerName", ${customer('phone')} as "customerPhone"
       from (select ${TICKET_SQL.select(em)} from ${TICKET_SQL.table(em)} where "id" = any(?::int[])) t
       left join ${CUSTOMER_SQL.table(em)} c on ${customer('id')} = t."customerId"`,
      [[...ids]],
      prepared,
    );
    return rows.map((row) => {
      const { customerName, customerPhone, ...ticket } = row as TicketRecord & { customerName: string | null; customerPhone: string | null };
      return { ...ticket, customer: customerName === null ? null : { name: customerName, phone: customerPhone } };
    });
  }

  /** Open tickets whose deadline is before `before`, by id after `afterId` (keyset pages). */
  findOpenDeadlineBefore(before: Date, afterId: number, limit: number): Promise<TicketRecord[]> {
    const c = (key: keyof TicketRecord & string) => TICKET_SQL.column(this.em, key);
    return TICKET_SQL.many(
      this.em,
      `select ${TICKET_SQL.select(this.em)} from ${TICKET_SQL.table(this.em)}
       where ${c('status')} in (?) and ${c('deadline')} < ? and ${c('id')} > ? order by ${c('id')} limit ?`,
      [[...OPEN_STATUSES], before, afterId, limit],
    );
  }

  /**
   * Only the given fields of a ticket, as a prepared statement outside any transaction when
   * `prepared` is given: each column costs the driver a parse per row, and a screen that shows
   * six fields should not pay for twenty (measured: ~50 µs per request).
   */
  async findFields<K extends keyof TicketRecord & string>(id: number, keys: readonly K[], prepared?: PreparedStatements): Promise<Pick<TicketRecord, K | 'id'> | null> {
    const wanted = [...new Set<K | 'id'>(['id', ...keys])].sort();
    return TICKET_SQL.one(this.em, `select ${TICKET_SQL.select(this.em, wanted)} from ${TICKET_SQL.table(this.em)} where "id" = ?`, [id], prepared);
  }

  /**
   * Inserts a ticket and the event recording its creation as one statement (a data-modifying
   * CTE), atomic by itself. `customer` is a query yielding the customer's id; when it yields
   * nothing, nothing is written and the result is null. The event's `toValue` is the status the
   * ticket was stored with, and it keeps the whole new ticket (the CTE's columns are named as
   * record keys, so `to_jsonb(t)` is the record). The ticket's problem terms are written with it.
   */
  async insertWithEvent(
    values: Omit<NewTicketRow, 'customerId'>,
    customer: { sql: string; params: readonly unknown[] },
    event: Omit<NewTicketEvent, 'ticketId' | 'toValue'>,
    prepared?: PreparedStatements,
  ): Promise<{ ticket: TicketRecord; event: TicketEventRecord } | null> {
    const keys = Object.keys(values) as (keyof typeof values & keyof TicketRecord)[];
    const ticketColumns = [...[...keys, 'customerId' as const].map((key) => TICKET_SQL.column(this.em, key)), PROBLEM_TERMS_COLUMN];
    const eventColumns = [...(['ticketId', 'toValue', 'type', 'actorId', 'actorName', 'fromValue', 'note', 'createdAt'] as const).map((key) => EVENT_SQL.column(this.em, key)), EVENT_LOG_SQL.column(this.em, 'ticketAfter')];
    const row = await TICKET_SQL.one(
      this.em,
      `with c as (${customer.sql}),
       t as (insert into ${TICKET_SQL.table(this.em)} (${ticketColumns.join(', ')}) select ${keys.map(() => '?').join(', ')}, c."id", ?::tsvector from c returning ${TICKET_SQL.select(this.em)}),
       e as (insert into ${EVENT_SQL.table(this.em)} (${eventColumns.join(', ')}) select t."id", t."status", ?, ?, ?, ?, ?, ?, to_jsonb(t) from t returning "id")
       select t.*, e."id" as "eventId" from t, e`,
      [...customer.params, ...keys.map((key) => values[key]), termsVector(problemTerms(`${values.title} ${values.description}`)), event.type, event.actorId, event.actorName, event.fromValue, event.note, event.createdAt],
      prepared,
    );
    if (!row) return null;
    const { eventId, ...ticket } = row as TicketRecord & { eventId: string | number };
    return { ticket, event: { ...event, id: String(eventId), ticketId: ticket.id, toValue: ticket.status } };
  }

  /** A customer query for `insertWithEvent`: the customer with this id. */
  customerById(id: number): { sql: string; params: unknown[] } {
    return { sql: 'select ?::int as "id"', params: [id] };
  }

  /** Applies the update only if nobody changed the ticket since `version` was read; null when someone did. */
  async updateIfUnchanged(id: number, version: number, changes: TicketUpdate, now: Date): Promise<TicketRecord | null> {
    const entries = Object.entries(changes) as [keyof TicketUpdate, unknown][];
    const assignments = [...entries.map(([key]) => `${TICKET_SQL.column(this.em, key)} = ?`), `${TICKET_SQL.column(this.em, 'updatedAt')} = ?`, `"version" = "version" + 1`];
    return TICKET_SQL.one(
      this.em,
      `update ${TICKET_SQL.table(this.em)} set ${assignments.join(', ')} where "id" = ? and "version" = ? returning ${TICKET_SQL.select(this.em)}`,
      [...entries.map(([, value]) => value), now, id, version],
    );
  }

  /** Tickets counted by status and priority, with how many are past their deadline at `now`. */
  async countByStatusAndPriority(now: Date): Promise<TicketCount[]> {
    const { em } = this;
    const rows = await em.execute<{ status: TicketStatus; priority: Priority; count: string; pastDeadline: string }[]>(
      `select ${TICKET_SQL.column(em, 'status')} as "status", ${TICKET_SQL.column(em, 'priority')} as "priority", count(*) as "count",
         count(*) filter (where ${TICKET_SQL.column(em, 'deadline')} < ?) as "pastDeadline"
       from ${TICKET_SQL.table(em)} group by 1, 2`,
      [now],
    );
    return rows.map((row) => ({ ...row, count: Number(row.count), pastDeadline: Number(row.pastDeadline) }));
  }

  /** A customer's tickets counted: all, in `pending` states, in `resolved` states; and their products, the most recently reported first. */
  async customerCounts(customerId: number, states: { pending: readonly TicketStatus[]; resolved: readonly TicketStatus[] }): Promise<{ total: number; pending: number; resolved: number; products: string[] }> {
    const { em } = this;
    const c = (key: keyof TicketRecord & string) => TICKET_SQL.column(em, key);
    const table = TICKET_SQL.table(em);
    const [row] = await em.execute<{ total: string; pending: string; resolved: string; products: string[] | null }[]>(
      `select count(*) as "total",
         count(*) filter (where ${c('status')} = any(?::ticket_status[])) as "pending",
         count(*) filter (where ${c('status')} = any(?::ticket_status[])) as "resolved",
         (select array_agg("product" order by "lastUsed" desc) from (
            select ${c('product')} as "product", max(${c('createdAt')}) as "lastUsed" from ${table}
            where ${c('customerId')} = ? and ${c('product')} is not null group by 1
          ) used) as "products"
       from ${table} where ${c('customerId')} = ?`,
      [`{${states.pending.join(',')}}`, `{${states.resolved.join(',')}}`, customerId, customerId],
    );
    return { total: Number(row?.total ?? 0), pending: Number(row?.pending ?? 0), resolved: Number(row?.resolved ?? 0), products: row?.products ?? [] };
  }

  /**
   * The tickets best matching a similarity plan (domain/problem-terms), never cancelled ones:
   * candidates are those matching `candidateQuery` in the terms index (at most
   * `SIMILARITY_CANDIDATES`), each scored by the share of the plan's weight it contains; ties go to
   * the shorter text, then the newer ticket.
   */
  async findSimilar(
    plan: Pick<SimilaritySearchPlan, 'terms' | 'totalWeight'>,
    candidateQuery: string,
    options: { readonly customerId?: number | null; readonly beforeId?: number | null; readonly limit: number },
  ): Promise<{ ticket: TicketRecord; score: number }[]> {
    const { em } = this;
    const c = (key: keyof TicketRecord & string) => TICKET_SQL.column(em, key);
    const filters = [`${c('status')} <> ?`, ...(options.customerId ? [`${c('customerId')} = ?`] : []), ...(options.beforeId ? [`${c('id')} < ?`] : [])];
    const filterParams = [TicketStatus.CANCELLED, ...(options.customerId ? [options.customerId] : []), ...(options.beforeId ? [options.beforeId] : [])];
    const rows = await em.execute<(TicketRecord & { score: number })[]>(
      `with candidates as (
         select ${c('id')} as "ticketId", ${PROBLEM_TERMS_COLUMN} as "terms" from ${TICKET_SQL.table(em)}
         where ${PROBLEM_TERMS_COLUMN} @@ ?::tsquery and ${filters.join(' and ')} limit ?
       ), scored as (
         select "ticketId", length("terms") as "termCount",
           (select coalesce(sum(q."weight"), 0) from unnest(array[?]::tsquery[], array[?]::float8[]) as q("term", "weight") where "terms" @@ q."term") / ? as "score"
         from candidates
       ), best as (select * from scored where "score" > 0 order by "score" desc, "termCount", "ticketId" desc limit ?)
       select ${TICKET_SQL.select(em)}, best."score" from best join ${TICKET_SQL.table(em)} on ${c('id')} = best."ticketId"
       order by best."score" desc, best."termCount", best."ticketId" desc`,
      [candidateQuery, ...filterParams, SIMILARITY_CANDIDATES, plan.terms.map((t) => t.term), plan.terms.map((t) => t.weight), plan.totalWeight, options.limit],
    );
    return rows.map(({ score, ...ticket }) => ({ ticket: TICKET_SQL.revive(em, ticket), score: Number(score) }));
  }

  /** The latest `limit` tickets of each customer, newest first. */
  findRecentByCustomers(customerIds: readonly number[], limit: number): Promise<TicketRecord[]> {
    const customer = TICKET_SQL.column(this.em, 'customerId');
    return TICKET_SQL.many(
      this.em,
      `select ${TICKET_SQL.select(this.em)} from (
         select *, row_number() over (partition by ${customer} order by "id" desc) as "rank"
         from ${TICKET_SQL.table(this.em)} where ${customer} in (${customerIds.map(() => '?').join(', ')})
       ) ranked where "rank" <= ? order by ${customer}, "id" desc`,
      [...customerIds, limit],
    );
  }
}

/** The record of a ticket loaded as an entity (listings use the query builder). */
export function ticketRecordOf(ticket: Ticket): TicketRecord {
  const { customer, events: _events, reminders: _reminders, problemTerms: _terms, ...fields } = ticket;
  return { ...fields, customerId: customer.id };
}
