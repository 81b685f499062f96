/**
 * npm run bench — throughput and p99 latency of createTicket (the full path) and ticket(id),
 * each side by side with a bare type-graphql + Apollo baseline doing a single INSERT / SELECT,
 * in one run on one embedded PostgreSQL. Prints the figures and the ratios. The service runs as
 * deployed by default: API and worker (deadline scheduler, reminder jobs, outbox) in one process.
 * BENCH_SERVICE_SETTINGS takes JSON of extra environment variables for it, e.g.
 * '{"SERVICE_ROLE":"api"}' to measure the API without the worker.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { signToken } from '../src/auth/tokens.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { StaffRole } from '../src/domain/staff-role.js';
import { createLogger } from '../src/logger.js';
import { compare, createTicketBody, startServer, type Figures, type LoadSettings } from './load.js';

const SETTINGS: LoadSettings = {
  durationS: Number(process.env['BENCH_DURATION'] ?? 5),
  /** Service and baseline alternate this many times; the median of each is reported (2 shared cores are noisy). */
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 5),
  connections: Number(process.env['BENCH_CONNECTIONS'] ?? 16),
};
/** The same connection pool size for the service and the baseline. */
const POOL_MAX = 10;
const SERVICE_SETTINGS = process.env['BENCH_SERVICE_SETTINGS'] ?? '{}';

const readBody = (id: number) =>
  JSON.stringify({ query: 'query Read($id: ID!) { ticket(id: $id) { id title status priority progress deadline } }', variables: { id: String(id) } });

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-bench-'));
  const database = await startEmbeddedPostgres({ dataDir, port: 56000 + Math.floor(Math.random() * 3000), database: 'bench', logger, persistent: false });
  const jwtSecret = randomBytes(32).toString('base64url');
  const token = await signToken(jwtSecret, { userId: 'bench', role: StaffRole.AGENT, name: '压测' });
  console.log(`benchmark: ${SETTINGS.connections} connections, median of ${SETTINGS.rounds} alternating ${SETTINGS.durationS} s runs, node ${process.version}, one embedded PostgreSQL 18, ${os.cpus().length} cores`);
  try {
    console.log(`service settings: ${SERVICE_SETTINGS === '{}' ? 'defaults (API and worker: reminders on)' : SERVICE_SETTINGS}`);
    const app = await startServer('app', [database.url, jwtSecret, String(POOL_MAX), SERVICE_SETTINGS]);
    const baseline = await startServer('baseline', [database.url, String(POOL_MAX)]);
    console.log('createTicket');
    const [appCreate, bareInsert] = await compare(
      [{ name: 'service (customer lookup, ticket, event)', url: app.url, token }, { name: 'baseline (single INSERT)', url: baseline.url }],
      (i) => createTicketBody(i),
      SETTINGS,
    );
    console.log('ticket(id)');
    const [appRead, bareRead] = await compare(
      [{ name: 'service', url: app.url, token }, { name: 'baseline (single SELECT by id)', url: baseline.url }],
      (i) => readBody(1 + (i % 5000)),
      SETTINGS,
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
