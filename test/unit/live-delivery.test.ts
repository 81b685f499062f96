import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { LogPosition } from '../../src/db/event-log-store.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { ChangeNotifier } from '../../src/live/change-notifier.js';
import { LiveConnection, SLOW_CONSUMER_CLOSE_CODE } from '../../src/live/live-connection.js';
import { TicketSubscriber } from '../../src/live/ticket-subscriber.js';
import { createLogger } from '../../src/logger.js';

/** A WebSocket whose peer reads nothing once `stalled`: what is sent piles up in bufferedAmount. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  stalled = false;
  readonly sent: string[] = [];
  closed: [number, string] | undefined;

  send(data: Buffer): void {
    this.sent.push(data.toString());
    if (this.stalled) this.bufferedAmount += data.length;
  }

  close(code: number, reason: string): void {
    this.closed = [code, reason];
    this.readyState = 2;
  }
}

const actor = { userId: 'zhangsan', role: StaffRole.AGENT, name: null };
const at = (id: number): LogPosition => ({ tx: 10n, id: BigInt(id) });
const payload = (n: number) => Buffer.from(`{"data":{"n":${n}}}}`);

function subscriberOn(socket: FakeSocket, limit = 1024, resumeAfter?: LogPosition) {
  const connection = new LiveConnection(socket as unknown as WebSocket, actor, limit);
  const ended = vi.fn();
  return { subscriber: new TicketSubscriber(connection, 'op-1', resumeAfter, ended), ended };
}

describe('sending updates to one subscriber', () => {
  it('writes graphql-ws "next" messages around the shared payload bytes', () => {
    const socket = new FakeSocket();
    subscriberOn(socket).subscriber.deliver(at(1), payload(1));
    expect(socket.sent.map((m) => JSON.parse(m))).toEqual([{ id: 'op-1', type: 'next', payload: { data: { n: 1 } } }]);
  });

  it('skips what the client saw before it resumed', () => {
    const socket = new FakeSocket();
    const { subscriber } = subscriberOn(socket, 1024, at(2));
    for (const n of [1, 2, 3]) subscriber.deliver(at(n), payload(n));
    expect(socket.sent.map((m) => JSON.parse(m).payload.data.n)).toEqual([3]);
  });

  it('sends replayed updates before the live ones that arrived meanwhile', () => {
    const socket = new FakeSocket();
    const { subscriber } = subscriberOn(socket, 1024, at(1));
    subscriber.holdLiveUpdates();
    subscriber.deliver(at(4), payload(4));
    subscriber.deliverMissed(payload(2));
    subscriber.deliverMissed(payload(3));
    subscriber.releaseLiveUpdates();
    subscriber.deliver(at(5), payload(5));
    expect(socket.sent.map((m) => JSON.parse(m).payload.data.n)).toEqual([2, 3, 4, 5]);
  });

  it('disconnects a peer that lets more than the limit pile up, with a retryable close code', () => {
    const socket = new FakeSocket();
    socket.stalled = true;
    const { subscriber } = subscriberOn(socket, 100);
    for (let n = 1; n <= 10; n++) subscriber.deliver(at(n), payload(n));
    expect(socket.closed).toEqual([SLOW_CONSUMER_CLOSE_CODE, expect.stringContaining('Too slow')]);
    expect(socket.bufferedAmount).toBeLessThanOrEqual(100);
  });

  it('ends once: graphql-ws completing it removes it from its group', async () => {
    const { subscriber, ended } = subscriberOn(new FakeSocket());
    const pending = subscriber.next();
    await subscriber.return();
    await subscriber.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(ended).toHaveBeenCalledTimes(1);
  });
});

describe('waking other instances after commits', () => {
  it('sends one NOTIFY at a time, marked with the instance, gathering the ids of commits made meanwhile', async () => {
    const payloads: string[] = [];
    let release!: () => void;
    const notify = vi.fn(async (_channel: string, payload: string) => {
      payloads.push(payload);
      if (payloads.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const wakeLocal = vi.fn();
    const notifier = new ChangeNotifier(notify, wakeLocal, createLogger('silent'), 'a1b2');
    notifier.committed(['1']);
    notifier.committed(['2', '3']);
    notifier.committed(['4']);
    release();
    await vi.waitFor(() => expect(payloads).toEqual(['a1b2:1', 'a1b2:2,3,4']));
    expect(wakeLocal).toHaveBeenCalledTimes(3);
  });

  it('keeps each NOTIFY under PostgreSQL\'s payload limit', async () => {
    const payloads: string[] = [];
    const notifier = new ChangeNotifier(async (_c, payload) => void payloads.push(payload), () => undefined, createLogger('silent'), 'a1b2');
    notifier.committed(Array.from({ length: 2000 }, (_, i) => String(1_000_000 + i)));
    await vi.waitFor(() => expect(payloads.map((p) => p.replace(/^a1b2:/, '')).join(',').split(',')).toHaveLength(2000));
    expect(Math.max(...payloads.map((p) => Buffer.byteLength(p)))).toBeLessThan(8000);
  });
});
