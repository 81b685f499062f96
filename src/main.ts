import 'reflect-metadata';
import { startApp } from './app.js';
import { configFromEnvironment, connectDatabase, jwtSecretFor } from './bootstrap.js';
import { createLogger } from './logger.js';

const config = configFromEnvironment();
const logger = createLogger(config.logLevel);

process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

const database = await connectDatabase(config, logger);
try {
  const app = await startApp({ config, databaseUrl: database.url, jwtSecret: await jwtSecretFor(config, logger), logger });
  logger.info('get a token to call the API with: npm run token -- <userid> --role ADMIN');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  logger.fatal({ err: error }, 'failed to start');
  await database.embedded?.stop();
  process.exit(1);
}
