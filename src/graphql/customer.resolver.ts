import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { parseCustomerId } from '../domain/ids.js';
import { findCustomers, getCustomer } from '../customers/customer-queries.js';
import { customerSummary } from '../customers/customer-summary.js';
import { CustomerSummaryNode } from './customer-summary.type.js';
import { PAGE_SIZE, pageSize } from '../db/pagination.js';
import { toConnection } from './connection.type.js';
import type { GraphQLContext } from './context.js';
import { CustomerConnection, CustomerNode } from './customer.type.js';
import { CustomersArgs } from './ticket.args.js';
import { TicketNode } from './ticket.type.js';
import { bilingual } from './bilingual.js';

@Resolver(() => CustomerNode)
export class CustomerResolver {
  @Query(() => CustomerNode, { description: bilingual('按编号查询一位客户。', 'One customer by id.') })
  async customer(@Arg('id', () => ID, { description: bilingual('客户编号（Customer.id）。', 'The customer\'s id (Customer.id).') }) id: string, @Ctx() { em }: GraphQLContext): Promise<CustomerNode> {
    return CustomerNode.from(await getCustomer(em, parseCustomerId(id)));
  }

  @Query(() => CustomerConnection, { description: bilingual('姓名、手机号或公司包含搜索文字的客户，最新的在前。', 'Customers whose name, phone or company contains the search text, newest first.') })
  async customers(@Args(() => CustomersArgs) { search, ...page }: CustomersArgs, @Ctx() { em }: GraphQLContext): Promise<CustomerConnection> {
    return toConnection(await findCustomers(em, search, page), CustomerNode.from);
  }

  @FieldResolver(() => CustomerSummaryNode, { description: bilingual('这位客户的工单汇总：数量、最近 5 个工单、涉及的产品。', 'The customer\'s tickets at a glance: counts, the 5 latest, the products.') })
  async summary(@Root() customer: CustomerNode, @Ctx() { em, clock }: GraphQLContext): Promise<CustomerSummaryNode> {
    return CustomerSummaryNode.from(await customerSummary(em, Number(customer.id)), clock.now());
  }

  @FieldResolver(() => [TicketNode], { description: bilingual('这位客户最近的工单，最新的在前。', 'The customer\'s latest tickets, newest first.') })
  async tickets(
    @Root() customer: CustomerNode,
    @Ctx() { loaders, clock }: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: PAGE_SIZE.default, description: bilingual('最多多少条，1–100。', 'How many at most, 1–100.') }) first: number,
  ): Promise<TicketNode[]> {
    const now = clock.now();
    return (await loaders.recentTickets.load({ customerId: Number(customer.id), first: pageSize(first) })).map((t) => TicketNode.from(t, now));
  }
}
