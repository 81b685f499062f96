/**
 * npm run bench:reminders — deadline reminders under load. 100,000 deadlines are scheduled; 5,000
 * of them come due evenly over 10 s (500/s), then 1,000 at one instant. The service's reminder
 * path (tickets committed → the scheduler writes their deadline jobs from the event log → Agenda
 * runs each job at its time → the reminder transaction → the outbox → the development channel)
 * runs side by side, one after the other in one run, with a bare Agenda on the same backend with
 * its default settings, whose job only records that it fired.
 *
 * Reports how late reminders fire after their due time (p50/p99, to the reminder's commit and to
 * its delivery), how long the burst takes to drain, the memory used, and then the createTicket
 * throughput against the bare createTicket baseline with reminders on (the service keeping its
 * 100,000 jobs).
 *
 * Settings (environment): BENCH_SCHEDULED (100000), BENCH_STEADY (5000), BENCH_STEADY_SECONDS
 * (10), BENCH_BURST (1000), BENCH_LEAD_SECONDS (30: from seeding to the first deadline, the time
 * the scheduler has to write the jobs), BENCH_DURATION (5) and BENCH_ROUNDS (3) for createTicket,
 * BENCH_SERVICE_SETTINGS (JSON of extra environment variables for the service, e.g.
 * '{"REMINDER_SCAN_MS":"500"}').
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { signToken } from '../src/auth/tokens.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { StaffRole } from '../src/domain/staff-role.js';
import { createLogger } from '../src/logger.js';
import { compare, createTicketBody, startServer, type Figures } from './load.js';
import { burstAt, dueAtSql, type DeadlinePlan } from './reminders-plan.js';

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
}

const SCHEDULED = setting('BENCH_SCHEDULED', 100_000);
const STEADY = setting('BENCH_STEADY', 5000);
const STEADY_SECONDS = setting('BENCH_STEADY_SECONDS', 10);
const BURST = setting('BENCH_BURST', 1000);
const LEAD_SECONDS = setting('BENCH_LEAD_SECONDS', 30);
const BURST_GAP_SECONDS = 5;
/** How long after the burst's instant the last reminder may come before the run gives up. */
const TAIL_SECONDS = 60;
const CREATE = { durationS: setting('BENCH_DURATION', 5), rounds: setting('BENCH_ROUNDS', 3), connections: 16 };
const SERVICE_SETTINGS = JSON.parse(process.env['BENCH_SERVICE_SETTINGS'] ?? '{}') as Record<string, string>;
const POOL_MAX = 10;

const here = path.dirname(fileURLToPath(import.meta.url));

/** How late each reminder was after its due time, and the burst's drain. */
interface Lateness {
  /** Steady phase: milliseconds from due time to the reminder's commit (the service) or the job's record (bare Agenda). */
  readonly toCommit: number[];
  /** Steady phase: milliseconds from due time to delivery through the development channel (the service only). */
  readonly toDelivery: number[];
  /** From the burst's instant to its last delivery (or record). */
  readonly burstDrainMs: number;
  readonly missing: number;
}

interface Outcome {
  readonly lateness: Lateness;
  readonly peakRssMb: number;
  /** Seconds the deadline jobs took to be written after the tickets committed (the service). */
  readonly schedulingSeconds?: number;
}

const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Peak resident memory of a process, sampled until stopped. */
function sampleMemory(pid: number): { stop(): number } {
  let peak = 0;
  const read = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]) / 1024);
    } catch {
      // the process has gone
    }
  };
  const timer = setInterval(read, 200);
  read();
  return { stop: () => (clearInterval(timer), read(), peak) };
}

async function waitForCount(db: pg.Pool, sql: string, target: number, deadline: number): Promise<number> {
  for (;;) {
    const count = Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
    if (count >= target || Date.now() > deadline) return count;
    await sleep(250);
  }
}

function planFrom(now: number): DeadlinePlan {
  return { scheduled: SCHEDULED, steady: STEADY, steadySeconds: STEADY_SECONDS, burst: BURST, burstGapSeconds: BURST_GAP_SECONDS, t0: now + LEAD_SECONDS * 1000 };
}

async function runBareAgenda(url: string): Promise<Outcome> {
  const plan = planFrom(Date.now());
  const child: ChildProcess = fork(path.join(here, 'reminders-bare-process.js'), [url, JSON.stringify(plan)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bare Agenda exited with ${code}`)));
  });
  const memory = sampleMemory(child.pid!);
  const db = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const due = STEADY + BURST;
    await waitForCount(db, 'select count(*) as n from fired', due, burstAt(plan) + TAIL_SECONDS * 1000);
    const { rows } = await db.query<{ n: number; late_ms: number; fired_at: Date }>(
      'select n, extract(epoch from fired_at - due_at) * 1000 as late_ms, fired_at from fired where n <= $1',
      [due],
    );
    const burst = rows.filter((r) => r.n > STEADY);
    return {
      peakRssMb: memory.stop(),
      lateness: {
        toCommit: rows.filter((r) => r.n <= STEADY).map((r) => Number(r.late_ms)),
        toDelivery: [],
        burstDrainMs: burst.length ? Math.max(...burst.map((r) => r.fired_at.getTime())) - burstAt(plan) : NaN,
        missing: due - rows.length,
      },
    };
  } finally {
    child.removeAllListeners('exit');
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await db.end();
  }
}

/** Tickets and their CREATED events, written as the service writes them, in one statement. */
async function seedTickets(db: pg.Pool, plan: DeadlinePlan): Promise<void> {
  await db.query(`insert into customers (name, phone, created_at, updated_at) select '客户' || i, '139' || lpad(i::text, 8, '0'), now(), now() from generate_series(1, 1000) i`);
  await db.query(`
    with t as (
      insert into tickets (title, description, priority, customer_id, assigned_to, assigned_to_name, status, deadline, created_by, created_at, updated_at)
      select '问题 ' || n, '服务器无法连接 #' || n, 'NORMAL', 1 + n % 1000, 'lisi', '李四', 'ASSIGNED', ${dueAtSql(plan)}, 'bench', now(), now()
      from generate_series(1, ${plan.scheduled}) n order by n
      returning *)
    insert into ticket_events (ticket_id, type, actor_id, to_value, created_at, ticket_after)
    select id, 'CREATED', 'bench', status, created_at, jsonb_build_object(
      'id', id, 'title', title, 'description', description, 'product', product, 'status', status, 'priority', priority, 'progress', progress,
      'customerId', customer_id, 'assignedTo', assigned_to, 'assignedToName', assigned_to_name, 'deadline', deadline, 'reminderCount', reminder_count,
      'lastReminderAt', last_reminder_at, 'groupMessageId', group_message_id, 'sourceChatId', source_chat_id, 'createdBy', created_by,
      'createdAt', created_at, 'updatedAt', updated_at, 'resolvedAt', resolved_at, 'closedAt', closed_at, 'version', version)
    from t order by id`);
}

async function runService(url: string, jwtSecret: string): Promise<{ outcome: Outcome; app: Awaited<ReturnType<typeof startServer>> }> {
  const app = await startServer('app', [url, jwtSecret, String(POOL_MAX), JSON.stringify(SERVICE_SETTINGS)]);
  const memory = sampleMemory(app.pid);
  const db = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const plan = planFrom(Date.now());
    const seeded = Date.now();
    await seedTickets(db, plan);
    await waitForCount(db, `select count(*) as n from agenda_jobs where name = 'ticket-deadline'`, SCHEDULED, plan.t0);
    // What autovacuum would have done by now in a database that grew over days, not seconds.
    await db.query('vacuum analyze');
    const schedulingSeconds = (Date.now() - seeded) / 1000;
    if (Date.now() > plan.t0) console.log(`  (the jobs were not all written before the first deadline: raise BENCH_LEAD_SECONDS)`);
    const due = STEADY + BURST;
    await waitForCount(db, 'select count(*) as n from dev_channel_messages', due, burstAt(plan) + TAIL_SECONDS * 1000);
    const { rows } = await db.query<{ id: number; commit_ms: number; delivery_ms: number | null; delivered_at: Date | null }>(
      `select t.id, extract(epoch from r.sent_at - t.deadline) * 1000 as commit_ms,
              extract(epoch from d.delivered_at - t.deadline) * 1000 as delivery_ms, d.delivered_at
       from reminders r join tickets t on t.id = r.ticket_id
       left join notifications n on n.id = r.notification_id left join dev_channel_messages d on d.idempotency_key = n.idempotency_key
       where r.sequence = 1 and t.id <= $1`,
      [due],
    );
    const delivered = rows.filter((r) => r.delivered_at !== null);
    const burst = delivered.filter((r) => r.id > STEADY);
    if (process.env['BENCH_TIMELINE']) printTimeline(delivered);
    return {
      app,
      outcome: {
        peakRssMb: memory.stop(),
        schedulingSeconds,
        lateness: {
          toCommit: rows.filter((r) => r.id <= STEADY).map((r) => Number(r.commit_ms)),
          toDelivery: delivered.filter((r) => r.id <= STEADY).map((r) => Number(r.delivery_ms)),
          burstDrainMs: burst.length ? Math.max(...burst.map((r) => r.delivered_at!.getTime())) - burstAt(plan) : NaN,
          missing: due - delivered.length,
        },
      },
    };
  } finally {
    await db.end();
  }
}

/** BENCH_TIMELINE=1: delivery lateness for each second of the steady phase (where the tail comes from). */
function printTimeline(rows: readonly { id: number; commit_ms: number; delivery_ms: number | null }[]): void {
  const perSecond = Math.round(STEADY / STEADY_SECONDS);
  const line = (name: string, part: readonly { commit_ms: number; delivery_ms: number | null }[]) => {
    const [commit, delivery] = [part.map((r) => Number(r.commit_ms)), part.map((r) => Number(r.delivery_ms))];
    console.log(`  ${name}: commit p50 ${ms(percentile(commit, 50))} max ${ms(Math.max(...commit))}   delivery p50 ${ms(percentile(delivery, 50))}  p99 ${ms(percentile(delivery, 99))}  max ${ms(Math.max(...delivery))}`);
  };
  for (let second = 0; second < STEADY_SECONDS; second++) line(`due in second ${String(second + 1).padStart(2)}`, rows.filter((r) => r.id <= STEADY && Math.floor((r.id - 1) / perSecond) === second));
  line('the burst          ', rows.filter((r) => r.id > STEADY));
}

const ms = (value: number) => (Number.isNaN(value) ? '     –' : `${(value / 1000).toFixed(3).padStart(6)} s`);

function printOutcome(name: string, { lateness, peakRssMb }: Outcome): void {
  const { toCommit, toDelivery } = lateness;
  console.log(
    `  ${name.padEnd(30)} commit p50 ${ms(percentile(toCommit, 50))}  p99 ${ms(percentile(toCommit, 99))}   ` +
      `delivery p50 ${ms(percentile(toDelivery, 50))}  p99 ${ms(percentile(toDelivery, 99))}   ` +
      `burst drained ${ms(lateness.burstDrainMs)}   missing ${lateness.missing}   peak RSS ${peakRssMb.toFixed(0)} MB`,
  );
}

async function createDatabase(embedded: EmbeddedDatabase, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: embedded.urlFor('postgres') });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return embedded.urlFor(name);
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-bench-reminders-'));
  const embedded = await startEmbeddedPostgres({ dataDir, port: 56000 + Math.floor(Math.random() * 3000), database: 'postgres', logger, persistent: false });
  const jwtSecret = randomBytes(32).toString('base64url');
  console.log(
    `benchmark: ${SCHEDULED.toLocaleString('en')} deadlines scheduled; ${STEADY.toLocaleString('en')} due over ${STEADY_SECONDS} s ` +
      `(${Math.round(STEADY / STEADY_SECONDS)}/s), then ${BURST.toLocaleString('en')} at one instant; node ${process.version}, one embedded PostgreSQL 18, ${os.cpus().length} cores`,
  );
  try {
    const bare = await runBareAgenda(await createDatabase(embedded, "bench_bare"));
    const serviceUrl = await createDatabase(embedded, 'bench_service');
    const { outcome: service, app } = await runService(serviceUrl, jwtSecret);
    console.log('\nhow late after the due time (steady phase), and the burst');
    printOutcome('service (reminder path)', service);
    printOutcome('bare Agenda (defaults)', bare);
    console.log(`  the service wrote its ${SCHEDULED.toLocaleString('en')} deadline jobs in ${service.schedulingSeconds!.toFixed(1)} s from the event log`);

    console.log(`\ncreateTicket with reminders on (the service holding its ${SCHEDULED.toLocaleString('en')} jobs), median of ${CREATE.rounds} alternating ${CREATE.durationS} s runs`);
    const token = await signToken(jwtSecret, { userId: 'bench', role: StaffRole.AGENT, name: '压测' });
    const baseline = await startServer('baseline', [serviceUrl, String(POOL_MAX)]);
    const [withReminders, bareInsert]: [Figures, Figures] = await compare(
      [{ name: 'service (reminders on)', url: app.url, token }, { name: 'baseline (single INSERT)', url: baseline.url }],
      (i) => createTicketBody(i),
      CREATE,
    );
    await baseline.stop();
    await app.stop();

    const p99 = percentile(service.lateness.toDelivery, 99);
    console.log('\ntargets');
    console.log(`  p99 to delivery at ${Math.round(STEADY / STEADY_SECONDS)}/s   ${ms(p99)}   (target < 1 s: ${p99 < 1000 ? 'met' : 'NOT met'})`);
    console.log(`  burst of ${BURST} drained     ${ms(service.lateness.burstDrainMs)}   (target < 2 s: ${service.lateness.burstDrainMs < 2000 ? 'met' : 'NOT met'})`);
    const ratio = withReminders.requestsPerSecond / bareInsert.requestsPerSecond;
    console.log(`  createTicket            ${ratio.toFixed(2)}×    (target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
  } finally {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
