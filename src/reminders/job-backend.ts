import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { DeadlineJobStore } from './deadline-jobs.js';
import { AGENDA_COLLECTION, ensureAgendaIndexes, MongoDeadlineJobs } from './mongo-deadline-jobs.js';
import { ensureAgendaSchema, PostgresDeadlineJobs } from './postgres-deadline-jobs.js';
import { postgresBackend } from './postgres-job-repository.js';

export interface JobBackendOptions {
  /** The service's PostgreSQL: Agenda keeps its jobs there unless `mongodbUrl` is set. */
  readonly databaseUrl: string;
  readonly mongodbUrl?: string;
  readonly poolMax: number;
  /** How often Agenda looks for jobs coming due. */
  readonly scanIntervalMs: number;
  /** Jobs one instance runs at once. */
  readonly concurrency: number;
  readonly logger: Logger;
}

/** Agenda over its store, with the bulk job store over the same store. */
export interface JobBackend {
  readonly agenda: Agenda;
  readonly jobs: DeadlineJobStore;
  /** Where the jobs live, for the logs and the README's "which store am I on". */
  readonly store: 'PostgreSQL' | 'MongoDB';
  close(): Promise<void>;
}

/**
 * Agenda logs through `debug`, making new loggers inside its job loop; each new logger asks
 * whether stderr is a terminal (for colours) unless told. Told, the question is not asked: it was
 * a tenth of the loop's CPU with hundreds of jobs due per second (profiled).
 */
function quietAgendaDebug(): void {
  const requireFromAgenda = createRequire(createRequire(import.meta.url).resolve('agenda'));
  const { inspectOpts } = requireFromAgenda('debug') as { inspectOpts: Record<string, unknown> };
  if (!('colors' in inspectOpts)) inspectOpts['colors'] = false;
}

/** How this instance signs the jobs it locks and writes (Agenda's lastModifiedBy). */
export const instanceName = (): string => `${hostname()}:${process.pid}`;

/**
 * Agenda with the MongoDB backend when `mongodbUrl` is set (the production setup), otherwise with
 * the PostgreSQL backend on the service's own database, so the embedded default needs nothing
 * more. The same job definitions run on either. Agenda is not started here: an API-only
 * instance uses it for the dashboard, a worker starts it.
 */
export async function openJobBackend(options: JobBackendOptions): Promise<JobBackend> {
  quietAgendaDebug();
  const settings = {
    name: instanceName(),
    processEvery: options.scanIntervalMs,
    maxConcurrency: options.concurrency,
    defaultConcurrency: options.concurrency,
  };
  const opened = options.mongodbUrl ? await openMongo(options.mongodbUrl, settings) : await openPostgres(options, settings);
  opened.agenda.on('error', (error: Error) => options.logger.warn({ err: error }, 'job scheduler error'));
  await opened.agenda.ready;
  options.logger.info({ store: opened.store }, 'job scheduler connected');
  return opened;
}

type AgendaSettings = { name: string; processEvery: number; maxConcurrency: number; defaultConcurrency: number };

async function openPostgres(options: JobBackendOptions, settings: AgendaSettings): Promise<JobBackend> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax });
  pool.on('error', (error) => options.logger.warn({ err: { message: error.message } }, 'idle job store connection lost'));
  try {
    await ensureAgendaSchema(options.databaseUrl, pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  // Jobs are found by polling every scanIntervalMs: the deadline jobs are written in bulk, not
  // through Agenda's save, so its NOTIFY per saved job would only add a global lock to every write.
  const backend = postgresBackend(pool);
  const agenda = new Agenda({ ...settings, backend });
  return {
    agenda,
    jobs: new PostgresDeadlineJobs(pool, settings.name),
    store: 'PostgreSQL',
    close: async () => {
      await agenda.stop(false);
      await backend.repository.releaseLocked();
      await pool.end();
    },
  };
}

async function openMongo(url: string, settings: AgendaSettings): Promise<JobBackend> {
  const client = await MongoClient.connect(url);
  try {
    const db = client.db();
    await ensureAgendaIndexes(db);
    const agenda = new Agenda({ ...settings, backend: new MongoBackend({ mongo: db, collection: AGENDA_COLLECTION }) });
    return {
      agenda,
      jobs: new MongoDeadlineJobs(db, settings.name),
      store: 'MongoDB',
      close: async () => {
        await agenda.stop(false);
        await client.close();
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}
