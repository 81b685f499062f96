import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { SCHEMA_LOCK, withAdvisoryLock } from './advisory-lock.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseOptions {
  readonly url: string;
  readonly poolMax?: number;
  readonly logger?: Logger;
  /** Called with every SQL statement sent (tests count them to bound N+1). */
  readonly onQuery?: (sql: string) => void;
}

export function ormOptions(options: DatabaseOptions): Options {
  const { logger, onQuery } = options;
  return defineConfig({
    clientUrl: options.url,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, path: 'src/db/migrations', transactional: true, allOrNothing: true, snapshot: false },
    // A table a migration creates for a library (rate-limiter-flexible, in its own layout), not an entity's.
    schemaGenerator: { skipTables: ['website_rate_limits'] },
    pool: { max: options.poolMax ?? 10 },
    debug: onQuery ? ['query'] : false,
    logger: (message) => (onQuery ? onQuery(message) : logger?.debug({ orm: message }, 'orm')),
    highlighter: undefined,
  });
}

export type Orm = MikroORM;

/**
 * Connects and brings the schema up to date; migrations are committed code, applied on every
 * start. Instances starting at the same moment on an empty database take turns (an advisory
 * lock): the first migrates, the others find nothing left to do.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(options));
  try {
    const applied = await withAdvisoryLock(options.url, SCHEMA_LOCK, () => orm.migrator.up());
    if (applied.length > 0) options.logger?.info({ migrations: applied.map((m) => m.name) }, 'applied database migrations');
  } catch (error) {
    await orm.close();
    throw error;
  }
  return orm;
}
