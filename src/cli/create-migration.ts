/**
 * Writes a migration for the difference between the entities and the committed migrations.
 * Runs against a throwaway embedded PostgreSQL, so it never touches a real database.
 * Usage: npm run migration:create [-- --blank]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { openDatabase } from '../db/orm.js';
import { createLogger } from '../logger.js';

const logger = createLogger('info', 'migrations');
const dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-migration-'));
const database = await startEmbeddedPostgres({ dataDir, port: 54400 + Math.floor(Math.random() * 500), database: 'migrations', logger, persistent: false });
try {
  const orm = await openDatabase({ url: database.url, logger });
  const blank = process.argv.includes('--blank');
  const result = await orm.migrator.create(path.resolve('src/db/migrations'), blank);
  logger.info(result.fileName ? { file: result.fileName } : {}, result.fileName ? 'migration written: add it to src/db/migrations/index.ts' : 'no schema changes');
  await orm.close();
} finally {
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
