import type { Server } from 'node:http';
import {
  createSourceEventStream,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken, verifyToken, type AuthenticatedActor } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { GraphQLContext, LiveOperation } from '../graphql/context.js';
import { createResultFormatter } from '../graphql/errors.js';
import { LiveConnection } from '../live/live-connection.js';
import type { SubscriptionHub } from '../live/subscription-hub.js';
import type { Logger } from '../logger.js';
import { QUERY_LIMITS, queryProtection } from './graphql-handler.js';

export interface LiveServerDeps {
  readonly schema: GraphQLSchema;
  readonly hub: SubscriptionHub;
  readonly jwtSecret: string;
  readonly clock: Clock;
  readonly contextFor: (actor: AuthenticatedActor, live?: LiveOperation) => GraphQLContext;
  /** Unread updates a connection may let pile up before it is disconnected. */
  readonly maxBufferedBytes: number;
  readonly logger: Logger;
}

export interface RunningLiveServer {
  close(): Promise<void>;
}

/** graphql-ws reports GraphQLError instances only; the code tells clients which phase refused the operation. */
const withCode = (error: GraphQLError, code: string): GraphQLError =>
  error.extensions['code'] ? error : new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });

/** How long connections get to answer the goodbye at shutdown. */
const CLOSE_GRACE_MS = 1000;

type ConnectionParams = { authorization?: unknown; Authorization?: unknown; token?: unknown };

/** A close reason is limited to 123 bytes: short English; clients map the codes to their language. */
const CLOSE = {
  missingToken: [CloseCode.Unauthorized, 'Unauthorized: send connectionParams {"authorization": "Bearer <token>"}'],
  badToken: [CloseCode.Forbidden, 'Forbidden: invalid or expired token'],
  expired: [CloseCode.Forbidden, 'Forbidden: token expired'],
} as const;

function tokenOf(params: ConnectionParams | undefined, header: string | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization ?? params?.token;
  if (typeof value === 'string' && value.trim() !== '') return bearerToken(value) ?? value.trim();
  return bearerToken(header);
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql path: the same schema, limits
 * and error format as HTTP. Connections authenticate in connection_init with the same bearer
 * token (4401 without one, 4403 when it is invalid, and when it expires while connected).
 * Subscriptions are served by the SubscriptionHub.
 */
export function startLiveServer(httpServer: Server, deps: LiveServerDeps): RunningLiveServer {
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 256 * 1024 });
  const connections = new WeakMap<WebSocket, LiveConnection>();
  const { formatErrors, serialize } = createResultFormatter(deps.logger);
  const validationRules: ValidationRule[] = [...specifiedRules, ...queryProtection().validationRules];

  const authenticate = async (ctx: Context<ConnectionParams, { socket: WebSocket; request: { headers: Record<string, string | string[] | undefined> } }>): Promise<boolean> => {
    const { socket, request } = ctx.extra;
    const header = request.headers['authorization'];
    const token = tokenOf(ctx.connectionParams, typeof header === 'string' ? header : undefined);
    if (token === undefined) {
      socket.close(...CLOSE.missingToken);
      return false;
    }
    try {
      const { expiresAt, ...actor } = await verifyToken(deps.jwtSecret, token, deps.clock.now());
      connections.set(socket, new LiveConnection(socket, actor, deps.maxBufferedBytes));
      const expiry = setTimeout(() => socket.close(...CLOSE.expired), Math.max(0, Math.min(expiresAt - deps.clock.now().getTime(), 2 ** 31 - 1)));
      expiry.unref();
      socket.once('close', () => clearTimeout(expiry));
      return true;
    } catch {
      socket.close(...CLOSE.badToken);
      return false;
    }
  };

  const server = useServer(
    {
      schema: deps.schema,
      onConnect: authenticate,
      onSubscribe: (_ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, { maxTokens: QUERY_LIMITS.maxTokens });
        } catch (error) {
          return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(deps.schema, document, validationRules);
        if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        return { schema: deps.schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null };
      },
      context: (ctx, id, payload, execution) => {
        const connection = connections.get(ctx.extra.socket)!;
        const operation = getOperationAST(execution.document, execution.operationName)?.operation;
        const live = operation === 'subscription' ? { hub: deps.hub, connection, operationId: id, query: payload.query, execution } : undefined;
        return deps.contextFor(connection.actor, live);
      },
      // The source stream is the hub's subscriber, which sends rendered updates itself.
      subscribe: (execution) => createSourceEventStream(execution) as Promise<AsyncIterable<ExecutionResult> | ExecutionResult>,
      onNext: (_ctx, _id, _payload, _execution, result) => (result.errors ? JSON.parse(serialize(result)) : undefined),
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors, 'BAD_USER_INPUT'),
    },
    wss,
  );
  return {
    close: async () => {
      // dispose() says goodbye (1001) and waits for each peer's reply; one that stopped reading
      // would hold shutdown for ws's 30 s close timeout.
      const stragglers = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      await server.dispose();
      clearTimeout(stragglers);
    },
  };
}
