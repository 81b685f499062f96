/**
 * npm run bench:reports — the customer service report and the team figures on a generated
 * history: BENCH_TICKETS tickets (1,000,000) over two years with ~5 events each, 50,000
 * customers, one large customer with 1 % of all tickets, 40 assignees. Prints how long each read
 * takes (median of BENCH_ROUNDS, 5) and the plan of each statement (EXPLAIN ANALYZE), so a
 * sequential scan shows. Tickets are numbered and events stored in the order they happened, as
 * the service writes them (a period's events lie together on disk).
 *
 * Settings (environment): BENCH_TICKETS, BENCH_ROUNDS, BENCH_TIMING=1 (the plans with their
 * timings), BENCH_DATA_DIR (keep the generated history there and reuse it next time; generating
 * 1,000,000 tickets takes about three minutes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { customerReport } from '../src/customers/customer-report.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { openDatabase } from '../src/db/orm.js';
import { ServiceReportRepository, type Statement } from '../src/db/repositories/service-report.repository.js';
import { addDays, chinaDayOf } from '../src/domain/china-calendar.js';
import { reportPeriod } from '../src/domain/report-period.js';
import { createLogger } from '../src/logger.js';
import { serviceStats } from '../src/tickets/service-stats.js';

const TICKETS = Number(process.env['BENCH_TICKETS'] ?? 1_000_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CUSTOMERS = 50_000;
const ASSIGNEES = 40;

/**
 * Two years of tickets: 10 % cancelled, 20 % resolved, the rest closed, half of the last three
 * days' still in work; a quarter resolved late, with a reminder; 2 % reopened and resolved again.
 */
const GENERATE = `
insert into customers (id, name, phone, company, created_at, updated_at)
  select i, '客户' || i, '139' || lpad(i::text, 8, '0'), null, now() - interval '3 years', now() - interval '3 years' from generate_series(1, ${CUSTOMERS}) i;
select setval('customers_id_seq', ${CUSTOMERS});
insert into staff (user_id, name, aliases, role, created_at, updated_at)
  select 'agent' || i, '客服' || i, '{}', 'AGENT', now(), now() from generate_series(1, ${ASSIGNEES}) i;
create temporary table plan as
  select i as id, created, created + interval '24 hours' as deadline,
    case when i % 100 = 0 then 1 else 2 + floor(random() * ${CUSTOMERS - 1})::int end as customer,
    (array['LOW','NORMAL','NORMAL','NORMAL','HIGH','URGENT'])[1 + floor(random() * 6)::int]::ticket_priority as priority,
    case when random() < 0.95 then 'agent' || (1 + floor(random() * ${ASSIGNEES})::int) end as assignee,
    created + random() * interval '4 hours' as assigned_at,
    random() < 0.02 as reopened,
    created + (case when random() < 0.25 then 25 + random() * 47 else 1 + random() * 22 end) * interval '1 hour' as resolved_at,
    case when created > now() - interval '3 days' and random() < 0.5 then 'PROCESSING'
         else (array['CANCELLED','RESOLVED','RESOLVED','CLOSED','CLOSED','CLOSED','CLOSED','CLOSED','CLOSED','CLOSED'])[1 + floor(random() * 10)::int] end::ticket_status as status
  -- Numbered in creation order, as the sequence numbers them.
  from (select row_number() over (order by created) as i, created from (select now() - random() * interval '730 days' as created from generate_series(1, ${TICKETS})) r) g;
insert into tickets (id, title, description, product, status, priority, progress, customer_id, assigned_to, assigned_to_name, deadline, created_at, updated_at, resolved_at, closed_at)
  select id, '问题 ' || id, '问题 ' || id, (array['云服务器管理系统','斗战神V2.0','企业邮箱', null])[1 + id % 4], status, priority,
    case when status in ('RESOLVED', 'CLOSED') then 100 else 0 end, customer, assignee, replace(assignee, 'agent', '客服'), deadline, created, created,
    case when status in ('RESOLVED', 'CLOSED') then resolved_at end, case when status = 'CLOSED' then resolved_at + interval '1 day' end
  from plan;
select setval('tickets_id_seq', ${TICKETS});
insert into ticket_events (ticket_id, type, actor_id, actor_name, from_value, to_value, note, created_at, ticket_after)
  select p.id, e.type::ticket_event_type, 'system', '系统', e.from_value, e.to_value, null, e.at,
    jsonb_build_object('id', p.id, 'assignedTo', e.assignee, 'assignedToName', replace(e.assignee, 'agent', '客服'), 'createdAt', p.created, 'deadline', p.deadline, 'status', coalesce(e.status, p.status::text))
  from plan p cross join lateral (values
      ('CREATED', null, 'PENDING', p.created, null, 'PENDING', true),
      ('ASSIGNED', null, p.assignee, p.assigned_at, p.assignee, 'ASSIGNED', p.assignee is not null),
      ('DEADLINE_PASSED', null, null, p.deadline, p.assignee, null, p.resolved_at > p.deadline and p.status <> 'CANCELLED'),
      ('REMINDED', '0', '1', p.deadline + interval '1 minute', p.assignee, null, p.resolved_at > p.deadline and p.status <> 'CANCELLED'),
      ('STATUS_CHANGED', 'ASSIGNED', 'RESOLVED', p.resolved_at, p.assignee, 'RESOLVED', p.status in ('RESOLVED', 'CLOSED')),
      -- 2 % are reopened two hours after their resolution and resolved again two hours later.
      ('STATUS_CHANGED', 'RESOLVED', 'PROCESSING', p.resolved_at + interval '2 hours', p.assignee, 'PROCESSING', p.reopened and p.status in ('RESOLVED', 'CLOSED')),
      ('STATUS_CHANGED', 'PROCESSING', 'RESOLVED', p.resolved_at + interval '4 hours', p.assignee, 'RESOLVED', p.reopened and p.status in ('RESOLVED', 'CLOSED')),
      ('STATUS_CHANGED', 'RESOLVED', 'CLOSED', p.resolved_at + interval '1 day', p.assignee, 'CLOSED', p.status = 'CLOSED'),
      ('STATUS_CHANGED', 'ASSIGNED', 'CANCELLED', p.assigned_at, p.assignee, 'CANCELLED', p.status = 'CANCELLED')
    ) as e(type, from_value, to_value, at, assignee, status, wanted)
  where e.wanted and e.at < now()
  -- Appended as they happen, as the service appends them.
  order by e.at;
`;

/** A statement with MikroORM's `?` placeholders as PostgreSQL's `$1, $2, …`. */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const logger = createLogger('warn', 'bench');
// BENCH_DATA_DIR keeps the generated history there, and a later run reuses it.
const kept = process.env['BENCH_DATA_DIR'];
const dataDir = kept ?? (await mkdtemp(path.join(tmpdir(), 'tickets-bench-reports-')));
const database = await startEmbeddedPostgres({ dataDir, port: 54900 + Math.floor(Math.random() * 90), database: 'bench', logger, persistent: kept !== undefined });
try {
  const orm = await openDatabase({ url: database.url, logger });
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const started = performance.now();
  const { rows: [existing] } = await admin.query<{ count: string }>('select count(*) from tickets');
  if (Number(existing!.count) === 0) {
    await admin.query(GENERATE);
    await admin.query('vacuum analyze');
  }
  const { rows: [sizes] } = await admin.query<{ tickets: string; events: string }>('select (select count(*) from tickets) as tickets, (select count(*) from ticket_events) as events');
  console.log(`${Number(sizes!.tickets).toLocaleString('en')} tickets, ${Number(sizes!.events).toLocaleString('en')} events (ready in ${((performance.now() - started) / 1000).toFixed(0)} s)`);

  const now = new Date();
  const today = chinaDayOf(now);
  const year = reportPeriod({ from: addDays(today, -365) }, now);
  const month = reportPeriod({}, now);
  const reads = new ServiceReportRepository(orm.em.fork()).statements;
  const { rows: [typical] } = await admin.query<{ id: number; count: string }>('select customer_id as id, count(*) from tickets where customer_id <> 1 group by 1 order by 2 desc limit 1');
  const cases: { name: string; run: () => Promise<unknown>; statements: Statement[] }[] = [
    { name: 'customerReport, large customer (1 % of tickets), 30 days', run: () => customerReport(orm.em.fork(), 1, {}, now), statements: [reads.customerTickets(1, month)] },
    { name: 'customerReport, large customer, 366 days', run: () => customerReport(orm.em.fork(), 1, year, now), statements: [reads.customerTickets(1, year)] },
    { name: `customerReport, a customer with ${typical!.count} tickets, 366 days`, run: () => customerReport(orm.em.fork(), typical!.id, year, now), statements: [reads.customerTickets(typical!.id, year)] },
    { name: 'serviceStats, 30 days', run: () => serviceStats(orm.em.fork(), {}, now), statements: [reads.openTickets(now), reads.resolutions(month), reads.reminders(month)] },
    { name: 'serviceStats, 366 days', run: () => serviceStats(orm.em.fork(), year, now), statements: [reads.resolutions(year), reads.reminders(year)] },
  ];
  const timing = process.env['BENCH_TIMING'] === '1' ? 'on' : 'off';
  for (const { name, run, statements } of cases) {
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`\n${name}: median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times.at(-1)!.toFixed(1)})`);
    for (const { sql, params } of statements) {
      const { rows } = await admin.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off, timing ${timing}, summary ${timing}) ${numbered(sql)}`, [...params]);
      console.log(rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
    }
  }
  await admin.end();
  await orm.close();
} finally {
  await database.stop();
  if (!kept) await rm(dataDir, { recursive: true, force: true });
}
