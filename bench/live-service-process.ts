/**
 * Child process running the service instance the benchmark subscribers connect to: startApp as
 * in production, with a WebSocket buffer limit high enough that no subscriber is cut off as slow.
 */
import 'reflect-metadata';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { serveParent, type ServerMethods } from './live-ipc.js';

const [databaseUrl, jwtSecret, bufferLimitKb] = process.argv.slice(2) as [string, string, string];
const config = loadConfig({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  JWT_SECRET_KEY: jwtSecret,
  DETAIL_LINK_SECRET: `${jwtSecret}-detail-links`,
  DATABASE_URL: databaseUrl,
  LIVE_BUFFER_LIMIT_KB: bufferLimitKb,
});
const app = await startApp({ config, databaseUrl, jwtSecret, logger: createLogger('warn', 'bench-service') });
serveParent<ServerMethods>({ url: `${app.http.url.replace(/^http/, 'ws')}/graphql` }, { subscribers: () => app.hub.subscriberCount }, () => app.close());
