import { Field, ID, Int, ObjectType } from 'type-graphql';
import { isOverdue } from '../domain/deadline.js';
import { isOpen } from '../domain/ticket-status.js';
import type { TicketRecord } from '../domain/records.js';
import { Connection } from './connection.type.js';
import { Priority, TicketStatus } from './enums.js';

@ObjectType('Ticket', { simpleResolvers: true, description: '售后工单' })
export class TicketNode {
  @Field(() => ID, { description: 'The number staff write in chat as #123.' })
  id!: string;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => String, { nullable: true, description: '产品/项目' })
  product!: string | null;

  @Field(() => TicketStatus)
  status!: TicketStatus;

  @Field(() => Priority)
  priority!: Priority;

  @Field(() => Int, { description: '0–100' })
  progress!: number;

  @Field(() => String, { nullable: true, description: 'WeCom userid of the assignee.' })
  assignedTo!: string | null;

  @Field(() => String, { nullable: true })
  assignedToName!: string | null;

  @Field()
  deadline!: Date;

  @Field({ description: 'Open and past its deadline.' })
  overdue!: boolean;

  @Field(() => Int)
  reminderCount!: number;

  @Field(() => Date, { nullable: true })
  lastReminderAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'WeCom id of the card pushed to the group.' })
  groupMessageId!: string | null;

  @Field(() => String, { nullable: true, description: 'WeCom chat the ticket was created from.' })
  sourceChatId!: string | null;

  @Field(() => String, { nullable: true, description: 'WeCom userid of the creator.' })
  createdBy!: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;

  @Field(() => Int, { description: 'Increases with every update (optimistic lock).' })
  version!: number;

  /** Not in the schema: the key for resolving `customer`. */
  customerId!: number;

  static from(ticket: TicketRecord, now = new Date()): TicketNode {
    return Object.assign(new TicketNode(), {
      ...ticket,
      id: String(ticket.id),
      overdue: isOpen(ticket.status) && isOverdue(ticket.deadline, now),
    });
  }
}

@ObjectType('TicketConnection', { simpleResolvers: true })
export class TicketConnection extends Connection('Ticket', TicketNode) {}
