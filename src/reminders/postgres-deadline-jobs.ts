import { PostgresJobRepository } from '@agendajs/postgres-backend';
import type pg from 'pg';
import { SCHEMA_LOCK, withAdvisoryLock } from '../db/advisory-lock.js';
import { AGENDA_PRIORITY, DEADLINE_JOB, type DeadlineJob, type DeadlineJobStore, type ScheduledDeadline } from './deadline-jobs.js';

/** Agenda's job table (the PostgreSQL backend's default name). */
export const AGENDA_TABLE = 'agenda_jobs';

const TICKET_ID = `(data->>'ticketId')`;

/**
 * Agenda's table, created by the backend's own schema code, and the index that keeps one
 * deadline job per ticket. Under the schema lock: two backends creating their tables at the same
 * moment fail (its CREATE … IF NOT EXISTS and trigger replacement race), so Agenda itself is then
 * started with `ensureSchema: false`.
 */
export async function ensureAgendaSchema(databaseUrl: string, pool: pg.Pool): Promise<void> {
  await withAdvisoryLock(databaseUrl, SCHEMA_LOCK, async () => {
    await new PostgresJobRepository({ pool, tableName: AGENDA_TABLE, ensureSchema: true }).connect();
    // Not a partial index: ANALYZE leaves a partial index's size estimate at what it was when the
    // table was empty, and the planner then scanned all of it to answer Agenda's update by id.
    await pool.query(`create unique index if not exists "${AGENDA_TABLE}_ticket_idx" on "${AGENDA_TABLE}" (name, ${TICKET_ID})`);
  });
}

/**
 * Deadline jobs in Agenda's PostgreSQL table, a batch per statement. The rows are the ones
 * Agenda's `create(…).unique(…).save()` would write; Agenda finds, locks and runs them as usual.
 */
export class PostgresDeadlineJobs implements DeadlineJobStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Recorded as the jobs' lastModifiedBy, as Agenda does. */
    private readonly instanceName: string,
  ) {}

  async schedule(jobs: readonly DeadlineJob[]): Promise<void> {
    if (jobs.length === 0) return;
    // A moved job starts afresh: a failure count left from before would cut its retries short.
    await this.pool.query(
      `insert into "${AGENDA_TABLE}" (name, priority, next_run_at, type, data, disabled, last_modified_by)
       select $1, job.priority, job.run_at, 'normal', jsonb_build_object('ticketId', job.ticket_id), false, $2
       from unnest($3::int[], $4::timestamptz[], $5::int[]) as job(ticket_id, run_at, priority)
       on conflict (name, ${TICKET_ID}) do update
         set next_run_at = excluded.next_run_at, priority = excluded.priority, disabled = false, last_modified_by = excluded.last_modified_by,
             fail_count = null, fail_reason = null, failed_at = null
         where "${AGENDA_TABLE}".next_run_at is distinct from excluded.next_run_at or "${AGENDA_TABLE}".priority <> excluded.priority
            or "${AGENDA_TABLE}".disabled`,
      [DEADLINE_JOB, this.instanceName, jobs.map((j) => j.ticketId), jobs.map((j) => j.runAt), jobs.map((j) => AGENDA_PRIORITY[j.priority])],
    );
  }

  async remove(ticketIds: readonly number[]): Promise<void> {
    if (ticketIds.length === 0) return;
    await this.pool.query(`delete from "${AGENDA_TABLE}" where name = $1 and ${TICKET_ID} = any($2::text[])`, [DEADLINE_JOB, ticketIds.map(String)]);
  }

  async find(ticketIds: readonly number[]): Promise<Map<number, ScheduledDeadline>> {
    if (ticketIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ ticket_id: string; next_run_at: Date | null; locked_at: Date | null }>(
      `select ${TICKET_ID} as ticket_id, next_run_at, locked_at from "${AGENDA_TABLE}" where name = $1 and ${TICKET_ID} = any($2::text[])`,
      [DEADLINE_JOB, ticketIds.map(String)],
    );
    return new Map(rows.map((r) => [Number(r.ticket_id), { ticketId: Number(r.ticket_id), nextRunAt: r.next_run_at, lockedAt: r.locked_at }]));
  }
}
