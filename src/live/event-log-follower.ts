import type { EventLogStore, EventSelection, LoggedUpdate, LogPosition } from '../db/event-log-store.js';
import type { Logger } from '../logger.js';

export interface FollowerOptions {
  /** Events read per query. */
  readonly batchSize: number;
  /** How often the log is read with no notification, so a lost NOTIFY only delays an update. */
  readonly pollIntervalMs: number;
  /** Which events to read whole, asked before each read (the others are passed over). */
  readonly wanted?: () => EventSelection;
  /**
   * How long a wake-up waits before reading, so that the commits of that time are read and
   * delivered as one batch (0: read at once). For a reader to whom a moment's delay costs
   * nothing, it turns a statement per commit into a statement per batch.
   */
  readonly gatherMs?: number;
}

/** Takes the wanted events read up to `through`, in log order (none, when the read held nothing wanted), and what was wanted. */
export type Delivery = (updates: readonly LoggedUpdate[], through: LogPosition, wanted: EventSelection) => Promise<void>;

/** While a running transaction holds events back, read again after 2, 4, … up to 256 ms. */
const HELD_BACK_RETRY_MS = { first: 2, max: 256 };

/**
 * Follows the event log on behalf of one instance: reads what settled after its position when
 * woken (NOTIFY, a local commit, or the poll timer) and hands the events over in log order,
 * waiting for each batch to be delivered before reading the next. Wake-ups during a read
 * collapse into one more read.
 */
export class EventLogFollower {
  private position: LogPosition | undefined;
  private reading: Promise<void> | undefined;
  private wokenWhileReading = false;
  private heldBackDelay = HELD_BACK_RETRY_MS.first;
  private timer: NodeJS.Timeout | undefined;
  private gathering: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: EventLogStore,
    private readonly deliver: Delivery,
    private readonly options: FollowerOptions,
    private readonly logger: Logger,
  ) {}

  /** Starts after `from`, or at the end of the log: what settled before now is history, not news. */
  async start(from?: LogPosition): Promise<LogPosition> {
    this.position = from ?? (await this.store.end());
    this.schedule(this.options.pollIntervalMs);
    return this.position;
  }

  wake(): void {
    if (this.stopped || this.position === undefined || this.gathering) return;
    if (this.reading) {
      this.wokenWhileReading = true;
      return;
    }
    const gatherMs = this.options.gatherMs ?? 0;
    if (gatherMs === 0) {
      this.reading = this.readAll();
      return;
    }
    this.gathering = setTimeout(() => {
      this.gathering = undefined;
      if (!this.stopped && !this.reading) this.reading = this.readAll();
    }, gatherMs);
  }

  private async readAll(): Promise<void> {
    clearTimeout(this.timer);
    let next = this.options.pollIntervalMs;
    try {
      let more = true;
      while (more && !this.stopped) {
        this.wokenWhileReading = false;
        const wanted = this.options.wanted?.() ?? 'all';
        const read = await this.store.readAfter(this.position!, this.options.batchSize, wanted);
        if (read.through) {
          await this.deliver(read.updates, read.through, wanted);
          this.position = read.through;
        }
        if (read.heldBack) {
          next = this.heldBackDelay;
          this.heldBackDelay = Math.min(this.heldBackDelay * 2, HELD_BACK_RETRY_MS.max);
        } else {
          this.heldBackDelay = HELD_BACK_RETRY_MS.first;
        }
        more = read.full || (this.wokenWhileReading && !read.heldBack);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'could not read the ticket event log; retrying');
      next = Math.min(1000, this.options.pollIntervalMs);
    } finally {
      this.reading = undefined;
      this.schedule(next);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), delayMs);
    this.timer.unref();
  }

  /** Stops following; resolves once a read in progress has been delivered. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.gathering);
    this.gathering = undefined;
    await this.reading;
  }
}
