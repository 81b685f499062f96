import type { EntityManager } from '@mikro-orm/postgresql';
import { startChatJobs } from './chat-adapter/chat-jobs.js';
import { startSimilarityJobs } from './tickets/similarity-jobs.js';
import { TicketAnnouncer } from './chat-adapter/ticket-announcer.js';
import type { StaffName } from './chat/reminder-messages.js';
import type { ChatStore } from './db/chat-store.js';
import type { Clock } from './clock.js';
import { Leadership } from './db/advisory-lock.js';
import type { EventLogStore } from './db/event-log-store.js';
import type { ReminderPolicy } from './domain/reminder-policy.js';
import type { Logger } from './logger.js';
import type { OutboxDispatcher } from './notifications/dispatcher.js';
import { DeadlineScheduler } from './reminders/deadline-scheduler.js';
import type { JobBackend } from './reminders/job-backend.js';
import { defineReminderJobs, startReminderJobs } from './reminders/reminder-jobs.js';
import type { ReminderService } from './reminders/reminder-service.js';
import type { ReminderSweep } from './reminders/reminder-sweep.js';

/** A chat connection only one instance may hold (the smart robot's long connection). */
export interface ChatConnection {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerDeps {
  readonly databaseUrl: string;
  readonly em: EntityManager;
  readonly log: EventLogStore;
  readonly jobs: JobBackend;
  readonly reminders: ReminderService;
  readonly sweep: ReminderSweep;
  readonly dispatcher: OutboxDispatcher;
  readonly policy: ReminderPolicy;
  readonly concurrency: number;
  readonly eventLogPollMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Held by the instance that delivers the outbox, as pushes go over it. */
  readonly chatConnection?: ChatConnection;
  readonly chatStore: ChatStore;
  /** Copies WeCom's directory into the staff directory (with the self-built app). */
  readonly syncDirectory?: () => Promise<unknown>;
  /** The signed 查看详情 link of a ticket, for its new-ticket card (none: cards without the link). */
  readonly detailUrl?: (ticketId: number) => string;
  /** The leads, when people can be messaged in private (the self-built app). */
  readonly leads?: () => Promise<readonly StaffName[]>;
}

export interface RunningWorker {
  /** A commit happened (here or elsewhere): there may be jobs to move and messages to deliver. */
  wake(): void;
  close(): Promise<void>;
}

/** The lock whose holder delivers the outbox. */
export const DISPATCHER_LEAD = 'wecom-tickets:outbox-dispatcher';

/** Deadline-job changes read from the event log per batch. */
const SCHEDULER_BATCH = 1000;
/**
 * A new deadline is hours away: its job written a tenth of a second later costs nothing, and
 * under a stream of new tickets the scheduler then writes a batch per tenth of a second rather
 * than one per ticket (createTicket throughput with the scheduler on, measured by npm run bench).
 */
const SCHEDULER_GATHER_MS = 100;

/**
 * The background work: Agenda runs the deadline jobs, the hourly sweep and recounts on every worker
 * instance (its locks share them out), while the deadline scheduler, the ticket announcer and the
 * outbox dispatcher (with the chat connection it delivers through) each run on one instance at a
 * time, whichever leads.
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { agenda } = deps.jobs;
  defineReminderJobs(agenda, deps.reminders, deps.sweep, deps.concurrency, deps.logger);
  await startReminderJobs(agenda);
  await startChatJobs(agenda, { store: deps.chatStore, syncDirectory: deps.syncDirectory, clock: deps.clock, logger: deps.logger });
  await startSimilarityJobs(agenda, { em: deps.em, logger: deps.logger });
  const scheduler = new DeadlineScheduler(deps.log, deps.jobs.jobs, deps.policy, deps.clock, { batchSize: SCHEDULER_BATCH, pollIntervalMs: deps.eventLogPollMs, gatherMs: SCHEDULER_GATHER_MS }, deps.logger);
  const announcer = new TicketAnnouncer(deps.em, deps.log, deps.clock, () => deps.dispatcher.wake(), { batchSize: SCHEDULER_BATCH, pollIntervalMs: deps.eventLogPollMs, detailUrl: deps.detailUrl, leads: deps.leads }, deps.logger);
  const connection = deps.chatConnection;
  const leads = [
    new Leadership(deps.databaseUrl, 'wecom-tickets:deadline-scheduler', { elected: () => scheduler.start(), deposed: () => scheduler.stop() }, deps.logger),
    new Leadership(deps.databaseUrl, 'wecom-tickets:ticket-announcer', { elected: () => announcer.start(), deposed: () => announcer.stop() }, deps.logger),
    new Leadership(
      deps.databaseUrl,
      DISPATCHER_LEAD,
      {
        elected: async () => {
          await connection?.start();
          deps.dispatcher.start();
        },
        deposed: async () => {
          await deps.dispatcher.stop();
          await connection?.stop();
        },
      },
      deps.logger,
    ),
  ];
  for (const lead of leads) lead.start();
  deps.logger.info({ store: deps.jobs.store }, 'deadline reminders running');
  return {
    wake: () => {
      scheduler.wake();
      announcer.wake();
      deps.dispatcher.wake();
    },
    close: async () => {
      await Promise.all(leads.map((lead) => lead.stop()));
      await agenda.stop(false);
    },
  };
}
