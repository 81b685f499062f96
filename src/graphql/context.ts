import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthenticatedActor } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { PreparedStatements } from '../db/prepared-statements.js';
import type { LiveConnection } from '../live/live-connection.js';
import type { SubscriptionExecution, SubscriptionHub } from '../live/subscription-hub.js';
import type { Actor } from '../domain/ticket-event.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import type { Outbox } from '../notifications/outbox.js';
import type { ReminderSweep } from '../reminders/reminder-sweep.js';
import type { StatusLinks } from '../tickets/status-links.js';
import type { TicketService } from '../tickets/ticket-service.js';
import type { WebsiteSubmissions } from '../tickets/website-submission.js';
import type { WebhookDirectory } from '../wecom/webhook-directory.js';
import { createLoaders, type Loaders } from './loaders.js';

/** The use cases the API delegates to. */
export interface Services {
  readonly tickets: TicketService;
  /** Tickets customers submit on the website (the one public mutation, and the /support form). */
  readonly submissions: WebsiteSubmissions;
  readonly staff: StaffDirectory;
  /** Runs the overdue check now (admin). */
  readonly sweep: ReminderSweep;
  readonly outbox: Outbox;
  /** The group robot webhooks (admin). */
  readonly webhooks: WebhookDirectory;
  /** The customers' private status links. */
  readonly statusLinks: StatusLinks;
}

/** What every request context is built from. */
export interface ContextDeps {
  /** The root EntityManager: requests fork it when they need a unit of work. */
  readonly root: EntityManager;
  readonly prepared: PreparedStatements;
  readonly services: Services;
  readonly clock: Clock;
}

export interface GraphQLContext {
  /**
   * Who is calling: every request is authenticated before any resolver runs, except a website
   * visitor's submitTicket (then `anonymous` is set, the actor is the website's and has no role
   * that @Authorized accepts; see server.ts for the gate).
   */
  readonly actor: AuthenticatedActor;
  /** A website visitor without a token: only Mutation.submitTicket is let through. */
  readonly anonymous?: boolean;
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
  /** The time "now" is for this request (overdue, hours past the deadline). */
  readonly clock: Clock;
  /** Set for operations received over WebSocket: what a subscription needs to join the hub. */
  readonly live?: LiveOperation;
  /** Set for operations run for a chat message: the group it was typed in. */
  readonly origin?: RequestOrigin;
}

/** Where an in-process operation comes from, beyond who sent it. */
export interface RequestOrigin {
  /** The WeCom group (chatid) a command was typed in: a ticket created there reports back there. */
  readonly chatId?: string;
  /** The client's address as the HTTP server sees it (req.ip), for the website submissions' limits. */
  readonly ip?: string;
  /** No token: a website visitor (the gate in server.ts let only submitTicket through). */
  readonly anonymous?: boolean;
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
    private readonly deps: ContextDeps,
    readonly actor: AuthenticatedActor,
    readonly live?: LiveOperation,
    readonly origin?: RequestOrigin,
  ) {}

  get anonymous(): boolean {
    return this.origin?.anonymous === true;
  }

  get records(): EntityManager {
    return this.deps.root;
  }

  get prepared(): PreparedStatements {
    return this.deps.prepared;
  }

  get services(): Services {
    return this.deps.services;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get em(): EntityManager {
    return (this.forked ??= this.deps.root.fork());
  }

  get loaders(): Loaders {
    return (this.batched ??= createLoaders(this.em));
  }
}

export function createContext(deps: ContextDeps, actor: AuthenticatedActor, live?: LiveOperation, origin?: RequestOrigin): GraphQLContext {
  return new RequestContext(deps, actor, live, origin);
}

/** The caller as the use cases record them. */
export function actorOf({ actor }: GraphQLContext): Actor {
  return { userId: actor.userId, name: actor.name };
}
