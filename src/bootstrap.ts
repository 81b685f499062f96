import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres.js';
import type { Logger } from './logger.js';

/** Loads `.env` (if present) under the real environment, then validates it. Exits with the problems on bad values. */
export function configFromEnvironment(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}

export interface Database {
  readonly url: string;
  readonly embedded?: EmbeddedDatabase;
}

/** DATABASE_URL when set; otherwise a real PostgreSQL started from the embedded-postgres package under DATA_DIR. */
export async function connectDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.database.url) return { url: config.database.url };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'tickets', logger });
  return { url: embedded.url, embedded };
}

/** JWT_SECRET_KEY, or outside production a random secret kept under DATA_DIR so tokens survive restarts. */
export async function jwtSecretFor(config: Config, logger: Logger): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  const file = path.join(config.dataDir, 'jwt-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  logger.warn({ file }, 'JWT_SECRET_KEY is not set: generated a development secret (set JWT_SECRET_KEY in production)');
  return secret;
}

