import type { Config } from './config.js';
import { EventLogStore } from './db/event-log-store.js';
import { openDatabase, type Orm } from './db/orm.js';
import { PreparedStatements } from './db/prepared-statements.js';
import type { AuthenticatedActor } from './auth/tokens.js';
import { createContext, type LiveOperation } from './graphql/context.js';
import { createResultFormatter } from './graphql/errors.js';
import { buildApiSchema } from './graphql/schema.js';
import { startHttpServer, type RunningHttpServer } from './http/server.js';
import { ChangeListener } from './live/change-listener.js';
import { ChangeNotifier } from './live/change-notifier.js';
import { EventLogFollower } from './live/event-log-follower.js';
import { SubscriptionHub } from './live/subscription-hub.js';
import type { Logger } from './logger.js';
import { StaffDirectory } from './staff/staff-directory.js';
import { TicketService } from './tickets/ticket-service.js';

export interface App {
  readonly orm: Orm;
  readonly http: RunningHttpServer;
  readonly tickets: TicketService;
  readonly staff: StaffDirectory;
  readonly hub: SubscriptionHub;
  close(): Promise<void>;
}

export interface AppOptions {
  readonly config: Config;
  readonly databaseUrl: string;
  readonly jwtSecret: string;
  readonly logger: Logger;
  readonly onQuery?: (sql: string) => void;
}

/** Events read from the log per query by an instance's follower. */
const EVENT_LOG_BATCH = 500;

/** Composition root: database, use cases, live updates and the HTTP edge, wired once. */
export async function startApp({ config, databaseUrl, jwtSecret, logger, onQuery }: AppOptions): Promise<App> {
  const orm = await openDatabase({ url: databaseUrl, poolMax: config.database.poolMax, logger, onQuery });
  const prepared = new PreparedStatements(databaseUrl, config.database.poolMax, logger);
  const log = new EventLogStore(orm.em, prepared);
  const staff = new StaffDirectory(orm);
  const schema = await buildApiSchema();

  const notifier = new ChangeNotifier((channel, payload) => prepared.rows('select pg_notify(?, ?)', [channel, payload]), () => follower.wake(), logger);
  const services = { tickets: new TicketService(orm, prepared, config.deadline, notifier), staff };
  const contextFor = (actor: AuthenticatedActor, live?: LiveOperation) => createContext(orm.em, prepared, actor, services, live);
  const hub = new SubscriptionHub(log, contextFor, createResultFormatter(logger).serialize, { replayLimit: config.live.replayLimit });
  const follower = new EventLogFollower(log, (updates) => hub.dispatch(updates), { batchSize: EVENT_LOG_BATCH, pollIntervalMs: config.live.pollIntervalMs }, logger);
  const listener = new ChangeListener(databaseUrl, () => follower.wake(), logger);

  hub.startAt(await follower.start());
  await listener.start();
  const http = await startHttpServer(
    { orm, schema, jwtSecret, logger, hub, contextFor, liveBufferLimitBytes: config.live.bufferLimitBytes },
    { host: config.host, port: config.port },
  );
  return {
    orm,
    http,
    ...services,
    hub,
    close: async () => {
      // Live updates first: at shutdown the database may be going away at the same moment.
      follower.stop();
      await listener.close();
      await http.close();
      await prepared.close();
      await orm.close();
    },
  };
}
