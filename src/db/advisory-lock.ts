import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * Session-level advisory locks, named: `hashtextextended(name)` is the 64-bit key. A lock is
 * held by a connection and released when that connection ends, so a crashed holder never
 * keeps it.
 */
const KEY = 'hashtextextended($1, 0)';

/** Every instance takes this lock to change the schema at start: migrations and Agenda's tables. */
export const SCHEMA_LOCK = 'wecom-tickets:schema';

/** Runs `work` while holding the named lock: instances that start together take turns. */
export async function withAdvisoryLock<T>(url: string, name: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(${KEY})`, [name]);
    return await work();
  } finally {
    await client.end();
  }
}

/**
 * The same, on a connection borrowed from `pool` (for locks taken per request, where opening a
 * connection each time would cost more than the work): released before the connection goes back.
 */
export async function withPooledAdvisoryLock<T>(pool: pg.Pool, name: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let released = false;
  try {
    await client.query(`select pg_advisory_lock(${KEY})`, [name]);
    try {
      return await work();
    } finally {
      // A connection whose unlock failed still holds the lock: end it rather than pool it.
      released = await client.query(`select pg_advisory_unlock(${KEY})`, [name]).then(() => true, () => false);
    }
  } finally {
    client.release(!released);
  }
}

/** Runs `work` if the named lock is free right now (nobody else leads that work); false when it was not. */
export async function ifAdvisoryLockFree(url: string, name: string, work: () => Promise<void>): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(${KEY}) as ok`, [name]);
    if (!rows[0]?.ok) return false;
    await work();
    return true;
  } finally {
    await client.end();
  }
}

export interface LeadershipHandlers {
  /** This instance now holds the lock: start the work only one instance may do. */
  elected(): void | Promise<void>;
  /** The lock is gone (connection lost, or stopping): stop that work. */
  deposed(): void | Promise<void>;
}

const RETRY_MS = { held: 2000, error: 1000, maxError: 10_000 };

/**
 * Leader election for work exactly one instance may do at a time (following the event log
 * with a durable position, delivering the outbox in order): whichever instance holds the named
 * advisory lock leads; the others try again every few seconds and take over within that time
 * after the leader stops or dies.
 */
export class Leadership {
  private client: pg.Client | undefined;
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private errorDelay = RETRY_MS.error;

  constructor(
    private readonly url: string,
    readonly name: string,
    private readonly handlers: LeadershipHandlers,
    private readonly logger: Logger,
    private readonly retryMs = RETRY_MS.held,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.attempt();
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      this.client ??= await this.connect();
      const { rows } = await this.client.query<{ ok: boolean }>(`select pg_try_advisory_lock(${KEY}) as ok`, [this.name]);
      this.errorDelay = RETRY_MS.error;
      if (rows[0]?.ok && !this.stopped) {
        this.leading = true;
        this.logger.info({ role: this.name }, 'this instance now leads');
        await this.handlers.elected();
        return;
      }
      this.retry(this.retryMs);
    } catch (error) {
      this.logger.warn({ err: error, role: this.name, retryInMs: this.errorDelay }, 'could not take part in leader election yet');
      this.drop();
      this.retry(this.errorDelay);
      this.errorDelay = Math.min(this.errorDelay * 2, RETRY_MS.maxError);
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    await client.connect();
    return client;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.drop();
    if (this.stopped) return;
    this.logger.warn({ err: error, role: this.name }, 'lost the connection holding the leader lock');
    void this.depose();
    this.retry(this.errorDelay);
  }

  private async depose(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    await this.handlers.deposed();
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners('end');
    client?.end().catch(() => undefined);
  }

  private retry(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(), delayMs);
    this.timer.unref();
  }

  /** Stops the led work first, then gives the lock up (by ending its connection). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.depose();
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners('end');
    await client?.end().catch(() => undefined);
  }
}
