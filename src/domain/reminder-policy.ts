import { Priority } from './priority.js';
import { isOpen, TicketStatus } from './ticket-status.js';

const MINUTE_MS = 60_000;

/** 永不遗漏: how often an open ticket past its deadline is reminded, and when that escalates. */
export interface ReminderPolicy {
  /** Between two reminders of an overdue ticket. */
  readonly intervalMs: number;
  /** Between two reminders once the ticket is escalated. */
  readonly escalatedIntervalMs: number;
  /** The reminder that escalates the ticket (the 3rd by default). */
  readonly escalateAfter: number;
  /** How long before the deadline a warning goes out; null for none. */
  readonly earlyWarningMs: number | null;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  intervalMs: 60 * MINUTE_MS,
  escalatedIntervalMs: 30 * MINUTE_MS,
  escalateAfter: 3,
  earlyWarningMs: null,
};

/** The part of a ticket the reminder rules read. */
export interface ReminderState {
  readonly status: TicketStatus;
  readonly priority: Priority;
  readonly deadline: Date;
  readonly assignedTo: string | null;
  readonly reminderCount: number;
  readonly lastReminderAt: Date | null;
}

/** Who a reminder @-mentions: the assignee; everyone when nobody owns the ticket or it is urgent. */
export interface Mentions {
  readonly userIds: readonly string[];
  readonly all: boolean;
}

export function reminderMentions(ticket: Pick<ReminderState, 'assignedTo' | 'priority'>): Mentions {
  return { userIds: ticket.assignedTo ? [ticket.assignedTo] : [], all: ticket.assignedTo === null || ticket.priority === Priority.URGENT };
}

const cadenceOf = (status: TicketStatus, policy: ReminderPolicy): number =>
  status === TicketStatus.ESCALATED ? policy.escalatedIntervalMs : policy.intervalMs;

const after = (date: Date, ms: number): Date => new Date(date.getTime() + ms);

/** Reminders started once one was sent at or after the current deadline (a deadline moved later starts afresh). */
const remindedSinceDeadline = (ticket: ReminderState): ticket is ReminderState & { lastReminderAt: Date } =>
  ticket.lastReminderAt !== null && ticket.lastReminderAt.getTime() >= ticket.deadline.getTime();

/** When the next reminder is due: at the deadline, then one cadence after the last reminder. */
export function nextReminderAt(ticket: ReminderState, policy: ReminderPolicy): Date {
  return remindedSinceDeadline(ticket) ? after(ticket.lastReminderAt, cadenceOf(ticket.status, policy)) : ticket.deadline;
}

function warningAt(ticket: ReminderState, policy: ReminderPolicy): Date | null {
  if (policy.earlyWarningMs === null || remindedSinceDeadline(ticket)) return null;
  return after(ticket.deadline, -policy.earlyWarningMs);
}

/** When the ticket's deadline job should next run; null for a ticket that is no longer open (it has no job). */
export function nextDeadlineCheck(ticket: ReminderState, now: Date, policy: ReminderPolicy): Date | null {
  if (!isOpen(ticket.status)) return null;
  const warning = warningAt(ticket, policy);
  return warning && now < warning ? warning : nextReminderAt(ticket, policy);
}

export interface PlannedReminder {
  /** 第 N 次: 1 for the ticket's first reminder. */
  readonly sequence: number;
  /** The first reminder since the deadline passed: that moment is recorded too. */
  readonly deadlinePassed: boolean;
  /** This reminder moves the ticket to ESCALATED and tells the leads. */
  readonly escalate: boolean;
  readonly mentions: Mentions;
}

/** What the deadline job does when it runs, and when it runs next. */
export type DeadlineCheck =
  | { readonly action: 'none' }
  | { readonly action: 'wait'; readonly next: Date }
  | { readonly action: 'warn'; readonly next: Date }
  | { readonly action: 'remind'; readonly reminder: PlannedReminder; readonly next: Date };

/**
 * The decision the deadline job makes for a ticket at `now`. It reads only the ticket, so a job
 * that runs early, late or twice does the right thing: it waits, or sends what is due, once.
 * The N-th reminder escalates the ticket (once: a lead may take it back into work).
 */
export function planDeadlineCheck(ticket: ReminderState, now: Date, policy: ReminderPolicy): DeadlineCheck {
  if (!isOpen(ticket.status)) return { action: 'none' };
  const due = nextReminderAt(ticket, policy);
  if (now < due) {
    const warning = warningAt(ticket, policy);
    if (warning && now >= warning) return { action: 'warn', next: due };
    return { action: 'wait', next: nextDeadlineCheck(ticket, now, policy)! };
  }
  const sequence = ticket.reminderCount + 1;
  const escalate = sequence === policy.escalateAfter && ticket.status !== TicketStatus.ESCALATED;
  const statusAfter = escalate ? TicketStatus.ESCALATED : ticket.status;
  return {
    action: 'remind',
    reminder: { sequence, deadlinePassed: !remindedSinceDeadline(ticket), escalate, mentions: reminderMentions(ticket) },
    next: after(now, cadenceOf(statusAfter, policy)),
  };
}
