import type { Config } from './config.js';
import { openDatabase, type Orm } from './db/orm.js';
import { PreparedStatements } from './db/prepared-statements.js';
import { buildApiSchema } from './graphql/schema.js';
import { startHttpServer, type RunningHttpServer } from './http/server.js';
import type { Logger } from './logger.js';
import { StaffDirectory } from './staff/staff-directory.js';
import { TicketService } from './tickets/ticket-service.js';

export interface App {
  readonly orm: Orm;
  readonly http: RunningHttpServer;
  readonly tickets: TicketService;
  readonly staff: StaffDirectory;
  close(): Promise<void>;
}

export interface AppOptions {
  readonly config: Config;
  readonly databaseUrl: string;
  readonly jwtSecret: string;
  readonly logger: Logger;
  readonly onQuery?: (sql: string) => void;
}

/** Composition root: database, use cases and the HTTP edge, wired once. */
export async function startApp({ config, databaseUrl, jwtSecret, logger, onQuery }: AppOptions): Promise<App> {
  const orm = await openDatabase({ url: databaseUrl, poolMax: config.database.poolMax, logger, onQuery });
  const prepared = new PreparedStatements(databaseUrl, config.database.poolMax, logger);
  const tickets = new TicketService(orm, prepared, config.deadline);
  const staff = new StaffDirectory(orm);
  const schema = await buildApiSchema();
  const http = await startHttpServer({ orm, prepared, schema, services: { tickets, staff }, jwtSecret, logger }, { host: config.host, port: config.port });
  return {
    orm,
    http,
    tickets,
    staff,
    close: async () => {
      await http.close();
      await prepared.close();
      await orm.close();
    },
  };
}
