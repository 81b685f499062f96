import type { Collection, Db } from 'mongodb';
import { AGENDA_PRIORITY, DEADLINE_JOB, SWEEP_JOB, type DeadlineJob, type DeadlineJobStore, type ScheduledDeadline } from './deadline-jobs.js';

/** Agenda's job collection (the MongoDB backend's default name). */
export const AGENDA_COLLECTION = 'agendaJobs';

interface JobDocument {
  name: string;
  type: 'normal' | 'single';
  priority: number;
  nextRunAt: Date | null;
  lockedAt: Date | null;
  disabled: boolean;
  data: { ticketId: number };
  lastModifiedBy: string | null;
  failCount: number | null;
  failReason: string | null;
  failedAt: Date | null;
}

/**
 * The indexes that keep one deadline job per ticket and one sweep job per deployment (Agenda's
 * own upserts of `every` jobs are not atomic on MongoDB without it). Creating an index that
 * exists is a no-op, so instances starting together need no lock here.
 */
export async function ensureAgendaIndexes(db: Db): Promise<void> {
  const jobs = db.collection(AGENDA_COLLECTION);
  await jobs.createIndex({ 'data.ticketId': 1 }, { name: 'ticketDeadlineIndex', unique: true, partialFilterExpression: { name: DEADLINE_JOB } });
  await jobs.createIndex({ name: 1 }, { name: 'singleJobIndex', unique: true, partialFilterExpression: { type: 'single', name: SWEEP_JOB } });
}

/** Deadline jobs in Agenda's MongoDB collection, a batch per bulk write; documents as Agenda writes them. */
export class MongoDeadlineJobs implements DeadlineJobStore {
  private readonly jobs: Collection<JobDocument>;

  constructor(
    db: Db,
    private readonly instanceName: string,
  ) {
    this.jobs = db.collection<JobDocument>(AGENDA_COLLECTION);
  }

  async schedule(jobs: readonly DeadlineJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.jobs.bulkWrite(
      jobs.map((job) => ({
        updateOne: {
          filter: { name: DEADLINE_JOB, 'data.ticketId': job.ticketId },
          update: {
            $set: {
              nextRunAt: job.runAt,
              priority: AGENDA_PRIORITY[job.priority],
              disabled: false,
              lastModifiedBy: this.instanceName,
              failCount: null,
              failReason: null,
              failedAt: null,
            },
            // The filter's equalities give a new document its name and data.ticketId.
            $setOnInsert: { type: 'normal', lockedAt: null },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  async remove(ticketIds: readonly number[]): Promise<void> {
    if (ticketIds.length === 0) return;
    await this.jobs.deleteMany({ name: DEADLINE_JOB, 'data.ticketId': { $in: [...ticketIds] } });
  }

  async find(ticketIds: readonly number[]): Promise<Map<number, ScheduledDeadline>> {
    if (ticketIds.length === 0) return new Map();
    const found = await this.jobs
      .find({ name: DEADLINE_JOB, 'data.ticketId': { $in: [...ticketIds] } }, { projection: { data: 1, nextRunAt: 1, lockedAt: 1 } })
      .toArray();
    return new Map(found.map((doc) => [doc.data.ticketId, { ticketId: doc.data.ticketId, nextRunAt: doc.nextRunAt ?? null, lockedAt: doc.lockedAt ?? null }]));
  }
}
