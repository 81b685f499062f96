/**
 * npm run bench:live — live ticket updates (Subscription.ticketUpdated over graphql-ws) to 1,000
 * and 5,000 subscribers: delivery latency from commit to subscriber at a low steady rate, and the
 * changes/s fully delivered to every subscriber in a burst. The service (a second instance
 * commits through TicketService; event log, NOTIFY, EventLogFollower and SubscriptionHub deliver)
 * runs side by side with a bare graphql-ws server whose subscription graphql-js executes per
 * subscriber from an in-memory pubsub, alternating round by round. Prints the figures and ratios.
 *
 * Every process is separate: the service, its writer, the bare server (with its publisher), and
 * the subscribers spread over client processes that report, per event id, when each update
 * arrived; the parent joins those with the commit times (t0).
 *
 * Settings (environment): BENCH_SUBSCRIBERS (1000,5000), BENCH_ROUNDS (3), BENCH_RATE (2 changes/s)
 * and BENCH_LATENCY_SECONDS (10) for the latency phase, BENCH_BURST_DELIVERIES (100000) or
 * BENCH_BURST (changes) and BENCH_WRITERS (4) for the burst, BENCH_CLIENT_PROCESSES (2),
 * BENCH_CONNECT_CONCURRENCY (50 handshakes at once per client process), LIVE_BUFFER_LIMIT_KB
 * (65536) and BENCH_CPU_PROF (a directory for CPU profiles of both server processes).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { signToken } from '../src/auth/tokens.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { StaffRole } from '../src/domain/staff-role.js';
import { createLogger } from '../src/logger.js';
import {
  Child,
  clock,
  DASHBOARD_SUBSCRIPTION,
  type Collected,
  type CommonMethods,
  type Published,
  type PublisherMethods,
  type ServerMethods,
  type SubscriberMethods,
} from './live-ipc.js';

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
}

const SUBSCRIBER_COUNTS = (process.env['BENCH_SUBSCRIBERS'] ?? '1000,5000').split(',').map((n) => {
  if (!/^\s*[1-9]\d*\s*$/.test(n)) throw new Error(`BENCH_SUBSCRIBERS must list positive integers, got "${n}"`);
  return Number(n);
});
/** Service and bare server alternate this many times per subscriber count; medians are reported. */
const ROUNDS = setting('BENCH_ROUNDS', 3);
/** Latency phase: a low steady rate, so it measures the fan-out rather than queueing. */
const RATE = setting('BENCH_RATE', 2);
const LATENCY_SECONDS = setting('BENCH_LATENCY_SECONDS', 10);
/** Burst phase: changes enough for about this many deliveries (BENCH_BURST fixes the number of changes). */
const BURST_DELIVERIES = setting('BENCH_BURST_DELIVERIES', 100_000);
/** Writers committing at once in the service's burst (the bare publisher has no commit to wait for). */
const WRITERS = setting('BENCH_WRITERS', 4);
const CLIENT_PROCESSES = setting('BENCH_CLIENT_PROCESSES', 2);
/** WebSocket handshakes in flight at once, per client process. */
const CONNECT_CONCURRENCY = setting('BENCH_CONNECT_CONCURRENCY', 50);
/** The service's slow-subscriber limit, far above anything a burst leaves unread. */
const BUFFER_LIMIT_KB = setting('LIVE_BUFFER_LIMIT_KB', 64 * 1024);
/** A directory: the service and bare server processes then write V8 CPU profiles there. */
const CPU_PROFILE_DIR = process.env['BENCH_CPU_PROF'];
const TICKETS = 240;
const WARM_UP = { rate: 10, count: 10 } as const;
/** A steady publisher this late against its schedule was held up by the fan-out: queueing, not latency. */
const QUEUEING_MS = 10;
const COLLECT_TIMEOUT_MS = 120_000;
const SUBSCRIBE_TIMEOUT_MS = 120_000;

const burstSize = (subscribers: number): number =>
  process.env['BENCH_BURST'] ? setting('BENCH_BURST', 1) : Math.min(500, Math.max(WRITERS * 5, Math.round(BURST_DELIVERIES / subscribers)));

interface Contender {
  readonly name: string;
  readonly url: string;
  readonly server: Child<ServerMethods>;
  readonly publisher: Child<PublisherMethods>;
  readonly writers: number;
}

interface LatencyFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly deliveries: number;
  readonly missing: number;
  /** How late the steady publisher was against its schedule, at worst. */
  readonly lateMs: number;
}

interface BurstFigures {
  readonly changes: number;
  readonly changesPerSecond: number;
  readonly messagesPerSecond: number;
  /** How fast the changes were committed (published), whatever the delivery. */
  readonly committedPerSecond: number;
  readonly missing: number;
  /** CPU time per message delivered: the server process (service instance or bare server), the subscriber processes. */
  readonly serverCpuUs: number;
  readonly subscriberCpuUs: number;
  /** Share of the machine's CPU time in use during the burst (all processes, PostgreSQL included). */
  readonly machineBusy: number;
}

interface Run {
  readonly connectSeconds: number;
  readonly latency: LatencyFigures;
  readonly burst: BurstFigures;
  readonly anomalies: Anomalies;
  readonly sample: string | undefined;
}

interface Anomalies {
  unexpected: number;
  duplicates: number;
  malformed: number;
  closes: Record<string, number>;
  problems: string[];
}

const noAnomalies = (): Anomalies => ({ unexpected: 0, duplicates: 0, malformed: 0, closes: {}, problems: [] });

function addAnomalies(into: Anomalies, collected: readonly Collected[]): void {
  for (const c of collected) {
    into.unexpected += c.unexpected;
    into.duplicates += c.duplicates;
    into.malformed += c.malformed;
    for (const [code, n] of Object.entries(c.closes)) into.closes[code] = (into.closes[code] ?? 0) + n;
    into.problems.push(...c.problems.slice(0, Math.max(0, 5 - into.problems.length)));
  }
}

/** Latency of every (subscriber, event) delivery, sorted; missing deliveries counted apart. */
function join(published: Published, collected: readonly Collected[]): { sorted: Float64Array; missing: number; lastArrival: number } {
  const total = collected.reduce((n, c) => n + c.connections, 0) * published.eventIds.length;
  const latencies = new Float64Array(total);
  let n = 0;
  let lastArrival = 0;
  for (const { arrivals, connections } of collected) {
    for (let row = 0; row < published.eventIds.length; row++) {
      const t0 = published.t0[row]!;
      for (let column = 0; column < connections; column++) {
        const at = arrivals[row * connections + column]!;
        if (at === 0) continue;
        latencies[n++] = at - t0;
        if (at > lastArrival) lastArrival = at;
      }
    }
  }
  return { sorted: latencies.subarray(0, n).sort(), missing: total - n, lastArrival };
}

const percentile = (sorted: Float64Array, q: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** CPU milliseconds used so far by each child. */
function cpuOf(children: readonly Child<CommonMethods>[]): Promise<number[]> {
  return Promise.all(children.map((c) => c.call('cpu')));
}

/** Busy and total CPU milliseconds of the whole machine so far. */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Splits `total` subscribers over the client processes as evenly as it goes. */
const shares = (total: number, parts: number): number[] => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

class Bench {
  constructor(
    private readonly clients: readonly Child<SubscriberMethods>[],
    private readonly token: string,
  ) {}

  /** Publishes per `publish`, then waits until every subscriber has every event (or the timeout). */
  private async phase(contender: Contender, publish: () => Promise<Published>, anomalies: Anomalies) {
    const machine0 = machineCpu();
    const [serverCpu0 = 0, ...clientCpu0] = await cpuOf([contender.server, ...this.clients]);
    const published = await publish();
    const collected = await Promise.all(this.clients.map((c) => c.call('collect', { eventIds: published.eventIds, timeoutMs: COLLECT_TIMEOUT_MS })));
    const [serverCpu1 = 0, ...clientCpu1] = await cpuOf([contender.server, ...this.clients]);
    const machine1 = machineCpu();
    addAnomalies(anomalies, collected);
    return {
      published,
      collected,
      ...join(published, collected),
      serverCpuMs: serverCpu1 - serverCpu0,
      subscriberCpuMs: clientCpu1.reduce((sum, cpu, i) => sum + cpu - clientCpu0[i]!, 0),
      machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
    };
  }

  async measure(contender: Contender, subscribers: number): Promise<Run> {
    const counts = shares(subscribers, this.clients.length);
    const connecting = clock();
    const connected = await Promise.all(
      this.clients.map((c, i) => c.call('connect', { url: contender.url, token: this.token, query: DASHBOARD_SUBSCRIPTION, count: counts[i]!, concurrency: CONNECT_CONCURRENCY })),
    );
    const anomalies = noAnomalies();
    try {
      const failed = connected.flatMap((c) => c.failed);
      if (failed.length > 0) throw new Error(`${contender.name}: ${subscribers - connected.reduce((n, c) => n + c.connected, 0)} subscribers could not connect: ${failed.join('; ')}`);
      await until(`${subscribers} subscriptions on ${contender.name}`, async () => (await contender.server.call('subscribers')) === subscribers, SUBSCRIBE_TIMEOUT_MS);
      const connectSeconds = (clock() - connecting) / 1000;

      const warmUp = await this.phase(contender, () => contender.publisher.call('steady', WARM_UP), anomalies);
      const steady = await this.phase(contender, () => contender.publisher.call('steady', { rate: RATE, count: Math.round(RATE * LATENCY_SECONDS) }), anomalies);
      const changes = burstSize(subscribers);
      const burst = await this.phase(contender, () => contender.publisher.call('burst', { count: changes, concurrency: contender.writers }), anomalies);

      const burstSeconds = (burst.lastArrival - burst.published.startedAt) / 1000;
      const messages = burst.sorted.length;
      return {
        connectSeconds,
        latency: {
          p50: percentile(steady.sorted, 0.5),
          p99: percentile(steady.sorted, 0.99),
          max: percentile(steady.sorted, 1),
          deliveries: steady.sorted.length,
          missing: warmUp.missing + steady.missing,
          lateMs: steady.published.maxLateMs,
        },
        burst: {
          changes: burst.published.eventIds.length,
          changesPerSecond: burst.published.eventIds.length / burstSeconds,
          messagesPerSecond: messages / burstSeconds,
          committedPerSecond: (burst.published.eventIds.length * 1000) / (burst.published.finishedAt - burst.published.startedAt),
          missing: burst.missing,
          serverCpuUs: (burst.serverCpuMs * 1000) / messages,
          subscriberCpuUs: (burst.subscriberCpuMs * 1000) / messages,
          machineBusy: burst.machineBusy,
        },
        anomalies,
        sample: steady.collected.find((c) => c.sample)?.sample,
      };
    } finally {
      await Promise.all(this.clients.map((c) => c.call('disconnect')));
      await until(`${contender.name} to drop its subscribers`, async () => (await contender.server.call('subscribers')) === 0, SUBSCRIBE_TIMEOUT_MS);
    }
  }
}

const ms = (value: number, width = 7) => value.toFixed(1).padStart(width);
const count = (value: number, width = 10) => Math.round(value).toLocaleString('en-US').padStart(width);
const percent = (share: number) => `${Math.round(share * 100)}%`;

function printRun(name: string, round: number, run: Run): void {
  const { latency: l, burst: b } = run;
  const queueing = l.lateMs > QUEUEING_MS ? ' QUEUEING' : '';
  console.log(
    `  round ${round}  ${name.padEnd(16)} connect ${run.connectSeconds.toFixed(1)} s | steady: p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  max ${ms(l.max)} ms, ` +
      `${count(l.deliveries, 7)} deliveries, publisher late ≤ ${l.lateMs.toFixed(1)} ms${queueing} | burst ${b.changes}: ${count(b.changesPerSecond, 5)} changes/s ` +
      `${count(b.messagesPerSecond, 7)} msg/s, committed ${count(b.committedPerSecond, 4)}/s, CPU/msg server ${b.serverCpuUs.toFixed(1)} µs subscribers ${b.subscriberCpuUs.toFixed(1)} µs, ` +
      `machine ${percent(b.machineBusy)} busy | missing ${l.missing + b.missing}`,
  );
}

/** A contender's rounds, combined: latency and burst figures, missing deliveries of both phases. */
type Summary = Omit<LatencyFigures, 'deliveries'> & Omit<BurstFigures, 'changes'> & { readonly anomalies: Anomalies };

function summarise(runs: readonly Run[]): Summary {
  const anomalies = noAnomalies();
  for (const run of runs) {
    anomalies.unexpected += run.anomalies.unexpected;
    anomalies.duplicates += run.anomalies.duplicates;
    anomalies.malformed += run.anomalies.malformed;
    for (const [code, n] of Object.entries(run.anomalies.closes)) anomalies.closes[code] = (anomalies.closes[code] ?? 0) + n;
    anomalies.problems.push(...run.anomalies.problems);
  }
  return {
    p50: median(runs.map((r) => r.latency.p50)),
    p99: median(runs.map((r) => r.latency.p99)),
    max: median(runs.map((r) => r.latency.max)),
    lateMs: Math.max(...runs.map((r) => r.latency.lateMs)),
    changesPerSecond: median(runs.map((r) => r.burst.changesPerSecond)),
    messagesPerSecond: median(runs.map((r) => r.burst.messagesPerSecond)),
    committedPerSecond: median(runs.map((r) => r.burst.committedPerSecond)),
    missing: runs.reduce((n, r) => n + r.latency.missing + r.burst.missing, 0),
    serverCpuUs: median(runs.map((r) => r.burst.serverCpuUs)),
    subscriberCpuUs: median(runs.map((r) => r.burst.subscriberCpuUs)),
    machineBusy: median(runs.map((r) => r.burst.machineBusy)),
    anomalies,
  };
}

/** The top-level keys of an update, recursively, to show both servers send the same shape. */
function shapeOf(text: string | undefined): string {
  if (!text) return '(none)';
  const describe = (value: unknown): string =>
    value !== null && typeof value === 'object' ? `{${Object.entries(value).map(([k, v]) => `${k}${describe(v)}`).join(' ')}}` : '';
  return describe((JSON.parse(text) as { payload: unknown }).payload);
}

function printTable(results: Map<number, Map<string, Run[]>>): void {
  console.log(`\nlive updates, medians of ${ROUNDS} rounds`);
  console.log(`  latency: commit (t0) → update received, over every (subscriber, event) of the steady phase (${RATE} changes/s)`);
  console.log('  burst: changes (messages) per second until every subscriber had every change; committed/s: how fast they were committed or published');
  console.log('    (the bare publisher shares its server\'s event loop, so it publishes no faster than the server delivers)');
  console.log('  CPU µs/msg: server process, subscriber processes, per message delivered in the burst; busy: the whole machine during the burst');
  console.log(
    `  ${'subscribers'.padEnd(12)}${'server'.padEnd(17)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}` +
      `${'changes/s'.padStart(11)}${'messages/s'.padStart(12)}${'committed/s'.padStart(13)}${'missing'.padStart(9)}${'CPU µs/msg'.padStart(16)}${'busy'.padStart(6)}`,
  );
  for (const [subscribers, byContender] of results) {
    for (const [name, runs] of byContender) {
      const s = summarise(runs);
      console.log(
        `  ${String(subscribers).padEnd(12)}${name.padEnd(17)}${ms(s.p50, 8)}${ms(s.p99, 9)}${ms(s.max, 9)}${count(s.changesPerSecond, 11)}${count(s.messagesPerSecond, 12)}` +
          `${count(s.committedPerSecond, 13)}${String(s.missing).padStart(9)}${`${s.serverCpuUs.toFixed(1)} + ${s.subscriberCpuUs.toFixed(1)}`.padStart(16)}${percent(s.machineBusy).padStart(6)}` +
          (s.lateMs > QUEUEING_MS ? `  (steady publisher up to ${s.lateMs.toFixed(0)} ms late: latency includes queueing)` : ''),
      );
    }
  }

  console.log('\nratios (service / bare graphql-ws; target: p99 at 5,000 subscribers ≤ 0.5)');
  for (const [subscribers, byContender] of results) {
    const [service, bare] = [...byContender.values()].map(summarise) as [Summary, Summary];
    const p99 = service.p99 / bare.p99;
    const target = subscribers === 5000 ? `   target ≤ 0.5: ${p99 <= 0.5 ? 'met' : 'NOT met'}` : '';
    console.log(
      `  ${String(subscribers).padStart(5)} subscribers   p99 ${p99.toFixed(2)}×   p50 ${(service.p50 / bare.p50).toFixed(2)}×` +
        `   delivered changes/s ${(service.changesPerSecond / bare.changesPerSecond).toFixed(2)}×${target}`,
    );
  }

  const anomalies = [...results.entries()].flatMap(([subscribers, byContender]) =>
    [...byContender.entries()].map(([name, runs]) => ({ subscribers, name, ...summarise(runs).anomalies })),
  );
  const troubled = anomalies.filter((a) => a.unexpected + a.duplicates + a.malformed > 0 || Object.keys(a.closes).length > 0 || a.problems.length > 0);
  console.log(`\nanomalies: ${troubled.length === 0 ? 'none (no unexpected, duplicate or malformed updates; no connection closed by a server)' : ''}`);
  for (const a of troubled) {
    console.log(`  ${a.subscribers} ${a.name}: unexpected ${a.unexpected}, duplicates ${a.duplicates}, malformed ${a.malformed}, closes ${JSON.stringify(a.closes)}`);
    for (const problem of a.problems) console.log(`    ${problem}`);
  }
}

/** How far each child's clock is from ours, at best: arrival and commit times come from different processes. */
async function clockSkew(children: readonly Child<CommonMethods>[]): Promise<{ skewMs: number; roundTripMs: number }> {
  let skewMs = 0;
  let roundTripMs = 0;
  for (const child of children) {
    let best = { roundTrip: Infinity, offset: 0 };
    for (let i = 0; i < 10; i++) {
      const sent = clock();
      const theirs = await child.call('clock');
      const back = clock();
      if (back - sent < best.roundTrip) best = { roundTrip: back - sent, offset: theirs - (sent + back) / 2 };
    }
    skewMs = Math.max(skewMs, Math.abs(best.offset));
    roundTripMs = Math.max(roundTripMs, best.roundTrip);
  }
  return { skewMs, roundTripMs };
}

async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const entry = (name: string) => path.join(here, `${name}.js`);
  const profiling = CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROFILE_DIR)}`] : [];
  const logger = createLogger('warn', 'bench');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-bench-live-'));
  const children: Child<CommonMethods>[] = [];
  let database: EmbeddedDatabase | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaned ??= (async () => {
      await Promise.allSettled(children.map((c) => c.stop()));
      await database?.stop().catch((error: unknown) => console.error('stopping PostgreSQL failed', error));
      await rm(dataDir, { recursive: true, force: true });
    })());
  // embedded-postgres stops its cluster on SIGINT/SIGTERM and then exits the process itself,
  // possibly before the cleanup above is done: whatever is left goes on the way out.
  process.once('exit', () => {
    for (const child of children) child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the benchmark's processes and PostgreSQL`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    database = await startEmbeddedPostgres({ dataDir, port: 56000 + Math.floor(Math.random() * 3000), database: 'bench', logger, persistent: false });
    const jwtSecret = randomBytes(32).toString('base64url');
    const token = await signToken(jwtSecret, { userId: 'bench-viewer', role: StaffRole.AGENT, name: '看板' });

    const started = async <T extends { child: Child<CommonMethods> }>(starting: Promise<T>): Promise<T> => {
      const running = await starting;
      children.push(running.child);
      return running;
    };
    // The service instance first: it migrates the database the writer then uses.
    const service = await started(Child.start<ServerMethods, { url: string }>('service', entry('live-service-process'), [database.url, jwtSecret, String(BUFFER_LIMIT_KB)], profiling));
    const [writer, bare, ...clients] = await Promise.all([
      started(Child.start<PublisherMethods>('writer', entry('live-writer-process'), [database.url, jwtSecret, String(TICKETS)])),
      started(Child.start<PublisherMethods & ServerMethods, { url: string }>('bare graphql-ws', entry('live-baseline-process'), [String(TICKETS)], profiling)),
      ...Array.from({ length: CLIENT_PROCESSES }, (_, i) => started(Child.start<SubscriberMethods>(`subscribers ${i + 1}`, entry('live-subscribers-process'), []))),
    ]);

    const cpu = os.cpus();
    const skew = await clockSkew(children);
    console.log(
      `live-updates benchmark: node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, one embedded PostgreSQL 18\n` +
        `  subscribers ${SUBSCRIBER_COUNTS.join(' and ')} over ${CLIENT_PROCESSES} client processes; ${ROUNDS} alternating rounds each\n` +
        `  latency phase: ${RATE} changes/s for ${LATENCY_SECONDS} s; burst: ${process.env['BENCH_BURST'] ?? `~${BURST_DELIVERIES.toLocaleString('en-US')} deliveries`} ` +
        `(service: ${WRITERS} concurrent writers on a second instance; bare: one in-process publisher)\n` +
        `  service buffer limit ${BUFFER_LIMIT_KB} KiB per connection; clock skew between processes ≤ ${skew.skewMs.toFixed(3)} ms (IPC round trip ${skew.roundTripMs.toFixed(2)} ms)`,
    );

    const contenders: [Contender, Contender] = [
      { name: 'service (hub)', url: service.ready.url, server: service.child, publisher: writer.child, writers: WRITERS },
      { name: 'bare graphql-ws', url: bare.ready.url, server: bare.child, publisher: bare.child, writers: 1 },
    ];
    const bench = new Bench(
      clients.map((c) => c.child),
      token,
    );
    const results = new Map<number, Map<string, Run[]>>();
    const samples = new Map<string, string | undefined>();
    for (const subscribers of SUBSCRIBER_COUNTS) {
      console.log(`\n${subscribers} subscribers (burst of ${burstSize(subscribers)} changes)`);
      const byContender = new Map<string, Run[]>(contenders.map((c) => [c.name, []]));
      results.set(subscribers, byContender);
      for (let round = 1; round <= ROUNDS; round++) {
        // Alternate who goes first, so drift on the machine hits both alike.
        for (const contender of round % 2 === 1 ? contenders : [...contenders].reverse()) {
          const run = await bench.measure(contender, subscribers);
          byContender.get(contender.name)!.push(run);
          samples.set(contender.name, samples.get(contender.name) ?? run.sample);
          printRun(contender.name, round, run);
        }
      }
    }

    console.log('\nthe same update from each server (keys of the payload; sizes in bytes):');
    for (const [name, sample] of samples) console.log(`  ${name.padEnd(16)} ${Buffer.byteLength(sample ?? '')} B  ${shapeOf(sample)}`);
    printTable(results);
  } finally {
    await cleanUp();
    if (CPU_PROFILE_DIR) console.log(`\nCPU profiles of the service and bare server processes: ${path.resolve(CPU_PROFILE_DIR)}`);
  }
}

await main();
