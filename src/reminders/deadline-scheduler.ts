import type { Clock } from '../clock.js';
import { LOG_ORIGIN, type EventLogStore, type LoggedUpdate, type LogPosition } from '../db/event-log-store.js';
import { nextDeadlineCheck, type ReminderPolicy } from '../domain/reminder-policy.js';
import { SYSTEM_ACTOR, TicketEventType } from '../domain/ticket-event.js';
import { EventLogFollower } from '../live/event-log-follower.js';
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

/** Reading on past events that change no job, the position is kept at most this often (a crash re-reads no more). */
const POSITION_SAVE_MS = 1000;

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
  private follower: EventLogFollower | undefined;
  private positionSavedAt = -Infinity;

  constructor(
    private readonly log: EventLogStore,
    private readonly jobs: DeadlineJobStore,
    private readonly policy: ReminderPolicy,
    private readonly clock: Clock,
    private readonly options: DeadlineSchedulerOptions,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const follower = new EventLogFollower(this.log, (updates, through) => this.apply(updates, through), { ...this.options, wanted: () => WANTED }, this.logger);
    this.follower = follower;
    await follower.start((await this.log.consumerPosition(DEADLINE_SCHEDULER)) ?? LOG_ORIGIN);
    follower.wake();
  }

  wake(): void {
    this.follower?.wake();
  }

  private async apply(updates: readonly LoggedUpdate[], through: LogPosition): Promise<void> {
    const now = this.clock.now();
    const { schedule, remove } = deadlineJobChanges(updates, now, this.policy);
    await this.jobs.schedule(schedule);
    await this.jobs.remove(remove);
    const changed = schedule.length + remove.length > 0;
    if (changed || performance.now() - this.positionSavedAt >= POSITION_SAVE_MS) {
      await this.log.saveConsumerPosition(DEADLINE_SCHEDULER, through, now);
      this.positionSavedAt = performance.now();
    }
    if (changed) this.logger.debug({ scheduled: schedule.length, removed: remove.length }, 'deadline jobs updated');
  }

  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
  }
}
