import pg from 'pg';
import type { Logger } from '../logger.js';
import { TICKET_EVENTS_CHANNEL } from './change-notifier.js';

const RECONNECT_DELAY_MS = { first: 250, max: 5000 };

/**
 * Holds one connection LISTENing for commits on any instance. When the connection drops it
 * reconnects with backoff, and wakes the follower once listening again, since commits made
 * meanwhile sent notifications nobody heard.
 */
export class ChangeListener {
  private client: pg.Client | undefined;
  private closed = false;
  private delay = RECONNECT_DELAY_MS.first;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly wake: () => void,
    private readonly logger: Logger,
    /** This instance's mark on its own notifications (see ChangeNotifier): those woke it already. */
    private readonly origin: string,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (!message.payload?.startsWith(`${this.origin}:`)) this.wake();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${TICKET_EVENTS_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.delay = RECONNECT_DELAY_MS.first;
    this.wake();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.logger.warn({ err: error }, 'lost the connection listening for ticket events; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retry = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.logger.warn({ err: error, retryInMs: this.delay }, 'could not listen for ticket events yet');
        this.scheduleReconnect();
      });
    }, this.delay);
    this.delay = Math.min(this.delay * 2, RECONNECT_DELAY_MS.max);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.client?.end();
  }
}
