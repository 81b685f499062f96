import { PRIORITIES_MOST_URGENT_FIRST, type Priority } from './priority.js';
import { isOpen, TicketStatus } from './ticket-status.js';

/** How many tickets share a status and priority, and how many of them are past their deadline. */
export interface TicketCount {
  readonly status: TicketStatus;
  readonly priority: Priority;
  readonly count: number;
  readonly pastDeadline: number;
}

export interface TicketStats {
  readonly total: number;
  readonly open: number;
  readonly overdue: number;
  /** Every status, in the order of the status machine. */
  readonly byStatus: readonly { status: TicketStatus; count: number }[];
  /** Open tickets per priority, most urgent first. */
  readonly byPriority: readonly { priority: Priority; count: number }[];
}

export function summarizeTickets(counts: readonly TicketCount[]): TicketStats {
  const open = counts.filter((c) => isOpen(c.status));
  const sum = (rows: readonly TicketCount[], value: (c: TicketCount) => number = (c) => c.count) => rows.reduce((total, c) => total + value(c), 0);
  return {
    total: sum(counts),
    open: sum(open),
    overdue: sum(open, (c) => c.pastDeadline),
    byStatus: Object.values(TicketStatus).map((status) => ({ status, count: sum(counts.filter((c) => c.status === status)) })),
    byPriority: PRIORITIES_MOST_URGENT_FIRST.map((priority) => ({ priority, count: sum(open.filter((c) => c.priority === priority)) })),
  };
}
