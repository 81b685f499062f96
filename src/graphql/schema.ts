import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type PubSub } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from './auth-checker.js';
import { CustomerResolver } from './customer.resolver.js';
import { NotificationResolver, ReminderResolver } from './notification.resolver.js';
import { StaffResolver } from './staff.resolver.js';
import { TicketSubscriptionResolver } from './ticket-subscription.resolver.js';
import { TicketResolver } from './ticket.resolver.js';

/**
 * type-graphql insists on a PubSub once there is a subscription, even though ours names its own
 * `subscribe` (ticket updates come from the event log through the SubscriptionHub, never from
 * topics). This one tells anyone who reaches for topics where updates come from.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('Ticket updates are published from the event log (SubscriptionHub), not through topics');
  },
  subscribe: () => {
    throw new Error('Ticket updates are published from the event log (SubscriptionHub), not through topics');
  },
};

/**
 * The Date class the resolvers' type metadata names, taken when the modules load. (A test that
 * moves time replaces the global Date afterwards; the metadata keeps naming this one.)
 */
const DateClass = Date;

export function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [TicketResolver, TicketSubscriptionResolver, CustomerResolver, StaffResolver, NotificationResolver, ReminderResolver],
    authChecker,
    pubSub: NO_TOPICS,
    scalarsMap: [{ type: DateClass, scalar: DateTimeResolver }],
    validate: false,
  });
}
