import { PRIORITIES_MOST_URGENT_FIRST, type Priority } from './priority.js';
import type { CustomerRecord } from './records.js';
import type { ReportPeriod } from './report-period.js';
import { OPEN_STATUSES, TicketStatus } from './ticket-status.js';

/**
 * The customer service report and the team figures, computed from facts the event log yields
 * (see ServiceReportRepository). Everything here is arithmetic on those facts: no I/O.
 */

/**
 * The nearest-rank percentile: the values sorted ascending, the one at rank ⌈percent/100 × n⌉
 * (1-based). Always one of the values; null when there are none. P90 of [1, 2, 3] is 3, of ten
 * values the 9th smallest.
 */
export function percentile(values: readonly number[], percent: number): number | null {
  if (values.length === 0) return null;
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) throw new RangeError(`percentile: percent must be an integer from 1 to 100, got ${percent}`);
  const sorted = Float64Array.from(values).sort();
  // Integer arithmetic: 0.9 × 30 in floating point would be rounded up past the 27th value.
  return sorted[Math.ceil((percent * sorted.length) / 100) - 1]!;
}

/** How long something took over a set of tickets: how many, the mean and the P90 (nearest rank), in seconds. */
export interface DurationFigures {
  /** The tickets that contributed a duration. */
  readonly tickets: number;
  /** Null when no ticket contributed. To the millisecond. */
  readonly meanSeconds: number | null;
  readonly p90Seconds: number | null;
}

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.round(ms) / 1000);

export function durationFigures(durationsMs: readonly number[]): DurationFigures {
  const total = durationsMs.reduce((sum, ms) => sum + ms, 0);
  return {
    tickets: durationsMs.length,
    meanSeconds: seconds(durationsMs.length === 0 ? null : total / durationsMs.length),
    p90Seconds: seconds(percentile(durationsMs, 90)),
  };
}

export interface StatusCount {
  readonly status: TicketStatus;
  readonly count: number;
}

export interface PriorityCount {
  readonly priority: Priority;
  readonly count: number;
}

const countBy = <K, T>(keys: readonly K[], items: readonly T[], keyOf: (item: T) => K, countOf: (item: T) => number = () => 1): { key: K; count: number }[] =>
  keys.map((key) => ({ key, count: items.reduce((sum, item) => sum + (keyOf(item) === key ? countOf(item) : 0), 0) }));

const STATUS_MACHINE_ORDER = Object.values(TicketStatus);

/** Names as people in China order them (Chinese by pinyin). */
const BY_NAME = new Intl.Collator('zh-CN');

// ---- the customer service report ---------------------------------------------------------------

/** One ticket of the report, with what its events say about it. */
export interface ReportTicketFacts {
  readonly status: TicketStatus;
  readonly priority: Priority;
  readonly product: string | null;
  readonly createdAt: Date;
  /** The first ASSIGNED event. */
  readonly firstAssignedAt: Date | null;
  /** The first STATUS_CHANGED to RESOLVED (a reopened ticket keeps its first). */
  readonly firstResolvedAt: Date | null;
  /** It has a DEADLINE_PASSED event. */
  readonly deadlinePassed: boolean;
  /** Its REMINDED events. */
  readonly reminders: number;
  /** Its ESCALATED events. */
  readonly escalations: number;
}

export interface ProductCount {
  readonly product: string;
  readonly count: number;
}

/** A customer's tickets created in a period, and how they were handled (their whole history, to now). */
export interface CustomerReport {
  readonly customer: CustomerRecord;
  readonly period: ReportPeriod;
  readonly totalTickets: number;
  /** Every status, in the order of the status machine. */
  readonly byStatus: readonly StatusCount[];
  /** Every priority, most urgent first. */
  readonly byPriority: readonly PriorityCount[];
  /** Creation to the first assignment. */
  readonly timeToAssign: DurationFigures;
  /** Creation to the first resolution. */
  readonly timeToResolve: DurationFigures;
  /** Tickets whose deadline passed while they were open. */
  readonly overdueTickets: number;
  readonly remindersSent: number;
  readonly escalations: number;
  /** The distinct products (tickets without one are left out), most tickets first, then by name (pinyin). */
  readonly products: readonly ProductCount[];
}

const since = (start: Date, end: Date | null): number[] => (end === null ? [] : [end.getTime() - start.getTime()]);

export function assembleCustomerReport(customer: CustomerRecord, period: ReportPeriod, tickets: readonly ReportTicketFacts[]): CustomerReport {
  const sum = (count: (t: ReportTicketFacts) => number) => tickets.reduce((total, t) => total + count(t), 0);
  const products = new Map<string, number>();
  for (const { product } of tickets) if (product !== null) products.set(product, (products.get(product) ?? 0) + 1);
  return {
    customer,
    period,
    totalTickets: tickets.length,
    byStatus: countBy(STATUS_MACHINE_ORDER, tickets, (t) => t.status).map(({ key, count }) => ({ status: key, count })),
    byPriority: countBy(PRIORITIES_MOST_URGENT_FIRST, tickets, (t) => t.priority).map(({ key, count }) => ({ priority: key, count })),
    timeToAssign: durationFigures(tickets.flatMap((t) => since(t.createdAt, t.firstAssignedAt))),
    timeToResolve: durationFigures(tickets.flatMap((t) => since(t.createdAt, t.firstResolvedAt))),
    overdueTickets: sum((t) => Number(t.deadlinePassed)),
    remindersSent: sum((t) => t.reminders),
    escalations: sum((t) => t.escalations),
    products: [...products]
      .map(([product, count]) => ({ product, count }))
      .sort((a, b) => b.count - a.count || BY_NAME.compare(a.product, b.product)),
  };
}

// ---- the team figures --------------------------------------------------------------------------

/** Who a figure is attributed to: a WeCom userid and the name recorded with it; null for nobody. */
export interface Attribution {
  readonly assignedTo: string | null;
  readonly assignedToName: string | null;
}

/** Open tickets now, per assignee and status, and how many of them are past their deadline. */
export interface OpenTicketCount extends Attribution {
  readonly status: TicketStatus;
  readonly count: number;
  readonly overdue: number;
}

/** The first resolutions in the period of one assignee's tickets (the assignee in force at resolution). */
export interface ResolutionGroup extends Attribution {
  /** Creation to first resolution, one per ticket. */
  readonly durationsMs: readonly number[];
  /** Of those, resolved after the deadline in force at resolution. */
  readonly late: number;
}

/** The reminders sent in the period about one assignee's tickets (the assignee at the reminder). */
export interface ReminderCount extends Attribution {
  readonly count: number;
}

/** The customers' ratings given in the period of one assignee's tickets (the assignee at the rating). */
export interface RatingGroup extends Attribution {
  readonly count: number;
  /** The sum of their scores (1–5 each). */
  readonly total: number;
}

export interface ServiceFigures {
  /** Open tickets now (pending, assigned, processing, escalated), whatever the period. */
  readonly openTickets: number;
  /** Every open status, in the order of the status machine. */
  readonly openByStatus: readonly StatusCount[];
  /** Open tickets past their deadline now. */
  readonly overdueNow: number;
  /** Creation to first resolution, of the tickets first resolved in the period. */
  readonly timeToResolve: DurationFigures;
  /** Of those, resolved after the deadline in force at resolution. */
  readonly resolvedLate: number;
  /** resolvedLate / timeToResolve.tickets; null when nothing was resolved. */
  readonly slaBreachRate: number | null;
  readonly remindersSent: number;
  /** Ratings customers gave in the period (满意度, 1–5). */
  readonly ratings: number;
  /** Their mean; null when there were none. */
  readonly averageRating: number | null;
}

export interface AssigneeFigures extends ServiceFigures {
  readonly userId: string;
  readonly name: string | null;
}

export interface ServiceStats {
  readonly period: ReportPeriod;
  /** Everyone's tickets, unassigned ones included. */
  readonly overall: ServiceFigures;
  /** Tickets nobody owned (at resolution, at the reminder, or now for open ones). */
  readonly unassigned: ServiceFigures;
  /** Everyone with an open ticket now, or a resolution or a reminder in the period, by userid. */
  readonly byAssignee: readonly AssigneeFigures[];
}

export interface ServiceFacts {
  readonly open: readonly OpenTicketCount[];
  readonly resolutions: readonly ResolutionGroup[];
  readonly reminders: readonly ReminderCount[];
  readonly ratings: readonly RatingGroup[];
}

function figuresOf({ open, resolutions, reminders, ratings }: ServiceFacts): ServiceFigures {
  const durations = resolutions.flatMap((r) => r.durationsMs);
  const late = resolutions.reduce((sum, r) => sum + r.late, 0);
  const openByStatus = countBy(OPEN_STATUSES, open, (o) => o.status, (o) => o.count).map(({ key, count }) => ({ status: key, count }));
  return {
    openTickets: openByStatus.reduce((sum, s) => sum + s.count, 0),
    openByStatus,
    overdueNow: open.reduce((sum, o) => sum + o.overdue, 0),
    timeToResolve: durationFigures(durations),
    resolvedLate: late,
    slaBreachRate: durations.length === 0 ? null : late / durations.length,
    remindersSent: reminders.reduce((sum, r) => sum + r.count, 0),
    ...ratingFigures(ratings),
  };
}

function ratingFigures(ratings: readonly RatingGroup[]): Pick<ServiceFigures, 'ratings' | 'averageRating'> {
  const count = ratings.reduce((sum, r) => sum + r.count, 0);
  return { ratings: count, averageRating: count === 0 ? null : ratings.reduce((sum, r) => sum + r.total, 0) / count };
}

export function assembleServiceStats(period: ReportPeriod, facts: ServiceFacts): ServiceStats {
  const of = (assignee: string | null): ServiceFacts => {
    const mine = <T extends Attribution>(rows: readonly T[]) => rows.filter((row) => row.assignedTo === assignee);
    return { open: mine(facts.open), resolutions: mine(facts.resolutions), reminders: mine(facts.reminders), ratings: mine(facts.ratings) };
  };
  // The name recorded most recently: on the open tickets now, else at resolution, else at a reminder.
  const names = new Map<string, string | null>();
  for (const row of [...facts.open, ...facts.resolutions, ...facts.reminders, ...facts.ratings]) {
    if (row.assignedTo !== null && !names.get(row.assignedTo)) names.set(row.assignedTo, row.assignedToName);
  }
  return {
    period,
    overall: figuresOf(facts),
    unassigned: figuresOf(of(null)),
    byAssignee: [...names.keys()].sort().map((userId) => ({ userId, name: names.get(userId) ?? null, ...figuresOf(of(userId)) })),
  };
}
