/**
 * Child process holding many benchmark subscribers: raw `ws` clients speaking the least of
 * graphql-transport-ws (connection_init, connection_ack, subscribe), the same for both servers.
 * Each records when every update arrives, by event id; the parent joins that with commit times.
 */
import WebSocket from 'ws';
import { clock, serveParent, type Collected, type CollectPlan, type ConnectPlan, type Connected, type SubscriberMethods } from './live-ipc.js';

const PROTOCOL = 'graphql-transport-ws';
const HANDSHAKE_TIMEOUT_MS = 30_000;
/** Updates carry `"event":{"id":"<digits>"` first: the id is read without parsing the message. */
const EVENT_ID_MARKER = Buffer.from('"event":{"id":"');
const QUOTE = 0x22;
const MAX_PROBLEMS = 5;

/** One subscriber on its own WebSocket. */
class Subscriber {
  private socket: WebSocket | undefined;
  /** Whether the first update was checked for the dashboard's shape. */
  checked = false;
  closedByUs = false;

  constructor(
    /** Its column in the arrival records. */
    public index: number,
    private readonly onMessage: (subscriber: Subscriber, data: Buffer) => void,
    private readonly onClose: (subscriber: Subscriber, code: number, reason: string) => void,
  ) {}

  /** Resolves once connection_ack came and the subscription was sent. */
  open(plan: ConnectPlan): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(plan.url, PROTOCOL, { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
      this.socket = socket;
      let acknowledged = false;
      const timer = setTimeout(() => fail(new Error('no connection_ack in time')), HANDSHAKE_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.terminate();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${plan.token}` } })));
      socket.on('message', (data: Buffer) => {
        if (acknowledged) return this.onMessage(this, data);
        if (!data.toString().includes('"connection_ack"')) return fail(new Error(`expected connection_ack, got ${data.toString().slice(0, 200)}`));
        acknowledged = true;
        clearTimeout(timer);
        socket.off('error', fail);
        socket.on('error', () => undefined); // a close follows, and is what is reported
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: plan.query } }));
        resolve();
      });
      socket.once('close', (code, reason) => {
        if (!acknowledged) fail(new Error(`closed during the handshake: ${code} ${reason.toString()}`));
        else this.onClose(this, code, reason.toString());
      });
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.closedByUs = true;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1000, 'benchmark done');
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 5000).unref();
    });
  }
}

/** Reads the event id of an update; undefined for any other message. */
function eventIdOf(data: Buffer): number | undefined {
  const at = data.indexOf(EVENT_ID_MARKER);
  if (at < 0) return undefined;
  let id = 0;
  for (let i = at + EVENT_ID_MARKER.length; i < data.length && data[i] !== QUOTE; i++) id = id * 10 + (data[i]! - 48);
  return id;
}

/** Whether an update has the dashboard's shape: an event and a ticket with its customer's name. */
function hasDashboardShape(text: string): boolean {
  let message;
  try {
    message = JSON.parse(text) as { type?: string; payload?: { data?: { ticketUpdated?: Record<string, Record<string, unknown>> }; errors?: unknown } };
  } catch {
    return false;
  }
  const update = message.payload?.data?.ticketUpdated;
  const customer = update?.['ticket']?.['customer'] as { name?: unknown } | undefined;
  return message.type === 'next' && !message.payload?.errors && typeof update?.['event']?.['id'] === 'string' && typeof customer?.name === 'string';
}

/** Every subscriber of this process and what they received since the last collection. */
class Subscribers {
  private readonly subscribers: Subscriber[] = [];
  /** Arrival time per event id, per subscriber (0: not yet). */
  private readonly arrivals = new Map<number, Float64Array>();
  private duplicates = 0;
  private malformed = 0;
  private problems: string[] = [];
  private closes: Record<string, number> = {};
  private sample: string | undefined;
  private waiting: { ids: Set<number>; missing: number; done: () => void } | undefined;

  async connect(plan: ConnectPlan): Promise<Connected> {
    const failed: string[] = [];
    const base = this.subscribers.length;
    let next = 0;
    const opener = async () => {
      while (next < plan.count) {
        const subscriber = new Subscriber(
          base + next++,
          (s, data) => this.received(s, data),
          (s, code, reason) => this.closed(s, code, reason),
        );
        await subscriber.open(plan).then(
          () => this.subscribers.push(subscriber),
          (error: unknown) => failed.push(String(error)),
        );
      }
    };
    await Promise.all(Array.from({ length: plan.concurrency }, opener));
    // Failed ones leave gaps: number the open ones again, as columns of the arrival records.
    this.subscribers.forEach((s, i) => (s.index = i));
    return { connected: this.subscribers.length, failed: failed.slice(0, MAX_PROBLEMS) };
  }

  private received(subscriber: Subscriber, data: Buffer): void {
    const at = clock();
    const id = eventIdOf(data);
    if (id === undefined) {
      this.malformed++;
      this.problem(`not an update: ${data.toString().slice(0, 300)}`);
      return;
    }
    if (!subscriber.checked) {
      subscriber.checked = true;
      const text = data.toString();
      this.sample ??= text;
      if (!hasDashboardShape(text)) {
        this.malformed++;
        this.problem(`unexpected update: ${text.slice(0, 300)}`);
      }
    }
    let times = this.arrivals.get(id);
    if (!times) this.arrivals.set(id, (times = new Float64Array(this.subscribers.length)));
    if (times[subscriber.index] !== 0) {
      this.duplicates++;
      return;
    }
    times[subscriber.index] = at;
    if (this.waiting?.ids.has(id) && --this.waiting.missing === 0) this.waiting.done();
  }

  private closed(subscriber: Subscriber, code: number, reason: string): void {
    if (subscriber.closedByUs) return;
    this.closes[code] = (this.closes[code] ?? 0) + 1;
    this.problem(`closed by the server: ${code} ${reason}`);
  }

  private problem(text: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(text);
  }

  /** Waits until every subscriber has every event asked for (or the timeout), then hands over and forgets them. */
  async collect(plan: CollectPlan): Promise<Collected> {
    const ids = new Set(plan.eventIds);
    let missing = 0;
    for (const id of ids) {
      const times = this.arrivals.get(id);
      for (let i = 0; i < this.subscribers.length; i++) if (!times || times[i] === 0) missing++;
    }
    if (missing > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, plan.timeoutMs);
        this.waiting = { ids, missing, done: () => (clearTimeout(timer), resolve()) };
      });
      this.waiting = undefined;
    }
    const connections = this.subscribers.length;
    const arrivals = new Float64Array(plan.eventIds.length * connections);
    plan.eventIds.forEach((id, row) => {
      const times = this.arrivals.get(id);
      if (times) arrivals.set(times.subarray(0, connections), row * connections);
      this.arrivals.delete(id);
    });
    let unexpected = 0;
    for (const times of this.arrivals.values()) for (const t of times) if (t !== 0) unexpected++;
    this.arrivals.clear();
    const collected: Collected = {
      arrivals,
      connections,
      unexpected,
      duplicates: this.duplicates,
      malformed: this.malformed,
      problems: this.problems,
      closes: this.closes,
      sample: this.sample,
    };
    this.duplicates = 0;
    this.malformed = 0;
    this.problems = [];
    this.closes = {};
    return collected;
  }

  async disconnect(): Promise<void> {
    const all = this.subscribers.splice(0);
    await Promise.all(all.map((s) => s.close()));
    this.arrivals.clear();
    this.sample = undefined;
  }
}

const subscribers = new Subscribers();
serveParent<SubscriberMethods>(
  { ready: true },
  {
    connect: (plan) => subscribers.connect(plan),
    collect: (plan) => subscribers.collect(plan),
    disconnect: () => subscribers.disconnect(),
  },
  () => subscribers.disconnect(),
);
