import type { DeliveryChannel } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';

/**
 * Something that delivers messages to people: the development channel now, the WeCom channels
 * (smart robot, group webhook, app messages) later. The dispatcher decides when and in which
 * order; a channel only sends.
 *
 * `send` resolves once the message is delivered and rejects when it was not; it should give up
 * when `signal` aborts (the dispatcher's time limit). The message's idempotency key is the
 * channel's to honour: a key it has delivered before must not reach people twice (the
 * dispatcher may offer it again after a crash between sending and recording).
 */
export interface Channel {
  readonly name: DeliveryChannel;
  send(message: NotificationRecord, signal: AbortSignal): Promise<void>;
  /**
   * Optional: delivers several messages of one conversation, in order, all or none. Offered by a
   * channel that can do so at once (the development channel, with one write); the dispatcher then
   * need not wait for each message before the next.
   */
  sendAll?(messages: readonly NotificationRecord[], signal: AbortSignal): Promise<void>;
}

/** A failure no retry can fix (the message is rejected, the channel is misconfigured): the message is dead at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * Not now, but not a failure: the conversation's rate limit is reached. The dispatcher holds the
 * message (and the rest of its conversation) until `retryAt`, without counting an attempt.
 */
export class DeliveryDeferred extends Error {
  constructor(readonly retryAt: Date, reason: string) {
    super(reason);
    this.name = 'DeliveryDeferred';
  }
}
