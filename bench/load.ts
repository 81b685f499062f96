/**
 * Shared by the HTTP benchmarks: servers in child processes, autocannon load, alternating
 * comparisons with medians.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export interface Figures {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface Server {
  readonly url: string;
  /** The child's process id, for reading its memory from /proc. */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface LoadSettings {
  readonly durationS: number;
  readonly rounds: number;
  readonly connections: number;
}

/** Starts a server in its own process (`app-process` or `baseline-process`) and waits for its URL. */
export function startServer(kind: 'app' | 'baseline', args: string[]): Promise<Server> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), `${kind}-process.js`);
  // BENCH_CPU_PROF=<dir>: a CPU profile of each server process, written when it stops.
  const profile = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  const child: ChildProcess = fork(entry, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...profile] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (message) => {
      const { url } = message as { url: string };
      resolve({
        url,
        pid: child.pid!,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.send('stop');
          }),
      });
    });
  });
}

export async function load(url: string, token: string | undefined, body: (i: number) => string, settings: LoadSettings, durationS = settings.durationS): Promise<Figures> {
  let counter = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: settings.connections,
    duration: durationS,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    requests: [{ setupRequest: (request) => ({ ...request, body: body(counter++) }) }],
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

export interface Contender {
  readonly name: string;
  readonly url: string;
  readonly token?: string;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function printFigures(name: string, f: Figures): void {
  console.log(`  ${name.padEnd(42)} ${f.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   errors ${f.errors}`);
}

/** Alternates the contenders round by round so drift on the machine hits both alike; reports medians. */
export async function compare(contenders: readonly [Contender, Contender], body: (i: number) => string, settings: LoadSettings): Promise<[Figures, Figures]> {
  for (const c of contenders) await load(c.url, c.token, body, settings, 2); // warm-up: JIT, connection pools, plan caches
  const runs: Figures[][] = [[], []];
  for (let round = 0; round < settings.rounds; round++) {
    for (const [i, c] of contenders.entries()) runs[i]!.push(await load(c.url, c.token, body, settings));
  }
  const summary = runs.map((r) => ({
    requestsPerSecond: median(r.map((f) => f.requestsPerSecond)),
    p50: median(r.map((f) => f.p50)),
    p99: median(r.map((f) => f.p99)),
    errors: r.reduce((n, f) => n + f.errors, 0),
  })) as [Figures, Figures];
  contenders.forEach((c, i) => printFigures(c.name, summary[i]!));
  return summary;
}

/** The createTicket request both servers answer (customers by phone, 500 of them). */
export function createTicketBody(i: number, customers = 500): string {
  const phone = `1390${String(i % customers).padStart(7, '0')}`;
  return JSON.stringify({
    query: 'mutation Create($input: CreateTicketInput!) { createTicket(input: $input) { id title status priority progress deadline } }',
    variables: { input: { customerName: `客户${i % customers}`, customerPhone: phone, description: `服务器无法连接 #${i}` } },
  });
}
