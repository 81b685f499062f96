import { Field, Int, ObjectType } from 'type-graphql';
import type { CustomerSummary } from '../customers/customer-summary.js';
import { TicketNode } from './ticket.type.js';
import { bilingual } from './bilingual.js';

@ObjectType('CustomerSummary', {
  simpleResolvers: true,
  description: bilingual('客户的工单汇总：数量、最近的工单和涉及的产品（与 GET /api/customers/{id}/tickets/summary 相同）。', 'A customer\'s tickets at a glance: counts, the latest tickets and the products (as GET /api/customers/{id}/tickets/summary).'),
})
export class CustomerSummaryNode {
  @Field(() => Int, { description: bilingual('工单总数（含已取消）。', 'Every ticket, cancelled ones included.') })
  totalTickets!: number;

  @Field(() => Int, { description: bilingual('未结工单数：待分配、已分配、处理中、已升级。', 'Open tickets: pending, assigned, processing, escalated.') })
  pendingTickets!: number;

  @Field(() => Int, { description: bilingual('已解决和已关闭的工单数。', 'Resolved and closed tickets.') })
  resolvedTickets!: number;

  @Field(() => [TicketNode], { description: bilingual('最近的 5 个工单，最新的在前。', 'The 5 latest tickets, newest first.') })
  recentTickets!: TicketNode[];

  @Field(() => [String], { description: bilingual('工单涉及的产品（去重），最近报修的在前。', 'The distinct products of their tickets, the most recently reported first.') })
  products!: string[];

  @Field({ description: bilingual('成为客户的时间（首次登记）。', 'When they became a customer (first recorded).') })
  customerSince!: Date;

  static from(summary: CustomerSummary, now: Date): CustomerSummaryNode {
    const { totalTickets, pendingTickets, resolvedTickets, products, customerSince } = summary;
    return Object.assign(new CustomerSummaryNode(), {
      totalTickets,
      pendingTickets,
      resolvedTickets,
      recentTickets: summary.recentTickets.map((t) => TicketNode.from(t, now)),
      products: [...products],
      customerSince,
    });
  }
}
