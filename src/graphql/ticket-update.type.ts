import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { TicketUpdateRecord } from '../domain/records.js';
import { Priority, TicketEventType, TicketStatus } from './enums.js';
import { TicketEventNode } from './ticket-event.type.js';
import { TicketNode } from './ticket.type.js';
import { bilingual } from './bilingual.js';

@ObjectType('TicketUpdate', { simpleResolvers: true, description: bilingual('一次已提交的变化：发生了什么，以及变化之后的工单。', 'A committed change: what happened, and the ticket as it was right after.') })
export class TicketUpdateNode {
  @Field(() => TicketEventNode, { description: bilingual('发生的事件；重连时把它的 id 作为 afterEventId。', 'What happened; its id is what to resume after (afterEventId) when reconnecting.') })
  event!: TicketEventNode;

  @Field(() => TicketNode, { description: bilingual('变化之后的工单。', 'The ticket right after the change.') })
  ticket!: TicketNode;

  static from({ event, ticket }: TicketUpdateRecord, now: Date): TicketUpdateNode {
    return Object.assign(new TicketUpdateNode(), { event: TicketEventNode.from(event), ticket: TicketNode.from(ticket, now) });
  }
}

@InputType({
  description:
    bilingual(
      '只关注哪些更新：给出的条件必须同时满足。状态和负责人也匹配离开它们的变化（从所关注的状态或负责人改走），这样“我的未结工单”视图能得知某个工单离开了它。',
      'Which updates to follow; all given criteria must hold. Status and assignee also match a change away from them (from the followed status, or from the followed assignee), so a view of "my open tickets" learns when one leaves it.',
    ),
})
export class TicketSubscriptionFilter {
  @Field(() => ID, { nullable: true, description: bilingual('只关注这个工单。', 'Only this ticket.') })
  ticketId?: string | null;

  @Field(() => ID, { nullable: true, description: bilingual('只关注这位客户的工单。', 'Only this customer\'s tickets.') })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('负责人的企业微信 userid。', 'The assignee\'s WeCom userid.') })
  assignee?: string | null;

  @Field(() => [TicketStatus], { nullable: true, description: bilingual('处于或离开这些状态之一的工单。', 'Tickets in, or leaving, one of these statuses.') })
  status?: TicketStatus[] | null;

  @Field(() => [Priority], { nullable: true, description: bilingual('属于这些优先级之一的工单。', 'Tickets of one of these priorities.') })
  priority?: Priority[] | null;

  @Field(() => [TicketEventType], { nullable: true, description: bilingual('只关注这些类型的事件，例如 [CREATED] 只看新工单。', 'Only these kinds of event, e.g. [CREATED] for new tickets.') })
  types?: TicketEventType[] | null;
}

@ObjectType('StatusCount', { simpleResolvers: true, description: bilingual('某个状态的工单数。', 'How many tickets have one status.') })
export class StatusCountNode {
  @Field(() => TicketStatus, { description: bilingual('状态。', 'The status.') })
  status!: TicketStatus;

  @Field(() => Int, { description: bilingual('处于这个状态的工单数。', 'Tickets in this status.') })
  count!: number;
}

@ObjectType('PriorityCount', { simpleResolvers: true, description: bilingual('某个优先级的工单数（哪些工单，见引用它的字段）。', 'How many tickets have one priority (which tickets: see the field that lists it).') })
export class PriorityCountNode {
  @Field(() => Priority, { description: bilingual('优先级。', 'The priority.') })
  priority!: Priority;

  @Field(() => Int, { description: bilingual('这个优先级的工单数。', 'Tickets of this priority.') })
  count!: number;
}

@ObjectType('TicketStats', { simpleResolvers: true, description: bilingual('工单统计，供看板显示。', 'Ticket counts, as a dashboard shows them.') })
export class TicketStatsNode {
  @Field(() => Int, { description: bilingual('工单总数。', 'All tickets.') })
  total!: number;

  @Field(() => Int, { description: bilingual('未结工单数：未解决、未关闭、未取消。', 'Open tickets: not resolved, closed or cancelled.') })
  open!: number;

  @Field(() => Int, { description: bilingual('超时工单数：未结且已过截止时间。', 'Overdue tickets: open and past the deadline.') })
  overdue!: number;

  @Field(() => [StatusCountNode], { description: bilingual('每个状态的工单数，按状态机顺序。', 'Every status, in the order of the status machine.') })
  byStatus!: StatusCountNode[];

  @Field(() => [PriorityCountNode], { description: bilingual('每个优先级的未结工单数，最紧急的在前。', 'Open tickets per priority, most urgent first.') })
  byPriority!: PriorityCountNode[];
}
