/**
 * npm run bench:history — customer history on a large table: similar-ticket search beside a plain
 * `ILIKE '%…%'`, PostgreSQL's built-in full-text search and pg_trgm similarity, all in this one
 * run on the same data, and the customer summary's latency.
 *
 * Loads BENCH_TICKETS tickets (1,000,000) with realistic Chinese problem texts (bench/history-
 * corpus.ts: 30 kinds of problem, each said five ways, in 20 products, with what customers say
 * around them), one customer per 20 tickets, and their event log as the service writes it
 * (created; most assigned, many resolved with a note, some reminded, escalated, overdue,
 * cancelled), straight into a database the service's migrations made. Then asks BENCH_QUERIES (200) new
 * problems, generated the same way, half of them in a sixth wording no stored ticket uses, and
 * judges each answer: a hit of the same kind of problem is relevant. recall@5 is the share of
 * the top 5 that is relevant (every kind has thousands of tickets, so 1.0 is possible).
 *
 * Each contender runs the same queries, one at a time, warm (each query once before timing). The
 * similar-ticket figure is the service's own code path (findSimilarTickets: term weights, the
 * index lookup, scoring, resolution notes) through MikroORM; the baselines are single statements
 * through the same connection pool. pg_trgm similarity is slow, so it gets BENCH_SLOW_QUERIES (20).
 * Then the customer summary and service report of BENCH_QUERIES random customers, and the team
 * figures (npm run bench:reports goes deeper into the report's statements and their plans).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { customerReport } from '../src/customers/customer-report.js';
import { customerSummary } from '../src/customers/customer-summary.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { ProblemTermCount } from '../src/db/entities/index.js';
import { TICKET_TEXT } from '../src/db/entities/ticket.entity.js';
import { openDatabase } from '../src/db/orm.js';
import { termsVector } from '../src/db/repositories/ticket.repository.js';
import { addDays, chinaDayOf } from '../src/domain/china-calendar.js';
import { problemTerms } from '../src/domain/problem-terms.js';
import { createLogger } from '../src/logger.js';
import { serviceStats } from '../src/tickets/service-stats.js';
import { findSimilarTickets } from '../src/tickets/similar-tickets.js';
import { problemText, randomSource, type ProblemText } from './history-corpus.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const SLOW_QUERIES = Number(process.env.BENCH_SLOW_QUERIES ?? 20);
const CUSTOMERS = Math.max(1, Math.round(TICKETS / 20));
const BATCH = 10_000;
const DAY_MS = 86_400_000;
const NOW = Date.now();
const RESOLUTION_NOTES = ['重启服务后恢复正常', '清理缓存后解决', '重新安装驱动后正常', '更新到最新版本后解决', '更换网线后恢复', '重置账号密码后可以登录', '扩容磁盘后恢复', '联系厂商更换配件'];
const STAFF = Array.from({ length: 40 }, (_, i) => ({ userId: `staff${i}`, name: `客服${i}` }));

interface Contender {
  readonly name: string;
  readonly queries: number;
  readonly search: (query: ProblemText) => Promise<number[]>;
}

interface Outcome {
  readonly name: string;
  readonly latencies: number[];
  readonly recall: number;
  readonly answered: number;
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-bench-history-'));
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: 56000 + Math.floor(Math.random() * 3000),
    database: 'bench_history',
    logger,
    persistent: false,
    settings: { shared_buffers: '2GB', maintenance_work_mem: '1GB', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  const orm = await openDatabase({ url: embedded.url, logger });
  console.log(`benchmark: customer history on ${TICKETS.toLocaleString('en')} tickets of ${CUSTOMERS.toLocaleString('en')} customers; node ${process.version}, one embedded PostgreSQL 18 (shared_buffers 2GB), ${os.cpus().length} cores`);
  try {
    const families = await load(embedded.url);
    const counted = await timed(() => orm.em.fork().getRepository(ProblemTermCount).recount());
    console.log(`${counted.value.terms.toLocaleString('en')} distinct terms counted in ${seconds(counted.ms)} s (the hourly recount)`);
    const em = () => orm.em.fork();
    const queries = Array.from({ length: QUERIES }, (_, i) => problemText(randomSource(1_000_000 + i), { asked: true }));
    const sql = (text: string, params: unknown[]) => em().execute<{ id: number }[]>(text, params);
    const ids = (rows: { id: number }[]) => rows.map((row) => Number(row.id));
    const textOf = (q: ProblemText) => `${q.title} ${q.description}`;
    const contenders: Contender[] = [
      { name: 'similarTickets (terms index)', queries: QUERIES, search: async (q) => (await findSimilarTickets(em(), { text: textOf(q), limit: 5 })).map((s) => s.ticket.id) },
      {
        name: "ILIKE '%title%'",
        queries: QUERIES,
        search: async (q) => ids(await sql(`select "id" from "tickets" where ${TICKET_TEXT} ilike ? and "status" <> 'CANCELLED' order by "id" desc limit 5`, [`%${q.title}%`])),
      },
      {
        name: "full-text search ('simple')",
        queries: QUERIES,
        search: async (q) =>
          ids(await sql(
            `select "id" from "tickets", plainto_tsquery('simple', ?) as q where to_tsvector('simple', ${TICKET_TEXT}) @@ q and "status" <> 'CANCELLED'
             order by ts_rank(to_tsvector('simple', ${TICKET_TEXT}), q) desc, "id" desc limit 5`,
            [textOf(q)],
          )),
      },
      {
        name: 'pg_trgm similarity (0.3)',
        queries: SLOW_QUERIES,
        search: async (q) =>
          ids(await em().transactional(async (tx) => {
            await tx.execute('set local pg_trgm.similarity_threshold = 0.3');
            return tx.execute<{ id: number }[]>(
              `select "id" from "tickets" where (${TICKET_TEXT}) % ? and "status" <> 'CANCELLED' order by similarity(${TICKET_TEXT}, ?) desc, "id" desc limit 5`,
              [textOf(q), textOf(q)],
            );
          })),
      },
    ];
    console.log(`\nsimilar problems: ${QUERIES} new tickets (half in a wording no stored ticket has), top 5 each, one at a time`);
    console.log(`  ${'contender'.padEnd(30)} ${'queries'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'recall@5'.padStart(9)} ${'answered'.padStart(9)}`);
    const outcomes: Outcome[] = [];
    for (const contender of contenders) {
      const outcome = await run(contender, queries, families);
      outcomes.push(outcome);
      const sorted = [...outcome.latencies].sort((a, b) => a - b);
      console.log(
        `  ${contender.name.padEnd(30)} ${String(contender.queries).padStart(7)} ${ms(percentile(sorted, 50))} ${ms(percentile(sorted, 99))} ${ms(percentile(sorted, 100))} ${outcome.recall.toFixed(3).padStart(9)} ${`${Math.round(outcome.answered * 100)}%`.padStart(9)}`,
      );
    }

    const customers = Array.from({ length: QUERIES }, (_, i) => 1 + Math.floor(randomSource(7_000_000 + i)() * CUSTOMERS));
    const summary = await timeEach(customers, (id) => customerSummary(em(), id));
    console.log(`\ncustomer history: ${QUERIES} random customers (about 20 tickets each over a year), one at a time, ms`);
    console.log(`  Customer.summary / GET …/tickets/summary   p50 ${ms(percentile(summary, 50))}   p99 ${ms(percentile(summary, 99))}`);
    const now = new Date(NOW);
    const month = await timeEach(customers, (id) => customerReport(em(), id, {}, now));
    const year = await timeEach(customers, (id) => customerReport(em(), id, { from: addDays(chinaDayOf(now), -365) }, now));
    console.log(`  customerReport, last 30 days               p50 ${ms(percentile(month, 50))}   p99 ${ms(percentile(month, 99))}`);
    console.log(`  customerReport, last 366 days              p50 ${ms(percentile(year, 50))}   p99 ${ms(percentile(year, 99))}`);
    const stats = await timeEach([1, 2, 3, 4, 5], () => serviceStats(em(), {}, now));
    console.log(`  serviceStats, last 30 days (5 runs)        p50 ${ms(percentile(stats, 50))}   max ${ms(percentile(stats, 100))}`);

    const ours = outcomes[0]!;
    const p99 = percentile([...ours.latencies].sort((a, b) => a - b), 99);
    console.log('\ntargets');
    console.log(`  similarTickets top 5 of ${TICKETS.toLocaleString('en')}: p99 ${ms(p99).trim()} ms (target < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'})`);
  } finally {
    await orm.close();
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs every query once unmeasured (warm caches), then again timed; recall against the kinds of problem. */
async function run(contender: Contender, all: readonly ProblemText[], families: Uint8Array): Promise<Outcome> {
  const queries = all.slice(0, contender.queries);
  for (const query of queries) await contender.search(query);
  const latencies: number[] = [];
  let relevant = 0;
  let answered = 0;
  for (const query of queries) {
    const started = performance.now();
    const found = await contender.search(query);
    latencies.push(performance.now() - started);
    relevant += found.filter((id) => families[id] === query.family).length;
    if (found.length > 0) answered += 1;
  }
  return { name: contender.name, latencies, recall: relevant / (queries.length * 5), answered: answered / queries.length };
}

async function timeEach<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<number[]> {
  for (const item of items) await work(item);
  const latencies: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await work(item);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

/**
 * Writes customers, tickets and events straight into the migrated schema (plain pg: bulk
 * parameters), with the GIN indexes built after the load (building them row by row is slow).
 * Returns the kind of problem of each ticket, by id.
 */
async function load(url: string): Promise<Uint8Array> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const started = performance.now();
  const families = new Uint8Array(TICKETS + 1);
  const random = randomSource(42);
  await db.query(
    `insert into "customers" ("id", "name", "phone", "company", "created_at", "updated_at")
     select i, '客户' || i, '139' || lpad(i::text, 8, '0'), case when i % 3 = 0 then '公司' || (i % 997) end, now() - interval '400 days', now() - interval '400 days'
     from generate_series(1, $1::int) as i`,
    [CUSTOMERS],
  );
  await db.query(`select setval(pg_get_serial_sequence('customers', 'id'), $1)`, [CUSTOMERS]);
  const { rows: ginIndexes } = await db.query<{ name: string; definition: string }>(
    `select indexname as "name", indexdef as "definition" from pg_indexes where tablename in ('tickets', 'ticket_events') and indexdef ilike '%using gin%'`,
  );
  for (const index of ginIndexes) await db.query(`drop index "${index.name}"`);
  for (let first = 1; first <= TICKETS; first += BATCH) {
    const batch = generateBatch(first, Math.min(BATCH, TICKETS - first + 1), random, families);
    await db.query(
      `insert into "tickets" ("id", "title", "description", "product", "status", "priority", "progress", "customer_id", "assigned_to", "assigned_to_name", "deadline",
         "reminder_count", "created_by", "created_at", "updated_at", "resolved_at", "closed_at", "version", "problem_terms")
       select u.id, u.title, u.description, u.product, u.status::ticket_status, u.priority::ticket_priority, u.progress, u.customer, u.assignee, u.assignee_name, u.deadline,
         u.reminders, 'bench', u.created, u.updated, u.resolved, u.closed, 1, u.terms::tsvector
       from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::text[], $11::timestamptz[], $12::int[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::text[])
         as u(id, title, description, product, status, priority, progress, customer, assignee, assignee_name, deadline, reminders, created, updated, resolved, closed, terms)`,
      batch.tickets,
    );
    await db.query(
      `insert into "ticket_events" ("ticket_id", "type", "actor_id", "actor_name", "from_value", "to_value", "note", "created_at", "ticket_after")
       select u.ticket, u.type::ticket_event_type, u.actor, u.actor_name, u.from_value, u.to_value, u.note, u.at, u.after::jsonb
       from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[]) as u(ticket, type, actor, actor_name, from_value, to_value, note, at, after)
       order by u.at`,
      batch.events,
    );
  }
  await db.query(`select setval(pg_get_serial_sequence('tickets', 'id'), $1)`, [TICKETS]);
  const loaded = performance.now();
  for (const index of ginIndexes) await db.query(index.definition);
  await db.query(`create index "bench_fts_idx" on "tickets" using gin (to_tsvector('simple', ${TICKET_TEXT}))`);
  await db.query('vacuum analyze "tickets"');
  await db.query('vacuum analyze "ticket_events"');
  const indexed = performance.now();
  const { rows: [sizes] } = await db.query<{ events: string; terms: string; trgm: string; fts: string }>(
    `select (select count(*) from "ticket_events") as "events", pg_size_pretty(pg_relation_size('tickets_problem_terms_idx')) as "terms",
       pg_size_pretty(pg_relation_size('tickets_text_trgm_idx')) as "trgm", pg_size_pretty(pg_relation_size('bench_fts_idx')) as "fts"`,
  );
  await db.end();
  console.log(`loaded ${TICKETS.toLocaleString('en')} tickets and ${Number(sizes!.events).toLocaleString('en')} events in ${seconds(loaded - started)} s, indexed in ${seconds(indexed - loaded)} s`);
  console.log(`index sizes: problem terms ${sizes!.terms}, trigrams of the text ${sizes!.trgm}, full-text ('simple') ${sizes!.fts}`);
  return families;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

type Columns = unknown[][];

/** One batch of tickets (column arrays for unnest) and their events, in the order the service would write them. */
function generateBatch(first: number, count: number, random: () => number, families: Uint8Array): { tickets: Columns; events: Columns } {
  const tickets: Columns = Array.from({ length: 17 }, () => []);
  const events: Columns = Array.from({ length: 9 }, () => []);
  const event = (ticket: number, type: string, at: number, fields: { actor?: { userId: string; name: string }; from?: string | null; to?: string | null; note?: string | null }, after: object) => {
    const actor = fields.actor ?? { userId: 'system', name: '系统' };
    for (const [column, value] of [ticket, type, actor.userId, actor.name, fields.from ?? null, fields.to ?? null, fields.note ?? null, new Date(at).toISOString(), JSON.stringify(after)].entries()) events[column]!.push(value);
  };
  for (let i = 0; i < count; i++) {
    const id = first + i;
    const problem = problemText(random);
    families[id] = problem.family;
    const created = NOW - Math.floor(random() * 365 * DAY_MS);
    const priority = random() < 0.1 ? 'URGENT' : random() < 0.3 ? 'HIGH' : random() < 0.9 ? 'NORMAL' : 'LOW';
    const deadline = created + (priority === 'URGENT' ? 2 : priority === 'HIGH' ? 8 : 24) * 3_600_000;
    const customer = 1 + Math.floor(random() * CUSTOMERS);
    const assignee = random() < 0.75 ? STAFF[Math.floor(random() * STAFF.length)]! : null;
    const cancelled = random() < 0.04;
    const resolved = !cancelled && assignee !== null && random() < 0.85 ? created + Math.floor(random() * 3 * DAY_MS) : null;
    const closed = resolved !== null && random() < 0.6 ? resolved + DAY_MS : null;
    const status = cancelled ? 'CANCELLED' : closed ? 'CLOSED' : resolved ? 'RESOLVED' : assignee ? 'PROCESSING' : 'PENDING';
    const overdue = (resolved ?? NOW) > deadline;
    const reminders = overdue && !cancelled ? 1 + Math.floor(random() * 3) : 0;
    const after = { id, status, priority, customerId: customer, assignedTo: assignee?.userId ?? null, assignedToName: assignee?.name ?? null, deadline: new Date(deadline).toISOString() };
    const opener = STAFF[Math.floor(random() * STAFF.length)]!;
    event(id, 'CREATED', created, { actor: opener, to: 'PENDING' }, { ...after, status: 'PENDING', assignedTo: null, assignedToName: null });
    if (assignee) event(id, 'ASSIGNED', created + Math.floor(random() * 2 * 3_600_000), { actor: opener, to: assignee.userId }, { ...after, status: 'ASSIGNED' });
    if (overdue && !cancelled) event(id, 'DEADLINE_PASSED', deadline, {}, after);
    for (let r = 0; r < reminders; r++) event(id, 'REMINDED', deadline + r * 3_600_000, {}, after);
    if (reminders >= 3) event(id, 'ESCALATED', deadline + 3 * 3_600_000, { to: 'ESCALATED' }, { ...after, status: 'ESCALATED' });
    if (resolved) event(id, 'STATUS_CHANGED', resolved, { actor: assignee!, from: 'PROCESSING', to: 'RESOLVED', note: random() < 0.5 ? RESOLUTION_NOTES[Math.floor(random() * RESOLUTION_NOTES.length)]! : null }, { ...after, status: 'RESOLVED' });
    if (closed) event(id, 'STATUS_CHANGED', closed, { actor: assignee!, from: 'RESOLVED', to: 'CLOSED' }, after);
    if (cancelled) event(id, 'STATUS_CHANGED', created + 3_600_000, { actor: opener, from: 'PENDING', to: 'CANCELLED' }, after);
    const updated = Math.max(created, resolved ?? 0, closed ?? 0);
    const row = [
      id, problem.title, problem.description, problem.product, status, priority, resolved ? 100 : assignee ? 50 : 0, customer, assignee?.userId ?? null, assignee?.name ?? null,
      new Date(deadline).toISOString(), reminders, new Date(created).toISOString(), new Date(updated).toISOString(), resolved && new Date(resolved).toISOString(), closed && new Date(closed).toISOString(),
      termsVector(problemTerms(`${problem.title} ${problem.description}`)),
    ];
    row.forEach((value, column) => tickets[column]!.push(value));
  }
  return { tickets, events };
}

const percentile = (sorted: readonly number[], p: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
const ms = (value: number) => value.toFixed(1).padStart(8);
const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(0);

await main();
