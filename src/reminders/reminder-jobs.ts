import { exponential, type Agenda, type Job, type JobWithId } from 'agenda';
import type { Logger } from '../logger.js';
import { DEADLINE_JOB, DEADLINE_JOB_LOCK_LIFETIME_MS, SWEEP_JOB, type DeadlineJobData } from './deadline-jobs.js';
import type { ReminderService } from './reminder-service.js';
import type { ReminderSweep } from './reminder-sweep.js';

/** 每小时的0分执行超时检查, as the brief schedules it. */
const SWEEP_SCHEDULE = '0 * * * *';

/**
 * The job definitions, the same on either store. The deadline job asks the reminder service
 * what is due for its ticket and moves itself to the next time (or is removed: the ticket needs
 * no job any more). A check that fails (the database is away) is retried with back-off; one that
 * gives up is found by the next sweep.
 */
export function defineReminderJobs(agenda: Agenda, reminders: ReminderService, sweep: ReminderSweep, concurrency: number, logger: Logger): void {
  agenda.define<DeadlineJobData>(
    DEADLINE_JOB,
    async (job: Job<DeadlineJobData>) => {
      const { next } = await reminders.checkDeadline(job.attrs.data.ticketId);
      if (next) job.schedule(next);
    },
    {
      concurrency,
      lockLifetime: DEADLINE_JOB_LOCK_LIFETIME_MS,
      removeOnComplete: true,
      backoff: exponential({ delay: 1000, factor: 2, maxDelay: 5 * 60_000, maxRetries: 12, jitter: 0.2 }),
    },
  );
  agenda.define(
    SWEEP_JOB,
    async () => {
      await sweep.run();
    },
    { concurrency: 1, lockLifetime: 30 * 60_000 },
  );
  agenda.on(`fail:${DEADLINE_JOB}`, (error: Error, job: JobWithId) =>
    logger.warn({ err: error, ticketId: (job.attrs.data as DeadlineJobData | undefined)?.ticketId, failCount: job.attrs.failCount }, 'deadline check failed; it will be retried'),
  );
}

/** Starts processing jobs and makes sure the hourly sweep is scheduled (one for the deployment). */
export async function startReminderJobs(agenda: Agenda): Promise<void> {
  await agenda.start();
  await agenda.every(SWEEP_SCHEDULE, SWEEP_JOB);
}
