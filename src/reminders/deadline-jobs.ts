import { Priority } from '../domain/priority.js';

/** The Agenda job that watches one ticket's deadline: `data` is `{ ticketId }`, one job per open ticket. */
export const DEADLINE_JOB = 'ticket-deadline';

/** The Agenda job that runs the overdue sweep (one for the whole deployment). */
export const SWEEP_JOB = 'reminder-sweep';

/** How long an instance may hold a deadline job before another may take it over (a check takes milliseconds). */
export const DEADLINE_JOB_LOCK_LIFETIME_MS = 60_000;

export interface DeadlineJobData {
  readonly ticketId: number;
}

/** When a ticket's deadline job should run next. */
export interface DeadlineJob {
  readonly ticketId: number;
  readonly runAt: Date;
  readonly priority: Priority;
}

/** A deadline job as the job store holds it. */
export interface ScheduledDeadline {
  readonly ticketId: number;
  /** Null while the job runs (Agenda clears it) or after it gave up. */
  readonly nextRunAt: Date | null;
  /** Set while an instance holds the job (about to run it, or running it). */
  readonly lockedAt: Date | null;
}

/**
 * Where deadline jobs live: Agenda's own store (its PostgreSQL table or MongoDB collection).
 * Agenda saves jobs one statement at a time; the deadline scheduler writes them in batches, so
 * each backend gets a bulk adapter over the store Agenda reads. Both keep exactly one job per
 * ticket (a unique index on the ticket id).
 */
export interface DeadlineJobStore {
  /** Creates or moves the jobs (one per ticket: a ticket listed twice is an error). */
  schedule(jobs: readonly DeadlineJob[]): Promise<void>;
  remove(ticketIds: readonly number[]): Promise<void>;
  find(ticketIds: readonly number[]): Promise<Map<number, ScheduledDeadline>>;
}

/** Agenda's priorities: when many jobs come due at once, urgent tickets are reminded first. */
export const AGENDA_PRIORITY: Readonly<Record<Priority, number>> = {
  [Priority.URGENT]: 20,
  [Priority.HIGH]: 10,
  [Priority.NORMAL]: 0,
  [Priority.LOW]: -10,
};
