import { describe, expect, it, vi } from 'vitest';
import { LOG_ORIGIN, type EventLogStore, type EventSelection, type LogPosition, type LogRead } from '../../src/db/event-log-store.js';
import { TicketEventType } from '../../src/domain/ticket-event.js';
import { EventLogFollower } from '../../src/live/event-log-follower.js';
import { createLogger } from '../../src/logger.js';

/** A log whose reads the test answers: each read returns what was "committed" since the position asked for. */
function fakeLog() {
  let committed = 0;
  const reads: { after: bigint; wanted: EventSelection }[] = [];
  const store = {
    end: async () => LOG_ORIGIN,
    readAfter: async (after: LogPosition, limit: number, wanted: EventSelection): Promise<LogRead> => {
      reads.push({ after: after.id, wanted });
      const last = Math.min(committed, Number(after.id) + limit);
      return {
        updates: [],
        through: last > Number(after.id) ? { tx: 1n, id: BigInt(last) } : null,
        heldBack: false,
        full: last - Number(after.id) === limit,
      };
    },
  };
  return { store: store as unknown as EventLogStore, reads, commit: () => committed++ };
}

const logger = createLogger('silent');

describe('following the event log', () => {
  it('reads on each wake-up, handing over the position read through even when nothing in it was wanted', async () => {
    const log = fakeLog();
    const deliver = vi.fn(async () => undefined);
    const wanted = new Set([TicketEventType.CREATED]);
    const follower = new EventLogFollower(log.store, deliver, { batchSize: 100, pollIntervalMs: 60_000, wanted: () => wanted }, logger);
    await follower.start();
    log.commit();
    follower.wake();
    await vi.waitFor(() => expect(deliver).toHaveBeenCalledTimes(1));
    expect(deliver).toHaveBeenCalledWith([], { tx: 1n, id: 1n }, wanted);
    expect(log.reads).toEqual([{ after: 0n, wanted }]);
    log.commit();
    follower.wake();
    await vi.waitFor(() => expect(deliver).toHaveBeenCalledTimes(2));
    expect(log.reads.at(-1)).toEqual({ after: 1n, wanted });
    await follower.stop();
  });

  it('with a gathering time, reads once for the commits of that time', async () => {
    const log = fakeLog();
    const deliver = vi.fn(async () => undefined);
    const follower = new EventLogFollower(log.store, deliver, { batchSize: 100, pollIntervalMs: 60_000, gatherMs: 50 }, logger);
    await follower.start();
    for (let i = 0; i < 20; i++) {
      log.commit();
      follower.wake();
    }
    await vi.waitFor(() => expect(deliver).toHaveBeenCalledTimes(1));
    expect(deliver).toHaveBeenCalledWith([], { tx: 1n, id: 20n }, 'all');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.reads).toHaveLength(1);
    await follower.stop();
  });

  it('reads nothing more once stopped, not even a gathered wake-up', async () => {
    const log = fakeLog();
    const follower = new EventLogFollower(log.store, async () => undefined, { batchSize: 100, pollIntervalMs: 60_000, gatherMs: 30 }, logger);
    await follower.start();
    log.commit();
    follower.wake();
    await follower.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(log.reads).toHaveLength(0);
  });
});
