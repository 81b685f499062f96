import type { Clock } from '../clock.js';
import { LOG_ORIGIN, type EventLogStore, type LoggedUpdate, type LogPosition } from '../db/event-log-store.js';
import type { Logger } from '../logger.js';
import { EventLogFollower, type FollowerOptions } from './event-log-follower.js';

/** Reading on past updates that change nothing, the position is kept at most this often (a crash re-reads no more). */
const POSITION_SAVE_MS = 1000;

/** Acts on a batch of updates; true when it wrote something (the position is then saved at once). */
export type ConsumeUpdates = (updates: readonly LoggedUpdate[]) => Promise<boolean>;

/**
 * A follower of the ticket event log that resumes where it left off: its position is kept under
 * its name in `event_log_consumers`, saved after each batch that changed something, so a crash
 * between a commit and its consequence loses nothing (the batch is read again; consumers make
 * their writes idempotent). One instance runs each consumer at a time (it leads).
 */
export class DurableLogConsumer {
  private follower: EventLogFollower | undefined;
  private positionSavedAt = -Infinity;

  constructor(
    readonly name: string,
    private readonly log: EventLogStore,
    private readonly consume: ConsumeUpdates,
    private readonly clock: Clock,
    private readonly options: FollowerOptions,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const follower = new EventLogFollower(this.log, (updates, through) => this.apply(updates, through), this.options, this.logger);
    this.follower = follower;
    await follower.start((await this.log.consumerPosition(this.name)) ?? LOG_ORIGIN);
    follower.wake();
  }

  wake(): void {
    this.follower?.wake();
  }

  private async apply(updates: readonly LoggedUpdate[], through: LogPosition): Promise<void> {
    const changed = await this.consume(updates);
    if (changed || performance.now() - this.positionSavedAt >= POSITION_SAVE_MS) {
      await this.log.saveConsumerPosition(this.name, through, this.clock.now());
      this.positionSavedAt = performance.now();
    }
  }

  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
  }
}
