import { isAfter, type LogPosition } from '../db/event-log-store.js';
import type { LiveConnection } from './live-connection.js';

/**
 * One `ticketUpdated` subscription on a connection. graphql-ws drives it as an async iterator
 * that never yields: updates, rendered once per group of identical subscriptions, are written to
 * the socket directly (see SubscriptionHub), and the iterator only tells graphql-ws when the
 * subscription ends (returning) or fails (throwing, which graphql-ws reports as an error message).
 */
export class TicketSubscriber implements AsyncGenerator<never, undefined> {
  /** `{"id":"…","type":"next","payload":` — the rendered payload and a closing brace follow. */
  private readonly prefix: Buffer;
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  private readonly ended: Promise<IteratorResult<never, undefined>>;
  private finish!: (result: IteratorResult<never, undefined>) => void;
  private fail!: (error: unknown) => void;
  private done = false;

  constructor(
    readonly connection: LiveConnection,
    operationId: string,
    /** Updates at or before this position were seen by the client already (afterEventId). */
    private readonly resumeAfter: LogPosition | undefined,
    private readonly onEnd: (subscriber: TicketSubscriber) => void,
  ) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(operationId)},"type":"next","payload":`);
    this.ended = new Promise((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.ended.catch(() => undefined);
  }

  get active(): boolean {
    return !this.done && this.connection.open;
  }

  /** A live update; `payload` is the rendered execution result followed by `}`. */
  deliver(position: LogPosition, payload: Buffer): void {
    if (this.done || (this.resumeAfter && !isAfter(position, this.resumeAfter))) return;
    const message = Buffer.concat([this.prefix, payload]);
    if (!this.held) {
      this.connection.send(message);
      return;
    }
    this.held.push(message);
    this.heldBytes += message.length;
    if (this.heldBytes > this.connection.maxBufferedBytes) this.connection.closeAsTooSlow(this.heldBytes);
  }

  /** An update replayed from the log, sent ahead of the live ones held meanwhile. */
  deliverMissed(payload: Buffer): void {
    if (!this.done) this.connection.send(Buffer.concat([this.prefix, payload]));
  }

  /** While missed updates are replayed, live ones wait behind them. */
  holdLiveUpdates(): void {
    this.held = [];
  }

  releaseLiveUpdates(): void {
    const held = this.held ?? [];
    this.held = undefined;
    this.heldBytes = 0;
    for (const message of held) if (!this.connection.send(message)) break;
  }

  /** Ends the subscription with an error graphql-ws sends to the client. */
  abort(error: unknown): void {
    if (this.end()) this.fail(error);
  }

  private end(): boolean {
    if (this.done) return false;
    this.done = true;
    this.held = undefined;
    this.onEnd(this);
    return true;
  }

  next(): Promise<IteratorResult<never, undefined>> {
    return this.ended;
  }

  return(): Promise<IteratorResult<never, undefined>> {
    if (this.end()) this.finish({ done: true, value: undefined });
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error: unknown): Promise<IteratorResult<never, undefined>> {
    this.abort(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}
