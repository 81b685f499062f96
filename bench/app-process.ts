/** Child process running the real service, so the load generator never shares its event loop. */
import 'reflect-metadata';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { serveForParent } from './child.js';

const [databaseUrl, jwtSecret, poolMax] = process.argv.slice(2) as [string, string, string];
const config = loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', JWT_SECRET_KEY: jwtSecret, DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: poolMax });
const app = await startApp({ config, databaseUrl, jwtSecret, logger: createLogger('warn', 'bench') });
await serveForParent({ url: `${app.http.url}/graphql`, close: () => app.close() });
