import type { Agenda } from 'agenda';
import type { Clock } from '../clock.js';
import { INBOUND_RETENTION_MS, type ChatStore } from '../db/chat-store.js';
import type { Logger } from '../logger.js';

/** Forgets the ids of chat messages processed long ago (a redelivery comes within minutes). */
export const FORGET_MESSAGES_JOB = 'chat-forget-processed-messages';
const FORGET_SCHEDULE = '17 4 * * *';

export async function startChatJobs(agenda: Agenda, store: ChatStore, clock: Clock, logger: Logger): Promise<void> {
  agenda.define(FORGET_MESSAGES_JOB, async () => {
    const forgotten = await store.forgetMessagesBefore(new Date(clock.now().getTime() - INBOUND_RETENTION_MS));
    if (forgotten > 0) logger.info({ forgotten }, 'forgot the ids of chat messages processed over a week ago');
  }, { concurrency: 1 });
  await agenda.every(FORGET_SCHEDULE, FORGET_MESSAGES_JOB);
}
