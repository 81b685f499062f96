import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { AppError, ErrorCode } from '../domain/errors.js';
import type { Logger } from '../logger.js';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { [ErrorCode.UNAUTHENTICATED]: 401, [ErrorCode.FORBIDDEN]: 403 };

/** An application error as GraphQL reports it: code, bilingual text and any details. */
export function toGraphQLError(error: AppError): GraphQLError {
  const status = HTTP_STATUS[error.code];
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, messageZh: error.text.zh, messageEn: error.text.en, ...error.details, ...(status ? { http: { status } } : {}) },
  });
}

/**
 * Application errors keep their code and text; GraphQL's own errors (syntax, validation, limits)
 * pass through; anything else is a bug: logged in full, reported without internals.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const cause = unwrapResolverError(error);
    if (cause instanceof AppError) {
      return { ...formatted, message: cause.message, extensions: { code: cause.code, messageZh: cause.text.zh, messageEn: cause.text.en, ...cause.details } };
    }
    const code = formatted.extensions?.['code'];
    // Field suggestions would let an anonymous prober map the schema.
    if (code === 'GRAPHQL_VALIDATION_FAILED') return { ...formatted, message: formatted.message.replace(/\s*Did you mean .*\?$/, '') };
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    logger.error({ err: cause, path: formatted.path }, 'unexpected error in GraphQL operation');
    return { message: '服务器内部错误 (Internal server error)', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * The same formatting for results produced outside Apollo (operations over WebSocket and
 * subscription updates). GraphQL's own errors carry no code there; they get the ones Apollo
 * gives them over HTTP.
 */
export function createResultFormatter(logger: Logger) {
  const format = createErrorFormatter(logger);
  const formatErrors = (errors: readonly GraphQLError[], fallbackCode: string): GraphQLFormattedError[] =>
    errors.map((error) => {
      // graphql-ws wraps an error that ends a running subscription without a path, which Apollo's
      // unwrapping (resolver errors only) would not look through.
      const cause = error.originalError instanceof AppError ? error.originalError : error;
      return format(error.originalError || error.extensions['code'] ? error.toJSON() : { ...error.toJSON(), extensions: { ...error.extensions, code: fallbackCode } }, cause);
    });
  return {
    formatErrors,
    /** An execution result as JSON; errors in execution are about the operation's input unless they say otherwise. */
    serialize: (result: ExecutionResult): string => JSON.stringify(result.errors ? { ...result, errors: formatErrors(result.errors, 'BAD_USER_INPUT') } : result),
  };
}
