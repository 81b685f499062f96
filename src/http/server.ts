import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request } from 'express';
import type { GraphQLSchema } from 'graphql';
import { bearerToken, TokenVerifier, type AuthenticatedActor } from '../auth/tokens.js';
import { AppError, unauthenticated } from '../domain/errors.js';
import type { Orm } from '../db/orm.js';
import type { GraphQLContext, LiveOperation } from '../graphql/context.js';
import type { SubscriptionHub } from '../live/subscription-hub.js';
import { dashboardRoutes } from './dashboard.js';
import { startLiveServer, type RunningLiveServer } from './live-server.js';
import { toGraphQLError } from '../graphql/errors.js';
import type { Logger } from '../logger.js';
import { createApolloServer } from './graphql-handler.js';

export interface HttpServerDeps {
  readonly orm: Orm;
  readonly schema: GraphQLSchema;
  readonly jwtSecret: string;
  readonly logger: Logger;
  readonly hub: SubscriptionHub;
  readonly contextFor: (actor: AuthenticatedActor, live?: LiveOperation) => GraphQLContext;
  readonly liveBufferLimitBytes: number;
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly url: string;
  readonly live: RunningLiveServer;
  close(): Promise<void>;
}

/**
 * The API is for staff only, so every GraphQL request is authenticated here, before parsing:
 * anonymous callers get 401 and cannot even introspect. Roles are checked per operation
 * (@Authorized on mutations).
 */
async function contextFor(req: Request, deps: HttpServerDeps, tokens: TokenVerifier): Promise<GraphQLContext> {
  try {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) throw unauthenticated('请先登录：请求需要 Authorization: Bearer <令牌>', 'Authentication required: send Authorization: Bearer <token>');
    return deps.contextFor(await tokens.verify(token));
  } catch (error) {
    throw error instanceof AppError ? toGraphQLError(error) : error;
  }
}

/** One HTTP server: GraphQL at /graphql, liveness at /healthz, readiness (database reachable) at /readyz. */
export async function startHttpServer(deps: HttpServerDeps, listen: { host: string; port: number }): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  const apollo = createApolloServer(deps.schema, server, deps.logger);
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready', database: 'ok' });
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  const tokens = new TokenVerifier(deps.jwtSecret);
  app.use('/graphql', express.json({ limit: '256kb' }), expressMiddleware(apollo, { context: ({ req }) => contextFor(req, deps, tokens) }));
  app.use('/dashboard', dashboardRoutes());
  const live = startLiveServer(server, {
    schema: deps.schema,
    hub: deps.hub,
    jwtSecret: deps.jwtSecret,
    contextFor: deps.contextFor,
    maxBufferedBytes: deps.liveBufferLimitBytes,
    logger: deps.logger,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`;
  deps.logger.info({ url: `${url}/graphql`, dashboard: `${url}/dashboard/` }, 'GraphQL API and live dashboard listening');
  return {
    server,
    url,
    live,
    close: async () => {
      await live.close();
      await apollo.stop();
    },
  };
}
