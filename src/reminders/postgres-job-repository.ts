import { PostgresJobRepository } from '@agendajs/postgres-backend';
import type { AgendaBackend, JobParameters, JobRepositoryOptions } from 'agenda';
import DataLoader from 'dataloader';
import type pg from 'pg';
import { AGENDA_TABLE } from './postgres-deadline-jobs.js';

type RowToJob = (row: Record<string, unknown>) => JobParameters;

/** Due jobs locked per statement. */
const LOCK_BATCH = 100;
/** How often to look for a job whose lock expired (its instance died while holding it). */
const EXPIRED_LOCK_CHECK_MS = 5000;

/** Job states saved within this time share one statement. */
const SAVE_WINDOW_MS = 2;
const MAX_SAVE_BATCH = 200;

/** A job's state to save, and who saves it (Agenda's lastModifiedBy). */
interface JobState {
  readonly job: JobParameters;
  readonly by: string | null;
}

/**
 * Agenda's PostgreSQL repository with its two per-job statements batched: the same rows
 * written, fewer statements. Each statement costs a round trip on top of its work, and with
 * hundreds of jobs due per second (several for every reminder: a lock and two saves) the
 * statements, not the work, were what the machine spent its time on.
 *
 * Locking: Agenda locks jobs one statement per job, in a loop that runs them only once it has
 * locked every job due within the scan window; its statement (due and unlocked, or locked long
 * ago, in one OR) walks the index past every job already locked, so with hundreds due per second
 * each lock cost milliseconds (3.8 ms with 500 locked among 100,000, measured) and the loop fell
 * behind the deadlines. Here one statement locks up to LOCK_BATCH due jobs in Agenda's order and
 * the loop is handed them one by one; Agenda's own statement is still asked, every few seconds,
 * for a job whose lock expired. The loop always drains the batch (Agenda's lockLimit stays 0),
 * and what is left when Agenda stops is unlocked (`releaseLocked`).
 *
 * Saving: each run saves the job's state as it starts and as it ends; saves within a couple of
 * milliseconds go out as one update, and each still fails alone if its job is gone.
 */
export class BatchingPostgresJobRepository extends PostgresJobRepository {
  private readonly toJob: RowToJob;
  private readonly locked = new Map<string, JobParameters[]>();
  private readonly expiredCheckedAt = new Map<string, number>();
  private readonly saves = new DataLoader<JobState, boolean>((states) => this.saveStates(states), {
    cache: false,
    maxBatchSize: MAX_SAVE_BATCH,
    batchScheduleFn: (run) => setTimeout(run, SAVE_WINDOW_MS),
  });

  constructor(private readonly lockPool: pg.Pool) {
    super({ pool: lockPool, tableName: AGENDA_TABLE, ensureSchema: false });
    const rowToJob = (this as unknown as { rowToJob?: RowToJob }).rowToJob;
    if (typeof rowToJob !== 'function') throw new Error('@agendajs/postgres-backend changed: PostgresJobRepository.rowToJob is gone');
    this.toJob = rowToJob.bind(this);
  }

  override async getNextJobToRun(jobName: string, nextScanAt: Date, lockDeadline: Date, now: Date | undefined, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    const waiting = this.locked.get(jobName);
    if (waiting?.length) return waiting.shift();
    const { rows } = await this.lockPool.query<Record<string, unknown>>(
      `update "${AGENDA_TABLE}" set locked_at = $1, last_modified_by = $4
       where id in (select id from "${AGENDA_TABLE}" where name = $2 and disabled = false and locked_at is null and next_run_at <= $3
                    order by next_run_at asc nulls last, priority desc limit $5 for update skip locked)
       returning *`,
      [now ?? new Date(), jobName, nextScanAt, options?.lastModifiedBy ?? null, LOCK_BATCH],
    );
    if (rows.length === 0) {
      // A lock expires only after lockLifetime: looking for one on every pass (a walk past every locked job) is waste.
      if (performance.now() - (this.expiredCheckedAt.get(jobName) ?? -Infinity) < EXPIRED_LOCK_CHECK_MS) return undefined;
      this.expiredCheckedAt.set(jobName, performance.now());
      return super.getNextJobToRun(jobName, nextScanAt, lockDeadline, now, options);
    }
    const jobs = rows.map(this.toJob).sort((a, b) => a.nextRunAt!.getTime() - b.nextRunAt!.getTime() || (b.priority ?? 0) - (a.priority ?? 0));
    this.locked.set(jobName, jobs.slice(1));
    return jobs[0];
  }

  override async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    if (!job._id) throw new Error('Cannot save job state without job ID');
    const saved = await this.saves.load({ job, by: options?.lastModifiedBy ?? null });
    if (!saved) throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`);
  }

  /** The states as one update; whether each job was there to update. A job saved twice in one batch keeps its later state. */
  private async saveStates(states: readonly JobState[]): Promise<boolean[]> {
    const latest = new Map(states.map((state) => [String(state.job._id), state]));
    const rows = [...latest.values()].map(({ job: j, by }) => ({
      id: String(j._id),
      name: j.name,
      locked_at: j.lockedAt ?? null,
      next_run_at: j.nextRunAt ?? null,
      last_run_at: j.lastRunAt ?? null,
      progress: j.progress ?? null,
      fail_reason: j.failReason ?? null,
      fail_count: j.failCount ?? null,
      failed_at: j.failedAt ?? null,
      last_finished_at: j.lastFinishedAt ?? null,
      last_modified_by: by,
    }));
    const { rows: updated } = await this.lockPool.query<{ id: string }>(
      `update "${AGENDA_TABLE}" j set locked_at = v.locked_at, next_run_at = v.next_run_at, last_run_at = v.last_run_at, progress = v.progress,
         fail_reason = v.fail_reason, fail_count = v.fail_count, failed_at = v.failed_at, last_finished_at = v.last_finished_at, last_modified_by = v.last_modified_by
       from jsonb_to_recordset($1::jsonb) as v(id uuid, name text, locked_at timestamptz, next_run_at timestamptz, last_run_at timestamptz, progress real,
         fail_reason text, fail_count int, failed_at timestamptz, last_finished_at timestamptz, last_modified_by text)
       where j.id = any($2::uuid[]) and j.id = v.id and j.name = v.name
       returning j.id`,
      [JSON.stringify(rows), rows.map((r) => r.id)],
    );
    const found = new Set(updated.map((row) => String(row.id)));
    return states.map((state) => found.has(String(state.job._id)));
  }

  /** Unlocks the jobs locked but not yet handed to Agenda (it unlocks its own when it stops). */
  async releaseLocked(): Promise<void> {
    const ids = [...this.locked.values()].flat().map((job) => job._id!);
    this.locked.clear();
    await this.unlockJobs(ids);
  }
}

/** Agenda's PostgreSQL backend over the service's pool, locking in batches; no NOTIFY per saved job (see openJobBackend). */
export function postgresBackend(pool: pg.Pool): AgendaBackend & { readonly repository: BatchingPostgresJobRepository } {
  const repository = new BatchingPostgresJobRepository(pool);
  return {
    name: 'PostgreSQL',
    repository,
    ownsConnection: false,
    connect: () => repository.connect(),
    disconnect: () => repository.disconnect(),
  };
}

