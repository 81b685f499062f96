import { Kind, parse } from 'graphql';
import { PUBLIC_MUTATION } from '../graphql/submission.resolver.js';
import { QUERY_LIMITS } from './graphql-handler.js';

/**
 * Whether a GraphQL request body asks for nothing but the public mutation: every operation in its
 * document is a mutation whose top-level fields are submitTicket (or __typename) alone — no
 * fragments at the top, no queries, no introspection. Anything else from a caller without a token
 * is refused before Apollo sees it, as it always was.
 */
export function onlyPublicOperations(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const query = (body as { query?: unknown }).query;
  if (typeof query !== 'string') return false;
  let document;
  try {
    document = parse(query, { maxTokens: QUERY_LIMITS.maxTokens, noLocation: true });
  } catch {
    return false;
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every(
      (op) => op.kind === Kind.OPERATION_DEFINITION && op.operation === 'mutation' && op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === PUBLIC_MUTATION || s.name.value === '__typename')),
    )
  );
}
