import type { Agenda } from 'agenda';
import type { Clock } from '../clock.js';
import { INBOUND_RETENTION_MS, type ChatStore } from '../db/chat-store.js';
import type { Logger } from '../logger.js';

/** Forgets the ids of chat messages processed long ago (a redelivery comes within minutes). */
export const FORGET_MESSAGES_JOB = 'chat-forget-processed-messages';
const FORGET_SCHEDULE = '17 4 * * *';

/** Copies names and aliases from WeCom's directory (with the self-built app): at start, then hourly. */
export const DIRECTORY_SYNC_JOB = 'wecom-directory-sync';
const DIRECTORY_SYNC_SCHEDULE = '41 * * * *';

export interface ChatJobDeps {
  readonly store: ChatStore;
  /** Present when the self-built app is configured. */
  readonly syncDirectory?: () => Promise<unknown>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export async function startChatJobs(agenda: Agenda, deps: ChatJobDeps): Promise<void> {
  const { store, clock, logger, syncDirectory } = deps;
  agenda.define(FORGET_MESSAGES_JOB, async () => {
    const forgotten = await store.forgetMessagesBefore(new Date(clock.now().getTime() - INBOUND_RETENTION_MS));
    if (forgotten > 0) logger.info({ forgotten }, 'forgot the ids of chat messages processed over a week ago');
  }, { concurrency: 1 });
  await agenda.every(FORGET_SCHEDULE, FORGET_MESSAGES_JOB);
  if (!syncDirectory) return;
  agenda.define(DIRECTORY_SYNC_JOB, async () => void (await syncDirectory()), { concurrency: 1, lockLifetime: 10 * 60_000 });
  await agenda.every(DIRECTORY_SYNC_SCHEDULE, DIRECTORY_SYNC_JOB);
  await agenda.now(DIRECTORY_SYNC_JOB);
}
