/**
 * npm run bench — throughput and p99 latency of createTicket (the full path) and ticket(id),
 * each side by side with a bare type-graphql + Apollo baseline doing a single INSERT / SELECT,
 * in one run on one embedded PostgreSQL. Prints the figures and the ratios.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signToken } from '../src/auth/tokens.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { StaffRole } from '../src/domain/staff-role.js';
import { createLogger } from '../src/logger.js';

const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 5);
/** Service and baseline alternate this many times; the median of each is reported (2 shared cores are noisy). */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const CUSTOMERS = 500;
/** The same connection pool size for the service and the baseline. */
const POOL_MAX = 10;

interface Figures {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts a server in its own process (`app-process` or `baseline-process`) and waits for its URL. */
function startServer(kind: 'app' | 'baseline', args: string[]): Promise<Server> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), `${kind}-process.js`);
  const child: ChildProcess = fork(entry, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (message) => {
      const { url } = message as { url: string };
      resolve({ url, stop: () => new Promise((done) => { child.removeAllListeners('exit'); child.once('exit', () => done()); child.send('stop'); }) });
    });
  });
}

const phone = (i: number) => `1390${String(i % CUSTOMERS).padStart(7, '0')}`;

const createBody = (i: number) =>
  JSON.stringify({
    query: 'mutation Create($input: CreateTicketInput!) { createTicket(input: $input) { id title status priority progress deadline } }',
    variables: { input: { customerName: `客户${i % CUSTOMERS}`, customerPhone: phone(i), description: `服务器无法连接 #${i}` } },
  });

const readBody = (id: number) =>
  JSON.stringify({ query: 'query Read($id: ID!) { ticket(id: $id) { id title status priority progress deadline } }', variables: { id: String(id) } });

async function load(url: string, token: string | undefined, body: (i: number) => string, durationS = DURATION_S): Promise<Figures> {
  let counter = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: durationS,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    requests: [{ setupRequest: (request) => ({ ...request, body: body(counter++) }) }],
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

interface Contender {
  readonly name: string;
  readonly url: string;
  readonly token?: string;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function print(name: string, f: Figures): void {
  console.log(`  ${name.padEnd(42)} ${f.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   errors ${f.errors}`);
}

/** Alternates the contenders round by round so drift on the machine hits both alike; reports medians. */
async function compare(contenders: readonly [Contender, Contender], body: (i: number) => string): Promise<[Figures, Figures]> {
  for (const c of contenders) await load(c.url, c.token, body, 2); // warm-up: JIT, connection pools, plan caches
  const runs: Figures[][] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of contenders.entries()) runs[i]!.push(await load(c.url, c.token, body));
  }
  const summary = runs.map((r) => ({
    requestsPerSecond: median(r.map((f) => f.requestsPerSecond)),
    p50: median(r.map((f) => f.p50)),
    p99: median(r.map((f) => f.p99)),
    errors: r.reduce((n, f) => n + f.errors, 0),
  })) as [Figures, Figures];
  contenders.forEach((c, i) => print(c.name, summary[i]!));
  return summary;
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-bench-'));
  const database = await startEmbeddedPostgres({ dataDir, port: 56000 + Math.floor(Math.random() * 3000), database: 'bench', logger, persistent: false });
  const jwtSecret = randomBytes(32).toString('base64url');
  const token = await signToken(jwtSecret, { userId: 'bench', role: StaffRole.AGENT, name: '压测' });
  console.log(`benchmark: ${CONNECTIONS} connections, median of ${ROUNDS} alternating ${DURATION_S} s runs, node ${process.version}, one embedded PostgreSQL 18, ${os.cpus().length} cores`);
  try {
    const app = await startServer('app', [database.url, jwtSecret, String(POOL_MAX)]);
    const baseline = await startServer('baseline', [database.url, String(POOL_MAX)]);
    console.log('createTicket');
    const [appCreate, bareInsert] = await compare(
      [{ name: 'service (customer lookup, ticket, event)', url: app.url, token }, { name: 'baseline (single INSERT)', url: baseline.url }],
      createBody,
    );
    console.log('ticket(id)');
    const [appRead, bareRead] = await compare(
      [{ name: 'service', url: app.url, token }, { name: 'baseline (single SELECT by id)', url: baseline.url }],
      (i) => readBody(1 + (i % 5000)),
    );
    await app.stop();
    await baseline.stop();
    const ratio = (a: Figures, b: Figures) => (a.requestsPerSecond / b.requestsPerSecond).toFixed(2);
    console.log('\nratios (service / baseline throughput; targets: createTicket ≥ 0.5, ticket(id) ≥ 0.9)');
    console.log(`  createTicket  ${ratio(appCreate, bareInsert)}×   (p99 ${appCreate.p99.toFixed(1)} vs ${bareInsert.p99.toFixed(1)} ms)`);
    console.log(`  ticket(id)    ${ratio(appRead, bareRead)}×   (p99 ${appRead.p99.toFixed(1)} vs ${bareRead.p99.toFixed(1)} ms)`);
  } finally {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
