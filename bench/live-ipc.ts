/**
 * The vocabulary between `npm run bench:live` and its child processes: what each kind of child
 * is asked and what it answers, and the two ends of the fork IPC channel that carry it.
 * Messages use the 'advanced' serialization, so typed arrays cross as bytes, not JSON.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** Wall-clock milliseconds, microsecond resolution, comparable across processes on one machine. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** The dashboard subscription every benchmark subscriber holds, on both servers. */
export const DASHBOARD_SUBSCRIPTION =
  'subscription { ticketUpdated { event { id type from to actorId createdAt } ' +
  'ticket { id title status priority assignedTo assignedToName deadline overdue version customer { name } } } }';

/** Changes committed (or published) at a steady rate: `count` of them, `rate` per second. */
export interface SteadyPlan {
  readonly rate: number;
  readonly count: number;
}

/** `count` changes as fast as the publisher goes, by `concurrency` writers at once. */
export interface BurstPlan {
  readonly count: number;
  readonly concurrency: number;
}

/** What a publisher did: one event per change, and when each was committed (t0). */
export interface Published {
  readonly eventIds: readonly number[];
  readonly t0: readonly number[];
  readonly startedAt: number;
  readonly finishedAt: number;
  /** How late the latest change of a steady plan started against its schedule. */
  readonly maxLateMs: number;
}

export interface ConnectPlan {
  readonly url: string;
  readonly token: string;
  readonly query: string;
  readonly count: number;
  /** Handshakes in flight at once. */
  readonly concurrency: number;
}

export interface Connected {
  readonly connected: number;
  readonly failed: readonly string[];
}

export interface CollectPlan {
  readonly eventIds: readonly number[];
  readonly timeoutMs: number;
}

/** Arrivals of the events asked for, on every connection of one subscriber process. */
export interface Collected {
  /** Row per event (in the order asked), column per connection; 0 where nothing arrived. */
  readonly arrivals: Float64Array;
  readonly connections: number;
  /** Updates received for events nobody asked about, and updates received twice. */
  readonly unexpected: number;
  readonly duplicates: number;
  /** Updates whose payload did not have the dashboard's shape, and error/complete messages. */
  readonly malformed: number;
  readonly problems: readonly string[];
  /** Connections closed by the server so far, by close code. */
  readonly closes: Readonly<Record<string, number>>;
  /** One update as it arrived, to compare what both servers send. */
  readonly sample: string | undefined;
}

/** Asked of every child: its clock (to check that arrival and commit times compare) and CPU time. */
export interface CommonMethods {
  clock: { params: undefined; result: number };
  cpu: { params: undefined; result: number };
}

export interface PublisherMethods extends CommonMethods {
  steady: { params: SteadyPlan; result: Published };
  burst: { params: BurstPlan; result: Published };
}

export interface ServerMethods extends CommonMethods {
  subscribers: { params: undefined; result: number };
}

export interface SubscriberMethods extends CommonMethods {
  connect: { params: ConnectPlan; result: Connected };
  collect: { params: CollectPlan; result: Collected };
  disconnect: { params: undefined; result: void };
}

type MethodMap<M> = { [K in keyof M]: { params: unknown; result: unknown } };
type Handlers<M extends MethodMap<M>> = { [K in Exclude<keyof M, keyof CommonMethods>]: (params: M[K]['params']) => Promise<M[K]['result']> | M[K]['result'] };

interface Call {
  readonly call: number;
  readonly method: string;
  readonly params: unknown;
}

interface Answer {
  readonly call: number;
  readonly result?: unknown;
  readonly error?: string;
}

const isCall = (message: unknown): message is Call => typeof message === 'object' && message !== null && 'call' in message && 'method' in message;
const isAnswer = (message: unknown): message is Answer => typeof message === 'object' && message !== null && 'call' in message && !('method' in message);

/**
 * The child's end: tells the parent it is ready (with `ready`), answers its calls, and closes
 * and exits when asked to stop or when the parent goes away.
 */
export function serveParent<M extends MethodMap<M>>(ready: object, handlers: Handlers<M>, close: () => Promise<void>): void {
  const common: Record<keyof CommonMethods, () => number> = {
    clock,
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
  };
  const all = { ...common, ...handlers } as Record<string, (params: unknown) => unknown>;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await close().catch((error: unknown) => console.error('closing a benchmark child failed', error));
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === 'stop') return void stop();
    if (!isCall(message)) return;
    const handler = all[message.method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no method ${message.method}`);
        return handler(message.params);
      })
      .then(
        (result) => process.send?.({ call: message.call, result } satisfies Answer),
        (error: unknown) => process.send?.({ call: message.call, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Answer),
      );
  });
  process.on('disconnect', () => void stop());
  process.send?.(ready);
}

/** The parent's end of one child process. */
export class Child<M extends MethodMap<M>> {
  private calls = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly subprocess: ChildProcess,
  ) {
    subprocess.on('message', (message) => {
      if (!isAnswer(message)) return;
      const waiting = this.pending.get(message.call);
      this.pending.delete(message.call);
      if (message.error !== undefined) waiting?.reject(new Error(`${name}: ${message.error}`));
      else waiting?.resolve(message.result);
    });
    subprocess.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`${name} exited (${signal ?? code}) during a call`));
      this.pending.clear();
    });
  }

  /** Forks `entry` and waits for its ready message (the first one that is not an answer). */
  static start<M extends MethodMap<M>, R = unknown>(name: string, entry: string, args: readonly string[], execArgv: readonly string[] = []): Promise<{ child: Child<M>; ready: R }> {
    const subprocess = fork(entry, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', execArgv: [...process.execArgv, ...execArgv] });
    const child = new Child<M>(name, subprocess);
    return new Promise((resolve, reject) => {
      const failed = (code: number | null) => reject(new Error(`${name} exited with ${code} before it was ready`));
      subprocess.once('error', reject);
      subprocess.once('exit', failed);
      const onMessage = (message: unknown) => {
        if (isAnswer(message)) return;
        subprocess.off('message', onMessage);
        subprocess.off('exit', failed);
        resolve({ child, ready: message as R });
      };
      subprocess.on('message', onMessage);
    });
  }

  call<K extends keyof M & string>(method: K, ...params: M[K]['params'] extends undefined ? [] : [M[K]['params']]): Promise<M[K]['result']> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const call = ++this.calls;
    return new Promise((resolve, reject) => {
      this.pending.set(call, { resolve: resolve as (value: unknown) => void, reject });
      this.subprocess.send({ call, method, params: params[0] } satisfies Call);
    });
  }

  /** Kills the child at once, for when the parent is exiting and cannot wait. */
  kill(): void {
    if (!this.exited) this.subprocess.kill('SIGKILL');
  }

  /** Asks the child to close and exit; kills it if it has not within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.subprocess.once('exit', () => resolve()));
    if (this.subprocess.connected) this.subprocess.send('stop');
    const timer = setTimeout(() => this.subprocess.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
