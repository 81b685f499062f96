import 'reflect-metadata';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startApp, type App, type AppOptions } from '../../src/app.js';
import { signToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { execute, type GraphQLResponse } from './graphql-client.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
/** The 查看详情 links' key in tests (a key of its own, as production requires). */
export const TEST_DETAIL_LINK_SECRET = 'test-detail-link-key-that-is-not-the-jwt-secret-42';

export interface TestApp {
  readonly app: App;
  readonly db: TestDatabase;
  readonly endpoint: string;
  /** Every SQL statement the app sent, in order; clear it to count a window. */
  readonly sql: string[];
  token(userId: string, role?: StaffRole, name?: string): Promise<string>;
  /** Sends an operation as `as` (a token), or anonymously. */
  gql<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables, as?: string): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

/**
 * The real service (HTTP server, GraphQL, MikroORM) on a loopback port, over its own fresh
 * database, or over another test app's (a second instance of the service: `sharing`).
 */
export async function startTestApp(env: Record<string, string> = {}, sharing?: TestApp, extra: Pick<AppOptions, 'clock' | 'channel'> = {}): Promise<TestApp> {
  const db = sharing?.db ?? (await createTestDatabase());
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', JWT_SECRET_KEY: TEST_JWT_SECRET, DETAIL_LINK_SECRET: TEST_DETAIL_LINK_SECRET, DATABASE_URL: db.url, ...env });
  const sql: string[] = [];
  const app = await startApp({
    config,
    databaseUrl: db.url,
    jwtSecret: TEST_JWT_SECRET,
    logger: createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent'),
    onQuery: (line) => sql.push(line),
    ...extra,
  });
  const endpoint = `${app.http.url}/graphql`;
  return {
    app,
    db,
    endpoint,
    sql,
    token: (userId, role = StaffRole.AGENT, name) => signToken(TEST_JWT_SECRET, { userId, role, name: name ?? null }),
    gql: (document, variables, as) => execute(endpoint, document, variables, as),
    close: async () => {
      await app.close();
      if (!sharing) await db.drop();
    },
  };
}
