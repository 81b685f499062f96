import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthenticatedActor } from '../auth/tokens.js';
import type { Actor } from '../domain/ticket-event.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import type { TicketService } from '../tickets/ticket-service.js';
import type { Loaders } from './loaders.js';

/** The use cases the API delegates to. */
export interface Services {
  readonly tickets: TicketService;
  readonly staff: StaffDirectory;
}

export interface GraphQLContext {
  /** null when the request carried no token; @Authorized resolvers then refuse it. */
  readonly actor: AuthenticatedActor | null;
  /** Request-scoped unit of work for reads. */
  readonly em: EntityManager;
  readonly loaders: Loaders;
  readonly services: Services;
}

/** The actor of an @Authorized resolver (the auth checker has already refused anonymous calls). */
export function actorOf(context: GraphQLContext): Actor {
  const actor = context.actor!;
  return { userId: actor.userId, name: actor.name };
}
