import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchingPostgresJobRepository } from '../../src/reminders/postgres-job-repository.js';
import { AGENDA_TABLE, ensureAgendaSchema } from '../../src/reminders/postgres-deadline-jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Agenda's PostgreSQL repository with locking and saving batched: what Agenda relies on still holds. */
describe('the batching job repository', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let repository: BatchingPostgresJobRepository;
  const by = { lastModifiedBy: 'test-instance' };
  const MINUTE = 60_000;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    await ensureAgendaSchema(db.url, pool);
    repository = new BatchingPostgresJobRepository(pool);
    await repository.connect();
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const addJobs = async (name: string, runAts: Date[], lockedAt: Date | null = null) =>
    (
      await db.query<{ id: string }>(
        `insert into ${AGENDA_TABLE} (name, priority, next_run_at, type, data, locked_at)
         select $1, 0, run_at, 'normal', jsonb_build_object('n', ordinality), $2 from unnest($3::timestamptz[]) with ordinality as run_at
         returning id`,
        [name, lockedAt, runAts],
      )
    ).rows.map((r) => r.id);
  const lockedIds = async (name: string) => (await db.query<{ id: string }>(`select id from ${AGENDA_TABLE} where name = $1 and locked_at is not null order by id`, [name])).rows.map((r) => r.id);

  it('locks the due jobs in one statement and hands them over one by one, earliest first', async () => {
    const now = Date.now();
    const ids = await addJobs('due', [new Date(now - 3000), new Date(now - 1000), new Date(now - 2000), new Date(now + 10 * MINUTE)]);
    const scanUntil = new Date(now + 1000);
    const lockDeadline = new Date(now - 10 * MINUTE);
    const handed = [];
    for (let job = await repository.getNextJobToRun('due', scanUntil, lockDeadline, undefined, by); job; job = await repository.getNextJobToRun('due', scanUntil, lockDeadline, undefined, by)) {
      handed.push(job);
    }
    expect(handed.map((j) => (j.data as { n: number }).n)).toEqual([1, 3, 2]);
    expect(handed.every((j) => j.lockedAt instanceof Date)).toBe(true);
    // The one due later is not locked.
    expect(await lockedIds('due')).toEqual([ids[0], ids[1], ids[2]].sort());
  });

  it('takes over a job whose lock expired (its instance died holding it)', async () => {
    const now = Date.now();
    const [stale] = await addJobs('orphaned', [new Date(now - 5 * MINUTE)], new Date(now - 5 * MINUTE));
    const job = await repository.getNextJobToRun('orphaned', new Date(now + 1000), new Date(now - MINUTE), undefined, by);
    expect(job?._id?.toString()).toBe(stale);
    expect(job!.lockedAt!.getTime()).toBeGreaterThan(now - 1000);
  });

  it('unlocks the jobs it locked but had not handed over when Agenda stops', async () => {
    const now = Date.now();
    await addJobs('stopping', [new Date(now - 2000), new Date(now - 1000)]);
    const first = await repository.getNextJobToRun('stopping', new Date(now + 1000), new Date(now - MINUTE), undefined, by);
    expect(await lockedIds('stopping')).toHaveLength(2);
    await repository.releaseLocked();
    expect(await lockedIds('stopping')).toEqual([first!._id!.toString()]);
  });

  it('saves job states made together in one statement, each kept, and refuses a job that is gone', async () => {
    const now = Date.now();
    const ids = await addJobs('saving', [new Date(now - 2000), new Date(now - 1000)]);
    const jobs = [];
    for (let i = 0; i < 2; i++) jobs.push((await repository.getNextJobToRun('saving', new Date(now + 1000), new Date(now - MINUTE), undefined, by))!);
    const later = new Date(now + 60 * MINUTE);
    await Promise.all([
      repository.saveJobState({ ...jobs[0]!, lockedAt: undefined, nextRunAt: later, lastFinishedAt: new Date(now) }, by),
      repository.saveJobState({ ...jobs[1]!, lockedAt: undefined, nextRunAt: null, failCount: 1, failReason: 'boom' }, by),
    ]);
    const { rows } = await db.query<{ id: string; locked_at: Date | null; next_run_at: Date | null; fail_reason: string | null }>(
      `select id, locked_at, next_run_at, fail_reason from ${AGENDA_TABLE} where name = 'saving' order by next_run_at nulls last`,
    );
    expect(rows).toEqual([
      { id: ids[0], locked_at: null, next_run_at: later, fail_reason: null },
      { id: ids[1], locked_at: null, next_run_at: null, fail_reason: 'boom' },
    ]);
    await db.query(`delete from ${AGENDA_TABLE} where id = $1`, [ids[0]]);
    await expect(repository.saveJobState({ ...jobs[0]!, nextRunAt: null }, by)).rejects.toThrow(/cannot be updated/);
  });
});
