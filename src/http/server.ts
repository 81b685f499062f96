import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request } from 'express';
import type { GraphQLSchema } from 'graphql';
import { bearerToken, TokenVerifier, type AuthenticatedActor } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import { AppError, unauthenticated } from '../domain/errors.js';
import type { Orm } from '../db/orm.js';
import type { GraphQLContext, LiveOperation, RequestOrigin } from '../graphql/context.js';
import type { SubscriptionHub } from '../live/subscription-hub.js';
import { toGraphQLError } from '../graphql/errors.js';
import type { Logger } from '../logger.js';
import { adminRoutes, JOBS_DASHBOARD_PATH, type AdminDeps } from './admin-routes.js';
import { dashboardRoutes } from './dashboard.js';
import { chatRelayRoutes } from './chat-relay-routes.js';
import { customerRoutes } from './customer-routes.js';
import { appCallbackRoutes, type AppCallbackDeps } from './app-callback-routes.js';
import { localWecomRoutes } from './local-wecom-routes.js';
import type { ChatCommands } from '../chat-adapter/chat-commands.js';
import type { LocalWecom } from '../local-wecom/local-wecom.js';
import { graphqlIdeRoutes } from './graphql-ide.js';
import { errorsAsJson, notFoundAsJson, requireJsonBody } from './http-errors.js';
import { createApolloServer } from './graphql-handler.js';
import { startLiveServer, type RunningLiveServer } from './live-server.js';
import { statusPageRoutes, type StatusPageDeps } from './status-page-routes.js';
import { ticketPageRoutes } from './ticket-page-routes.js';
import type { DetailLinkSigner } from '../domain/detail-link.js';
import { StaffRole } from '../domain/staff-role.js';
import { WEBSITE_ACTOR } from '../domain/ticket-event.js';
import { onlyPublicOperations } from './public-operations.js';
import { supportRoutes, type SupportRoutesDeps } from './support-routes.js';

export interface HttpServerDeps {
  readonly orm: Orm;
  readonly jwtSecret: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The API; without it (a worker-only instance) the server answers health checks alone. */
  readonly api?: ApiDeps;
  /** The self-built app's encrypted callback, when configured. */
  readonly appCallback?: AppCallbackDeps;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-For gives req.ip. */
  readonly trustProxy?: string | number;
}

export interface ApiDeps {
  readonly schema: GraphQLSchema;
  readonly hub: SubscriptionHub;
  readonly contextFor: (actor: AuthenticatedActor, live?: LiveOperation, origin?: RequestOrigin) => GraphQLContext;
  readonly liveBufferLimitBytes: number;
  /** Serve GraphiQL on GET /graphql to browsers. */
  readonly ide: boolean;
  readonly admin: Omit<AdminDeps, 'tokens' | 'logger'>;
  /** Chat messages as commands: POST /api/wechat/work-message. */
  readonly chat: ChatCommands;
  /** The local WeCom to show at /dev/wecom (development only). */
  readonly localWecom?: LocalWecom;
  /** The cards' signed 查看详情 links: the read-only ticket page at /t/:id (HTML). */
  readonly detailLinks: DetailLinkSigner;
  /** The customers' status pages at /support/status/<token> (HTML, forms). */
  readonly statusPage: Omit<StatusPageDeps, 'orm' | 'logger'>;
  /** The customer portal at /support (HTML form posts). */
  readonly support: Omit<SupportRoutesDeps, 'logger'>;
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The website visitor a request without a token runs as. The role is only there for the type: the
 * context says `anonymous`, which @Authorized never accepts (auth-checker.ts).
 */
const WEBSITE_VISITOR: AuthenticatedActor = { userId: WEBSITE_ACTOR.userId, name: WEBSITE_ACTOR.name ?? null, role: StaffRole.AGENT };

/**
 * The API is for staff only, so every GraphQL request is authenticated here, before Apollo parses
 * it: anonymous callers get 401 and cannot even introspect. The one exception is a document that
 * asks for nothing but Mutation.submitTicket (customers submitting on the website). Roles are
 * checked per operation (@Authorized on mutations).
 */
async function contextFor(req: Request, api: ApiDeps, tokens: TokenVerifier): Promise<GraphQLContext> {
  try {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) {
      if (req.method === 'POST' && onlyPublicOperations(req.body)) return api.contextFor(WEBSITE_VISITOR, undefined, { ip: req.ip, anonymous: true });
      throw unauthenticated('请先登录：请求需要 Authorization: Bearer <令牌>', 'Authentication required: send Authorization: Bearer <token>');
    }
    return api.contextFor(await tokens.verify(token), undefined, { ip: req.ip });
  } catch (error) {
    throw error instanceof AppError ? toGraphQLError(error) : error;
  }
}

function healthRoutes(app: Express, deps: HttpServerDeps): void {
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
}

/** A path that a page's relative links need to end in a slash. */
function withTrailingSlash(app: Express, path: string): void {
  app.get(path, (req, res, next) => {
    const url = new URL(req.originalUrl, 'http://localhost');
    if (url.pathname.endsWith('/')) return next();
    res.redirect(301, `${url.pathname}/${url.search}`);
  });
}

/** GraphQL at /graphql (HTTP and WebSocket), the live dashboard, the admin routes, the ticket pages of the 查看详情 links. */
async function mountApi(app: Express, server: Server, deps: HttpServerDeps, api: ApiDeps): Promise<() => Promise<void>> {
  const apollo = createApolloServer(api.schema, server, deps.logger);
  await apollo.start();
  const tokens = new TokenVerifier(deps.jwtSecret, deps.clock);
  if (api.ide) app.use(graphqlIdeRoutes());
  app.use('/graphql', expressMiddleware(apollo, { context: ({ req }) => contextFor(req, api, tokens) }));
  app.use('/dashboard', dashboardRoutes());
  withTrailingSlash(app, JOBS_DASHBOARD_PATH);
  app.use(adminRoutes({ ...api.admin, tokens, logger: deps.logger }));
  app.use(chatRelayRoutes({ chat: api.chat, tokens }));
  app.use(customerRoutes({ orm: deps.orm, tokens, clock: deps.clock }));
  app.use(ticketPageRoutes({ orm: deps.orm, links: api.detailLinks, clock: deps.clock, logger: deps.logger }));
  const localWecom = api.localWecom ? localWecomRoutes(api.localWecom) : undefined;
  if (localWecom) app.use('/dev/wecom', localWecom.router);
  const live: RunningLiveServer = startLiveServer(server, {
    schema: api.schema,
    hub: api.hub,
    jwtSecret: deps.jwtSecret,
    clock: deps.clock,
    contextFor: api.contextFor,
    maxBufferedBytes: api.liveBufferLimitBytes,
    logger: deps.logger,
  });
  return async () => {
    localWecom?.close();
    await live.close();
    await apollo.stop();
  };
}

/** Largest request body any route accepts (a GraphQL document with its variables is far smaller). */
const BODY_LIMIT = '256kb';

/** One HTTP server: the API (when this instance serves it), liveness at /healthz, readiness (database reachable) at /readyz. */
export async function startHttpServer(deps: HttpServerDeps, listen: { host: string; port: number }): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  const server = createServer(app);
  // The app's callback is XML, the portal's form urlencoded; everything else takes JSON.
  if (deps.appCallback) app.use(appCallbackRoutes(deps.appCallback));
  // The customers' pages post HTML forms (urlencoded), so they come before the JSON rule too.
  if (deps.api) app.use(statusPageRoutes({ ...deps.api.statusPage, orm: deps.orm, logger: deps.logger }));
  // The customer portal's form posts are urlencoded (it works without script).
  if (deps.api) app.use(supportRoutes({ ...deps.api.support, logger: deps.logger }));
  app.use(requireJsonBody(), express.json({ limit: BODY_LIMIT }));
  healthRoutes(app, deps);
  const closeApi = deps.api ? await mountApi(app, server, deps, deps.api) : async () => undefined;
  app.use(notFoundAsJson(), errorsAsJson(deps.logger));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`;
  if (deps.api) deps.logger.info({ url: `${url}/graphql`, dashboard: `${url}/dashboard/`, jobs: `${url}${JOBS_DASHBOARD_PATH}/` }, 'GraphQL API and dashboards listening');
  else deps.logger.info({ url: `${url}/healthz` }, 'worker health checks listening');
  return {
    server,
    url,
    close: async () => {
      await closeApi();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
