import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import type { Priority } from '../../domain/priority.js';
import type { TicketEventRecord, TicketRecord } from '../../domain/records.js';
import type { OpenTicketCount, RatingGroup, ReminderCount, ReportTicketFacts, ResolutionGroup } from '../../domain/service-report.js';
import { CUSTOMER_ACTOR_ID, TicketEventType } from '../../domain/ticket-event.js';
import { OPEN_STATUSES, REOPEN_STATUSES, TicketStatus } from '../../domain/ticket-status.js';
import { TICKET_SQL } from './ticket.repository.js';
import { EVENT_LOG_SQL, EVENT_SQL } from './ticket-event.repository.js';

/** A period as a half-open span of instants, [start, end). */
export interface Span {
  readonly start: Date;
  readonly end: Date;
}

/** A statement and its parameters (`?` placeholders), as sent. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

type TicketKey = keyof TicketRecord & string;
type EventKey = keyof TicketEventRecord & string;

/** Event types and statuses are written as literals: a partial index serves a query only if its predicate is provable from the query's text. */
const literal = (value: string): string => `'${value}'`;

const timestamp = (value: string | null): Date | null => (value === null ? null : new Date(value));

/**
 * The reads behind the customer service report and the team figures. Processing times come from
 * the event log; each read is served by an index (Migration20261204032552_report_indexes and
 * test/integration/indexes.test.ts), never by a scan of all tickets or events.
 */
export class ServiceReportRepository {
  constructor(private readonly em: EntityManager) {}

  private ticket(alias: string, key: TicketKey): string {
    return `${alias}.${TICKET_SQL.column(this.em, key)}`;
  }

  private event(alias: string, key: EventKey): string {
    return `${alias}.${EVENT_SQL.column(this.em, key)}`;
  }

  /** A field of the ticket as the event left it (ticket_after), as text. */
  private after(alias: string, key: TicketKey): string {
    return `(${alias}.${EVENT_LOG_SQL.column(this.em, 'ticketAfter')} ->> ${literal(key)})`;
  }

  private isType(alias: string, type: TicketEventType): string {
    return `${this.event(alias, 'type')} = ${literal(type)}`;
  }

  /** A resolution: a STATUS_CHANGED event to RESOLVED. */
  private isResolution(alias: string): string {
    return `${this.isType(alias, TicketEventType.STATUS_CHANGED)} and ${this.event(alias, 'toValue')} = ${literal(TicketStatus.RESOLVED)}`;
  }

  /**
   * The resolution `alias` is its ticket's first: the ticket was not reopened before it
   * (REOPEN_STATUSES: it can be resolved again only after that). Reopenings are few, and
   * ticket_events_reopened_idx holds only them.
   */
  private isFirstResolution(alias: string): string {
    const [e, p] = [(key: EventKey) => this.event(alias, key), (key: EventKey) => this.event('p', key)];
    return `not exists (select 1 from ${EVENT_SQL.table(this.em)} p
      where ${p('ticketId')} = ${e('ticketId')} and ${this.isType('p', TicketEventType.STATUS_CHANGED)}
        and ${p('fromValue')} = ${literal(TicketStatus.RESOLVED)} and ${p('toValue')} in (${REOPEN_STATUSES.map(literal).join(', ')})
        and (${p('createdAt')}, ${p('id')}) < (${e('createdAt')}, ${e('id')}))`;
  }

  /** The statement of each read, as sent: EXPLAIN them (test/integration/indexes.test.ts, bench/reports.ts). */
  readonly statements = {
    /**
     * A customer's tickets created in the span, each with what its events say: the customer's
     * tickets by tickets_customer_created_idx, then each one's few events by ticket_events_ticket_id_idx.
     */
    customerTickets: (customerId: number, span: Span): Statement => {
      const t = (key: TicketKey) => this.ticket('t', key);
      const e = (key: EventKey) => this.event('e', key);
      return {
        sql: `select ${t('status')} as "status", ${t('priority')} as "priority", ${t('product')} as "product", ${t('createdAt')} as "createdAt", facts.*
          from ${TICKET_SQL.table(this.em)} t
          cross join lateral (
            select min(${e('createdAt')}) filter (where ${this.isType('e', TicketEventType.ASSIGNED)}) as "firstAssignedAt",
              min(${e('createdAt')}) filter (where ${this.isResolution('e')}) as "firstResolvedAt",
              count(*) filter (where ${this.isType('e', TicketEventType.DEADLINE_PASSED)}) > 0 as "deadlinePassed",
              count(*) filter (where ${this.isType('e', TicketEventType.REMINDED)}) as "reminders",
              count(*) filter (where ${this.isType('e', TicketEventType.ESCALATED)}) as "escalations"
            from ${EVENT_SQL.table(this.em)} e where ${e('ticketId')} = ${t('id')}
          ) facts
          where ${t('customerId')} = ? and ${t('createdAt')} >= ? and ${t('createdAt')} < ?`,
        params: [customerId, span.start, span.end],
      };
    },

    /** Open tickets, per assignee and status, and how many are past their deadline at `now` (tickets_open_deadline_idx). */
    openTickets: (now: Date): Statement => {
      const t = (key: TicketKey) => this.ticket('t', key);
      return {
        sql: `select ${t('assignedTo')} as "assignedTo", max(${t('assignedToName')}) as "assignedToName", ${t('status')} as "status",
            count(*) as "count", count(*) filter (where ${t('deadline')} < ?) as "overdue"
          from ${TICKET_SQL.table(this.em)} t where ${t('status')} in (${OPEN_STATUSES.map(literal).join(', ')})
          group by ${t('assignedTo')}, ${t('status')}`,
        params: [now],
      };
    },

    /**
     * The first resolutions in the span (ticket_events_resolved_idx), per assignee in the
     * resolution's ticket_after: creation to resolution, and how many came after the deadline
     * then in force. Everything is in the event; no ticket is read.
     */
    resolutions: (span: Span): Statement => {
      const e = (key: EventKey) => this.event('e', key);
      // Materialized: only the few fields taken from ticket_after go on to the grouping, not the whole ticket.
      return {
        sql: `with resolved as materialized (
            select ${this.after('e', 'assignedTo')} as "assignedTo", ${this.after('e', 'assignedToName')} as "assignedToName",
              (extract(epoch from ${e('createdAt')} - ${this.after('e', 'createdAt')}::timestamptz) * 1000)::float8 as "durationMs",
              ${e('createdAt')} > ${this.after('e', 'deadline')}::timestamptz as "late"
            from ${EVENT_SQL.table(this.em)} e
            where ${this.isResolution('e')} and ${e('createdAt')} >= ? and ${e('createdAt')} < ? and ${this.isFirstResolution('e')}
          )
          select "assignedTo", max("assignedToName") as "assignedToName", array_agg("durationMs") as "durationsMs", count(*) filter (where "late") as "late"
          from resolved group by 1`,
        params: [span.start, span.end],
      };
    },

    /** The reminders sent in the span (ticket_events_reminded_idx), per assignee in the reminder's ticket_after. */
    reminders: (span: Span): Statement => {
      const e = (key: EventKey) => this.event('e', key);
      return {
        sql: `with reminded as materialized (
            select ${this.after('e', 'assignedTo')} as "assignedTo", ${this.after('e', 'assignedToName')} as "assignedToName"
            from ${EVENT_SQL.table(this.em)} e
            where ${this.isType('e', TicketEventType.REMINDED)} and ${e('createdAt')} >= ? and ${e('createdAt')} < ?
          )
          select "assignedTo", max("assignedToName") as "assignedToName", count(*) as "count" from reminded group by 1`,
        params: [span.start, span.end],
      };
    },
    /** The ratings given in the span, by the assignee at the rating (ticket_events_by_customers_idx: the customers' own events). */
    ratings: (span: Span): Statement => {
      const e = (key: EventKey) => this.event('e', key);
      return {
        sql: `with rated as materialized (
            select ${this.after('e', 'assignedTo')} as "assignedTo", ${this.after('e', 'assignedToName')} as "assignedToName", ${e('toValue')}::int as "score"
            from ${EVENT_SQL.table(this.em)} e
            where ${e('actorId')} = ${literal(CUSTOMER_ACTOR_ID)} and ${this.isType('e', TicketEventType.RATED)} and ${e('createdAt')} >= ? and ${e('createdAt')} < ?
          )
          select "assignedTo", max("assignedToName") as "assignedToName", count(*) as "count", sum("score") as "total" from rated group by 1`,
        params: [span.start, span.end],
      };
    },
  };

  async customerTickets(customerId: number, span: Span): Promise<ReportTicketFacts[]> {
    const rows = await this.run<{
      status: TicketStatus; priority: Priority; product: string | null; createdAt: string;
      firstAssignedAt: string | null; firstResolvedAt: string | null; deadlinePassed: boolean; reminders: string; escalations: string;
    }>(this.statements.customerTickets(customerId, span));
    return rows.map((row) => ({
      status: row.status,
      priority: row.priority,
      product: row.product,
      createdAt: timestamp(row.createdAt)!,
      firstAssignedAt: timestamp(row.firstAssignedAt),
      firstResolvedAt: timestamp(row.firstResolvedAt),
      deadlinePassed: row.deadlinePassed,
      reminders: Number(row.reminders),
      escalations: Number(row.escalations),
    }));
  }

  async openTickets(now: Date): Promise<OpenTicketCount[]> {
    const rows = await this.run<{ assignedTo: string | null; assignedToName: string | null; status: TicketStatus; count: string; overdue: string }>(this.statements.openTickets(now));
    return rows.map((row) => ({ ...row, count: Number(row.count), overdue: Number(row.overdue) }));
  }

  async resolutions(span: Span): Promise<ResolutionGroup[]> {
    const rows = await this.run<{ assignedTo: string | null; assignedToName: string | null; durationsMs: number[]; late: string }>(this.statements.resolutions(span));
    return rows.map((row) => ({ ...row, durationsMs: row.durationsMs.map(Number), late: Number(row.late) }));
  }

  async reminders(span: Span): Promise<ReminderCount[]> {
    const rows = await this.run<{ assignedTo: string | null; assignedToName: string | null; count: string }>(this.statements.reminders(span));
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }

  async ratings(span: Span): Promise<RatingGroup[]> {
    const rows = await this.run<{ assignedTo: string | null; assignedToName: string | null; count: string; total: string }>(this.statements.ratings(span));
    return rows.map((row) => ({ ...row, count: Number(row.count), total: Number(row.total) }));
  }

  private run<R>({ sql, params }: Statement): Promise<R[]> {
    return this.em.execute<R[]>(sql, [...params]);
  }
}
