import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { parseCustomerId } from '../domain/ids.js';
import { findCustomers, getCustomer } from '../customers/customer-queries.js';
import { PAGE_SIZE, pageSize } from '../db/pagination.js';
import { toConnection } from './connection.type.js';
import type { GraphQLContext } from './context.js';
import { CustomerConnection, CustomerNode } from './customer.type.js';
import { CustomersArgs } from './ticket.args.js';
import { TicketNode } from './ticket.type.js';

@Resolver(() => CustomerNode)
export class CustomerResolver {
  @Query(() => CustomerNode)
  async customer(@Arg('id', () => ID) id: string, @Ctx() { em }: GraphQLContext): Promise<CustomerNode> {
    return CustomerNode.from(await getCustomer(em, parseCustomerId(id)));
  }

  @Query(() => CustomerConnection, { description: 'Customers whose name, phone or company contains the search text, newest first.' })
  async customers(@Args(() => CustomersArgs) { search, ...page }: CustomersArgs, @Ctx() { em }: GraphQLContext): Promise<CustomerConnection> {
    return toConnection(await findCustomers(em, search, page), CustomerNode.from);
  }

  @FieldResolver(() => [TicketNode], { description: 'The customer\'s latest tickets, newest first.' })
  async tickets(
    @Root() customer: CustomerNode,
    @Ctx() { loaders, clock }: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: PAGE_SIZE.default }) first: number,
  ): Promise<TicketNode[]> {
    const now = clock.now();
    return (await loaders.recentTickets.load({ customerId: Number(customer.id), first: pageSize(first) })).map((t) => TicketNode.from(t, now));
  }
}
