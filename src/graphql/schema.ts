import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from './auth-checker.js';
import { CustomerResolver } from './customer.resolver.js';
import { StaffResolver } from './staff.resolver.js';
import { TicketResolver } from './ticket.resolver.js';

export function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [TicketResolver, CustomerResolver, StaffResolver],
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
  });
}
