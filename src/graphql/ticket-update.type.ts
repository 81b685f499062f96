import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { TicketUpdateRecord } from '../domain/records.js';
import { Priority, TicketEventType, TicketStatus } from './enums.js';
import { TicketEventNode } from './ticket-event.type.js';
import { TicketNode } from './ticket.type.js';

@ObjectType('TicketUpdate', { simpleResolvers: true, description: 'A committed change: what happened, and the ticket as it was right after.' })
export class TicketUpdateNode {
  @Field(() => TicketEventNode, { description: 'Its id is what to resume after (afterEventId) when reconnecting.' })
  event!: TicketEventNode;

  @Field(() => TicketNode)
  ticket!: TicketNode;

  static from({ event, ticket }: TicketUpdateRecord, now: Date): TicketUpdateNode {
    return Object.assign(new TicketUpdateNode(), { event: TicketEventNode.from(event), ticket: TicketNode.from(ticket, now) });
  }
}

@InputType({
  description:
    'Which updates to follow; all given criteria must hold. Status and assignee also match a change away from them (from the followed status, or from the followed assignee), so a view of "my open tickets" learns when one leaves it.',
})
export class TicketSubscriptionFilter {
  @Field(() => ID, { nullable: true })
  ticketId?: string | null;

  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: 'WeCom userid of the assignee.' })
  assignee?: string | null;

  @Field(() => [TicketStatus], { nullable: true })
  status?: TicketStatus[] | null;

  @Field(() => [Priority], { nullable: true })
  priority?: Priority[] | null;

  @Field(() => [TicketEventType], { nullable: true, description: 'Only these kinds of event, e.g. [CREATED] for new tickets.' })
  types?: TicketEventType[] | null;
}

@ObjectType('StatusCount', { simpleResolvers: true })
export class StatusCountNode {
  @Field(() => TicketStatus)
  status!: TicketStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType('PriorityCount', { simpleResolvers: true })
export class PriorityCountNode {
  @Field(() => Priority)
  priority!: Priority;

  @Field(() => Int)
  count!: number;
}

@ObjectType('TicketStats', { simpleResolvers: true, description: 'Ticket counts, as a dashboard shows them.' })
export class TicketStatsNode {
  @Field(() => Int)
  total!: number;

  @Field(() => Int, { description: 'Not resolved, closed or cancelled.' })
  open!: number;

  @Field(() => Int, { description: 'Open and past the deadline.' })
  overdue!: number;

  @Field(() => [StatusCountNode], { description: 'Every status, in the order of the status machine.' })
  byStatus!: StatusCountNode[];

  @Field(() => [PriorityCountNode], { description: 'Open tickets per priority, most urgent first.' })
  byPriority!: PriorityCountNode[];
}
