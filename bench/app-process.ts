/** Child process running the real service, so the load generator never shares its event loop. */
import 'reflect-metadata';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import pg from 'pg';
import { serveForParent } from './child.js';

/** Arguments: database URL, JWT secret, pool size, and optionally more settings as JSON (environment variables). */
const [databaseUrl, jwtSecret, poolMax, settings] = process.argv.slice(2) as [string, string, string, string | undefined];
const config = loadConfig({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  JWT_SECRET_KEY: jwtSecret,
  DETAIL_LINK_SECRET: `${jwtSecret}-detail-links`,
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_MAX: poolMax,
  ...(settings ? (JSON.parse(settings) as Record<string, string>) : {}),
});
const counts = process.env['BENCH_QUERY_STATS'] ? countQueries() : undefined;
const app = await startApp({ config, databaseUrl, jwtSecret, logger: createLogger('warn', 'bench') });
await serveForParent({
  url: `${app.http.url}/graphql`,
  close: async () => {
    if (counts) printQueryCounts(counts);
    await app.close();
  },
});

/** BENCH_QUERY_STATS=1: how many statements of each kind the service sent (printed when it stops). */
function countQueries(): Map<string, number> {
  const counts = new Map<string, number>();
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; name?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? first?.name ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  return counts;
}

function printQueryCounts(counts: Map<string, number>): void {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`statements sent: ${total}`);
  for (const [text, n] of [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(n).padStart(8)}  ${text}`);
}
