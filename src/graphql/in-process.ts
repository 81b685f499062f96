import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { AuthenticatedActor } from '../auth/tokens.js';
import type { GraphQLContext, RequestOrigin } from './context.js';
import type { createResultFormatter } from './errors.js';

/** A refused operation as a chat user should read it: the code, and the message in Chinese. */
export interface OperationError {
  readonly code: string;
  readonly message: string;
}

export type OperationOutcome<TData> = { readonly ok: true; readonly data: TData } | { readonly ok: false; readonly error: OperationError };

/**
 * Runs the service's own typed operations against its schema in process, as a given staff member.
 * The WeCom adapter goes through here, so a chat command meets the same authorization, validation,
 * audit events and live updates as any API client, without an HTTP round trip.
 */
export class InProcessGraphQL {
  // Our documents are fixed at build time: each is validated against the schema once, on first use.
  private readonly validated = new WeakSet<DocumentNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly contextFor: (actor: AuthenticatedActor, origin?: RequestOrigin) => GraphQLContext,
    private readonly formatter: ReturnType<typeof createResultFormatter>,
  ) {}

  async run<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    actor: AuthenticatedActor,
    origin?: RequestOrigin,
  ): Promise<OperationOutcome<TData>> {
    this.validate(document);
    const result = await execute({ schema: this.schema, document, variableValues: variables, contextValue: this.contextFor(actor, origin) });
    if (result.errors?.length) {
      const [first] = this.formatter.formatErrors(result.errors, 'BAD_USER_INPUT');
      const code = String(first!.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
      const zh = first!.extensions?.['messageZh'];
      return { ok: false, error: { code, message: typeof zh === 'string' ? zh : first!.message } };
    }
    return { ok: true, data: result.data as TData };
  }

  private validate(document: DocumentNode): void {
    if (this.validated.has(document)) return;
    const errors = validate(this.schema, document);
    if (errors.length > 0) throw new Error(`An in-process operation does not match the schema: ${errors.map((e) => e.message).join('; ')}`);
    this.validated.add(document);
  }
}
