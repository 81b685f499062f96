import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { TEMPLATE_DATABASE } from './global-setup.js';

export interface TestDatabase {
  readonly url: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database cloned from the migrated template: each test file gets its own. With
 * `empty`, a database with no schema at all (what a first deployment starts on).
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await admin((c) => c.query(`create database ${name} template ${options.empty ? 'template0' : TEMPLATE_DATABASE}`));
  const url = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let dropped: Promise<void> | undefined;
  return {
    url,
    query: (sql, params) => pool.query(sql, params),
    drop: () =>
      (dropped ??= (async () => {
        await pool.end();
        await admin((c) => c.query(`drop database if exists ${name} with (force)`));
      })()),
  };
}
