import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { Server } from 'node:http';
import armor from '@escape.tech/graphql-armor';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { createErrorFormatter } from '../graphql/errors.js';
import type { Logger } from '../logger.js';

/** Query limits: generous for real dashboards and apps, fatal for abusive documents. */
export const QUERY_LIMITS = {
  maxDepth: 8,
  maxAliases: 15,
  maxCost: 5000,
  maxTokens: 2000,
  maxDirectives: 20,
} as const;

/** GraphQL Armor's validation rules for QUERY_LIMITS, shared by HTTP and WebSocket operations. */
export function queryProtection() {
  return new armor.ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // In Apollo these two are plugins that hook every request; graphql-js's own parser limit
    // (parseOptions below) and our error formatter do the same work only when it is needed.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

export function createApolloServer(schema: GraphQLSchema, httpServer: Server, logger: Logger, extraPlugins: ApolloServerPlugin<GraphQLContext>[] = []) {
  const protection = queryProtection();
  return new ApolloServer<GraphQLContext>({
    schema,
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: protection.allowBatchedHttpRequests,
    includeStacktraceInErrorResponses: protection.includeStacktraceInErrorResponses,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    introspection: true,
    // The service stops Apollo itself, in order (main.ts); Apollo's own handler would re-raise the
    // signal once Apollo alone has stopped and end the process mid-shutdown.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Responses are per-user and never HTTP-cached, so cache hints are unused; computing them
      // hooks every field resolution (~100 µs of a ticket(id) request, measured).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads from a CDN; the service serves GraphiQL itself (graphql-ide.ts).
      ApolloServerPluginLandingPageDisabled(),
      ...extraPlugins,
    ],
  });
}
