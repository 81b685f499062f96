import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthenticatedActor } from '../auth/tokens.js';
import type { PreparedStatements } from '../db/prepared-statements.js';
import type { LiveConnection } from '../live/live-connection.js';
import type { SubscriptionExecution, SubscriptionHub } from '../live/subscription-hub.js';
import type { Actor } from '../domain/ticket-event.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { createLoaders, type Loaders } from './loaders.js';

/** The use cases the API delegates to. */
export interface Services {
  readonly tickets: TicketService;
  readonly staff: StaffDirectory;
}

export interface GraphQLContext {
  /** Who is calling: every request is authenticated before any resolver runs. */
  readonly actor: AuthenticatedActor;
  /** Request-scoped unit of work for entity reads, forked on first use. */
  readonly em: EntityManager;
  /**
   * For single-statement reads that return records: they touch no identity map, so they run on
   * the root EntityManager and a request that needs nothing else forks nothing (a fork and its
   * garbage are a measurable share of a `ticket(id)` request).
   */
  readonly records: EntityManager;
  /** Where single-statement reads run, prepared once per connection. */
  readonly prepared: PreparedStatements;
  readonly loaders: Loaders;
  readonly services: Services;
  /** Set for operations received over WebSocket: what a subscription needs to join the hub. */
  readonly live?: LiveOperation;
}

export interface LiveOperation {
  readonly hub: SubscriptionHub;
  readonly connection: LiveConnection;
  /** The graphql-ws operation id, which every message of the subscription carries. */
  readonly operationId: string;
  /** The document as the client sent it: identical text, identical subscription. */
  readonly query: string;
  readonly execution: SubscriptionExecution;
}

/**
 * A context whose unit of work and loaders are only built if a resolver asks for them.
 * The getters live on the prototype: Apollo shallow-copies the context for every operation
 * (`Object.assign(Object.create(proto), context)`), which would call own getters and build
 * both eagerly.
 */
class RequestContext implements GraphQLContext {
  private forked: EntityManager | undefined = undefined;
  private batched: Loaders | undefined = undefined;

  constructor(
    readonly actor: AuthenticatedActor,
    readonly services: Services,
    readonly records: EntityManager,
    readonly prepared: PreparedStatements,
    readonly live?: LiveOperation,
  ) {}

  get em(): EntityManager {
    return (this.forked ??= this.records.fork());
  }

  get loaders(): Loaders {
    return (this.batched ??= createLoaders(this.em));
  }
}

export function createContext(root: EntityManager, prepared: PreparedStatements, actor: AuthenticatedActor, services: Services, live?: LiveOperation): GraphQLContext {
  return new RequestContext(actor, services, root, prepared, live);
}

/** The caller as the use cases record them. */
export function actorOf({ actor }: GraphQLContext): Actor {
  return { userId: actor.userId, name: actor.name };
}
