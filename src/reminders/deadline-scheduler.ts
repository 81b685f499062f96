import type { Clock } from '../clock.js';
import type { EventLogStore, LoggedUpdate } from '../db/event-log-store.js';
import { nextDeadlineCheck, type ReminderPolicy } from '../domain/reminder-policy.js';
import { SYSTEM_ACTOR, TicketEventType } from '../domain/ticket-event.js';
import { DurableLogConsumer } from '../live/durable-log-consumer.js';
import type { Logger } from '../logger.js';
import type { DeadlineJob, DeadlineJobStore } from './deadline-jobs.js';

/** The consumer name under which the scheduler's position in the event log is kept. */
export const DEADLINE_SCHEDULER = 'deadline-scheduler';

/**
 * Events after which a ticket's job must be created, moved or removed. The job moves itself
 * after a reminder (REMINDED, DEADLINE_PASSED, and the ESCALATED it causes are its own doing,
 * and writing them again would race with it); assignment and progress change no time.
 */
const RESCHEDULING_EVENTS: ReadonlySet<TicketEventType> = new Set([
  TicketEventType.CREATED,
  TicketEventType.STATUS_CHANGED,
  TicketEventType.DEADLINE_CHANGED,
]);

/** What the scheduler reads whole from the log (an escalation counts only when someone did it by hand). */
const WANTED: ReadonlySet<TicketEventType> = new Set([...RESCHEDULING_EVENTS, TicketEventType.ESCALATED]);

const movesTheJob = (update: LoggedUpdate): boolean =>
  RESCHEDULING_EVENTS.has(update.event.type) || (update.event.type === TicketEventType.ESCALATED && update.event.actorId !== SYSTEM_ACTOR.userId);

/** The job changes a batch of updates calls for: the last state of each ticket decides. */
export function deadlineJobChanges(updates: readonly LoggedUpdate[], now: Date, policy: ReminderPolicy): { schedule: DeadlineJob[]; remove: number[] } {
  const latest = new Map<number, LoggedUpdate>();
  const affected = new Set<number>();
  for (const update of updates) {
    latest.set(update.ticket.id, update);
    if (movesTheJob(update)) affected.add(update.ticket.id);
  }
  const schedule: DeadlineJob[] = [];
  const remove: number[] = [];
  for (const ticketId of affected) {
    const { ticket } = latest.get(ticketId)!;
    const runAt = nextDeadlineCheck(ticket, now, policy);
    if (runAt) schedule.push({ ticketId, runAt, priority: ticket.priority });
    else remove.push(ticketId);
  }
  return { schedule, remove };
}

export interface DeadlineSchedulerOptions {
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  /** Commits made within this time after one another are scheduled as one batch (see FollowerOptions). */
  readonly gatherMs: number;
}

/**
 * Keeps one deadline job per open ticket, off the request path: it follows the ticket event log
 * from a durable position (kept in `event_log_consumers`) and creates, moves and removes jobs in
 * batches. Ticket creation therefore costs no job write, and a crash between a ticket's commit
 * and its job being written loses nothing: the scheduler resumes after the last batch it
 * finished. One instance runs it at a time (it leads); the job writes are idempotent, so a batch
 * applied twice after a crash changes nothing.
 */
export class DeadlineScheduler {
  private readonly consumer: DurableLogConsumer;

  constructor(
    log: EventLogStore,
    private readonly jobs: DeadlineJobStore,
    private readonly policy: ReminderPolicy,
    private readonly clock: Clock,
    options: DeadlineSchedulerOptions,
    private readonly logger: Logger,
  ) {
    this.consumer = new DurableLogConsumer(DEADLINE_SCHEDULER, log, (updates) => this.apply(updates), clock, { ...options, wanted: () => WANTED }, logger);
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  wake(): void {
    this.consumer.wake();
  }

  private async apply(updates: readonly LoggedUpdate[]): Promise<boolean> {
    const { schedule, remove } = deadlineJobChanges(updates, this.clock.now(), this.policy);
    await this.jobs.schedule(schedule);
    await this.jobs.remove(remove);
    const changed = schedule.length + remove.length > 0;
    if (changed) this.logger.debug({ scheduled: schedule.length, removed: remove.length }, 'deadline jobs updated');
    return changed;
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
