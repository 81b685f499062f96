import type { EntityManager } from '@mikro-orm/postgresql';
import { exponential } from 'agenda';
import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import type { DeliveryChannel } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import { Notification } from '../db/entities/index.js';
import type { FailedAttempt } from '../db/repositories/notification.repository.js';
import type { Logger } from '../logger.js';
import { DeliveryDeferred, PermanentDeliveryError, type Channel } from './channel.js';

export interface DispatcherOptions {
  /** Messages read per round. */
  readonly batchSize: number;
  /** Conversations delivered to at once (each one in order). */
  readonly concurrency: number;
  readonly sendTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/**
 * Wake-ups within this time share one read of the outbox: every commit wakes the dispatcher, most
 * wrote nothing to it, and at hundreds of commits a second a read per wake-up was a fifth of
 * createTicket's throughput (measured by npm run bench). At most this long is added to a delivery.
 */
const WAKE_DELAY_MS = 20;

class DeliveryTimeout extends Error {
  constructor(ms: number) {
    super(`no answer from the channel within ${ms} ms`);
    this.name = 'DeliveryTimeout';
  }
}

/**
 * Delivers the outbox. Exactly one instance dispatches at a time (it leads; see Leadership), so
 * each conversation receives its messages in order: one after another, and a message waiting
 * out a retry holds back the later ones of its conversation. Different conversations are
 * delivered to concurrently. A failed send is retried with exponential back-off and jitter;
 * after its last attempt the message is dead (visible to admins, who can resend it).
 * A channel that fails or hangs only delays its own conversation: every send has a time limit,
 * and at most one bounded batch is in memory.
 */
export class OutboxDispatcher {
  private running: Promise<void> | undefined;
  private wokenWhileRunning = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Infinity;
  private active = false;
  /** The earliest retry this dispatcher scheduled (others are found by polling). */
  private nextRetryAt = Infinity;
  private readonly retryDelay: (context: { attempt: number }) => number | null;

  constructor(
    private readonly em: EntityManager,
    private readonly channelFor: (message: NotificationRecord) => Channel,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions,
    private readonly logger: Logger,
  ) {
    const retry = exponential({ delay: options.retryBaseMs, maxDelay: options.retryMaxMs, maxRetries: options.maxAttempts - 1, jitter: 0.5 });
    this.retryDelay = (context) => retry({ ...context, error: new Error('delivery failed'), jobName: 'outbox', jobData: undefined });
  }

  start(): void {
    this.active = true;
    this.schedule(0);
  }

  /**
   * Something may have been written to the outbox (a commit here or on another instance).
   * Wake-ups close together share one read of the outbox.
   */
  wake(): void {
    if (!this.active) return;
    if (this.running) this.wokenWhileRunning = true;
    else this.schedule(WAKE_DELAY_MS);
  }

  /** Delivers what is ready now, once (the command-line check, without a running worker); how many were sent. */
  async drainOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const round = await this.deliverReady();
      sent += round.sent;
      if (round.read < this.options.batchSize || round.sent === 0) return sent;
    }
  }

  /** Runs a round after `delayMs`, unless one is already due sooner. */
  private schedule(delayMs: number): void {
    const dueAt = performance.now() + delayMs;
    if (this.timer && this.timerDueAt <= dueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = Infinity;
      void this.run();
    }, delayMs);
    this.timer.unref();
  }

  private run(): Promise<void> {
    if (this.running || !this.active) return this.running ?? Promise.resolve();
    this.running = (async () => {
      let next = this.options.pollIntervalMs;
      try {
        let round: { read: number; sent: number };
        this.wokenWhileRunning = false;
        do round = await this.deliverReady();
        while (this.active && round.read === this.options.batchSize);
        if (this.wokenWhileRunning) next = WAKE_DELAY_MS;
        if (this.nextRetryAt < Infinity) next = Math.min(next, Math.max(0, this.nextRetryAt - this.clock.now().getTime()));
      } catch (error) {
        this.logger.error({ err: error }, 'could not read the outbox; retrying');
        next = Math.min(1000, this.options.pollIntervalMs);
      } finally {
        this.running = undefined;
        if (this.active) this.schedule(next);
      }
    })();
    return this.running;
  }

  /** One round: read a batch, deliver each conversation's messages in order, record the outcomes. */
  private async deliverReady(): Promise<{ read: number; sent: number }> {
    const outbox = this.em.getRepository(Notification);
    const batch = await outbox.ready(this.clock.now(), this.options.batchSize);
    if (batch.length === 0) return { read: 0, sent: 0 };
    const byConversation = new Map<string, NotificationRecord[]>();
    for (const message of batch) {
      const queue = byConversation.get(message.conversation);
      if (queue) queue.push(message);
      else byConversation.set(message.conversation, [message]);
    }
    const limit = pLimit(this.options.concurrency);
    const sent = new Map<DeliveryChannel, string[]>();
    const failures: FailedAttempt[] = [];
    await Promise.all([...byConversation.values()].map((messages) => limit(() => this.deliverConversation(messages, sent, failures))));
    const now = this.clock.now();
    for (const [channel, ids] of sent) await outbox.markSent(ids, channel, now);
    for (const failure of failures) await outbox.markFailed(failure, now);
    const known = this.nextRetryAt > now.getTime() ? this.nextRetryAt : Infinity;
    this.nextRetryAt = Math.min(known, ...failures.flatMap((f) => (f.retryAt ? [f.retryAt.getTime()] : [])));
    return { read: batch.length, sent: [...sent.values()].reduce((n, ids) => n + ids.length, 0) };
  }

  /**
   * One conversation's messages, in order: each after the one before, or a run of them at once
   * where the channel can take several. A failure stops the conversation there: the rest waits.
   */
  private async deliverConversation(messages: readonly NotificationRecord[], sent: Map<DeliveryChannel, string[]>, failures: FailedAttempt[]): Promise<void> {
    for (let start = 0; start < messages.length; ) {
      const channel = this.channelFor(messages[start]!);
      let end = start + 1;
      if (channel.sendAll) while (end < messages.length && this.channelFor(messages[end]!) === channel) end++;
      const run = messages.slice(start, end);
      const failure = await this.attempt(channel, run);
      if (failure) {
        failures.push(failure);
        return;
      }
      const ids = sent.get(channel.name) ?? [];
      ids.push(...run.map((m) => m.id));
      sent.set(channel.name, ids);
      start = end;
    }
  }

  /** Sends messages (one, or a run through sendAll) within the time limit; what went wrong, if anything (it counts against the first). */
  private async attempt(channel: Channel, run: readonly NotificationRecord[]): Promise<FailedAttempt | null> {
    const first = run[0]!;
    const attempts = first.attempts + 1;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new DeliveryTimeout(this.options.sendTimeoutMs));
      }, this.options.sendTimeoutMs);
    });
    try {
      const sending = run.length > 1 && channel.sendAll ? channel.sendAll(run, controller.signal) : channel.send(first, controller.signal);
      await Promise.race([sending, timeout]);
      return null;
    } catch (error) {
      if (error instanceof DeliveryDeferred) {
        this.logger.info({ notificationId: first.id, conversation: first.conversation, channel: channel.name, retryAt: error.retryAt }, `delivery deferred: ${error.message}`);
        return { id: first.id, attempts: first.attempts, retryAt: error.retryAt, error: error.message };
      }
      const permanent = error instanceof PermanentDeliveryError;
      const delay = permanent ? null : this.retryDelay({ attempt: attempts });
      const retryAt = delay === null ? null : new Date(this.clock.now().getTime() + delay);
      const reason = error instanceof Error ? error.message : String(error);
      const context = { notificationId: first.id, conversation: first.conversation, channel: channel.name, attempts, err: error };
      if (retryAt) this.logger.warn({ ...context, retryAt }, 'could not deliver a message; it will be retried');
      else this.logger.error(context, 'could not deliver a message; it is now a dead letter (an admin can resend it)');
      return { id: first.id, attempts, retryAt, error: reason };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops dispatching; a round in progress finishes first. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    await this.running;
  }
}
