/**
 * The baseline of `npm run bench:reminders`: a bare Agenda on the same PostgreSQL backend with
 * its default settings, whose job records that it fired (one INSERT): what Agenda alone costs.
 */
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda, type Job } from 'agenda';
import pg from 'pg';
import { dueAtSql, type DeadlinePlan } from './reminders-plan.js';

const [databaseUrl, planJson] = process.argv.slice(2) as [string, string];
const plan = JSON.parse(planJson) as DeadlinePlan;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await pool.query('create table if not exists fired (n int primary key, due_at timestamptz not null, fired_at timestamptz not null)');

const agenda = new Agenda({ backend: new PostgresBackend({ connectionString: databaseUrl }) });
agenda.define('deadline', async (job: Job<{ n: number; due: string }>) => {
  await pool.query('insert into fired (n, due_at, fired_at) values ($1, $2, $3) on conflict do nothing', [job.attrs.data.n, job.attrs.data.due, new Date()]);
});
await agenda.ready;
// The jobs Agenda's create().schedule().save() would write, in one statement.
await pool.query(
  `insert into agenda_jobs (name, priority, next_run_at, type, data)
   select 'deadline', 0, due, 'normal', jsonb_build_object('n', n, 'due', due)
   from (select n, ${dueAtSql(plan)} as due from generate_series(1, ${plan.scheduled}) n) planned`,
);
await pool.query('analyze agenda_jobs');
await agenda.start();
process.send?.({ ready: true });
process.on('message', async (message) => {
  if (message !== 'stop') return;
  await agenda.stop();
  await pool.end();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
