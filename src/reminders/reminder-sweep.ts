import type { Clock } from '../clock.js';
import type { TicketRecord } from '../domain/records.js';
import { nextDeadlineCheck, type ReminderPolicy } from '../domain/reminder-policy.js';
import { Ticket } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import { DEADLINE_JOB_LOCK_LIFETIME_MS, type DeadlineJob, type DeadlineJobStore, type ScheduledDeadline } from './deadline-jobs.js';
import type { ReminderService } from './reminder-service.js';

/** The brief's answer to 手动触发超时提醒. */
export interface SweepResult {
  /** Open tickets past their deadline. */
  readonly overdueCount: number;
  /** Reminders this run sent (those the deadline jobs had not sent already). */
  readonly remindersSent: number;
  /** Deadline jobs that were missing or stale and were put right. */
  readonly jobsRepaired: number;
}

/** The sweep runs hourly: it looks this far ahead, so a ticket due before the next run is covered too. */
export const SWEEP_INTERVAL_MS = 3_600_000;
const PAGE = 500;
/** A job this far from where it should be is stale (Agenda's own timing stays well within it). */
const TOLERANCE_MS = 1000;

/**
 * The safety net under the deadline jobs (每小时检查一次超时工单): every open ticket whose
 * deadline has passed, or passes before the next sweep, is checked. A reminder that is due is sent
 * now (once: a deadline job sending the same one concurrently takes turns on the ticket's row),
 * and a job that is missing, given up or at the wrong time is put right. A lost job therefore
 * cannot lose a ticket.
 */
export class ReminderSweep {
  constructor(
    private readonly orm: Orm,
    private readonly reminders: ReminderService,
    private readonly jobs: DeadlineJobStore,
    private readonly policy: ReminderPolicy,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<SweepResult> {
    const started = this.clock.now();
    const repository = this.orm.em.getRepository(Ticket);
    const totals = { overdueCount: 0, remindersSent: 0, jobsRepaired: 0 };
    for (let afterId = 0; ; ) {
      const tickets = await repository.findOpenDeadlineBefore(new Date(started.getTime() + SWEEP_INTERVAL_MS), afterId, PAGE);
      if (tickets.length === 0) break;
      afterId = tickets.at(-1)!.id;
      const page = await this.sweepPage(tickets);
      totals.overdueCount += tickets.filter((t) => t.deadline < started).length;
      totals.remindersSent += page.remindersSent;
      totals.jobsRepaired += page.jobsRepaired;
    }
    this.logger.info(totals, 'overdue sweep done');
    return totals;
  }

  private async sweepPage(tickets: readonly TicketRecord[]): Promise<{ remindersSent: number; jobsRepaired: number }> {
    const scheduled = await this.jobs.find(tickets.map((t) => t.id));
    const moves: DeadlineJob[] = [];
    let remindersSent = 0;
    let jobsRepaired = 0;
    const due: TicketRecord[] = [];
    const now = this.clock.now();
    for (const ticket of tickets) {
      const expected = nextDeadlineCheck(ticket, now, this.policy);
      if (!expected) continue;
      const stale = isStale(scheduled.get(ticket.id), expected, now);
      if (stale) jobsRepaired++;
      if (expected <= now) due.push(ticket);
      else if (stale) moves.push({ ticketId: ticket.id, runAt: expected, priority: ticket.priority });
    }
    const outcomes = await this.reminders.checkDeadlines(due.map((t) => t.id));
    due.forEach((ticket, i) => {
      const { reminded, next } = outcomes[i]!;
      if (reminded !== null) remindersSent++;
      if (next) moves.push({ ticketId: ticket.id, runAt: next, priority: ticket.priority });
    });
    await this.jobs.schedule(moves);
    return { remindersSent, jobsRepaired };
  }
}

/** Missing, given up (no next run and nobody running it), or set for another time. */
function isStale(job: ScheduledDeadline | undefined, expected: Date, now: Date): boolean {
  if (!job) return true;
  if (job.lockedAt && now.getTime() - job.lockedAt.getTime() < DEADLINE_JOB_LOCK_LIFETIME_MS) return false; // an instance is on it
  if (!job.nextRunAt) return true;
  return Math.abs(job.nextRunAt.getTime() - expected.getTime()) > TOLERANCE_MS;
}
