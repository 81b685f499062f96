import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { openDatabase } from '../../src/db/orm.js';
import { createLogger } from '../../src/logger.js';

export const TEMPLATE_DATABASE = 'tickets_template';

/** Where the service is compiled for the tests that run it as real processes (killed, started side by side). */
export const BUILD_DIR = 'dist-test';

let database: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

/**
 * One real PostgreSQL for the whole run, on a random loopback port in a throwaway directory.
 * Migrations are applied once to a template database; each test file clones it.
 */
export async function setup(project: TestProject): Promise<void> {
  const logger = createLogger('warn', 'test-postgres');
  dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-test-'));
  const port = 55000 + Math.floor(Math.random() * 5000);
  database = await startEmbeddedPostgres({
    dataDir,
    port,
    database: TEMPLATE_DATABASE,
    logger,
    persistent: false,
    // Durability is pointless for a throwaway cluster; this keeps the suite fast.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  const [orm] = await Promise.all([
    openDatabase({ url: database.url, logger }),
    promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR]),
  ]);
  await orm.close();
  project.provide('postgresUrl', database.urlFor('postgres'));
}

export async function teardown(): Promise<void> {
  await database?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
