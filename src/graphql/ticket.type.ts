import { Field, ID, Int, ObjectType } from 'type-graphql';
import { isOverdue } from '../domain/deadline.js';
import { isOpen } from '../domain/ticket-status.js';
import type { Ticket } from '../db/entities/index.js';
import { Connection } from './connection.type.js';
import { Priority, TicketStatus } from './enums.js';

@ObjectType('Ticket', { description: '售后工单' })
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

  static from(ticket: Ticket, now = new Date()): TicketNode {
    return Object.assign(new TicketNode(), {
      id: String(ticket.id),
      title: ticket.title,
      description: ticket.description,
      product: ticket.product,
      status: ticket.status,
      priority: ticket.priority,
      progress: ticket.progress,
      assignedTo: ticket.assignedTo,
      assignedToName: ticket.assignedToName,
      deadline: ticket.deadline,
      overdue: isOpen(ticket.status) && isOverdue(ticket.deadline, now),
      reminderCount: ticket.reminderCount,
      lastReminderAt: ticket.lastReminderAt,
      groupMessageId: ticket.groupMessageId,
      sourceChatId: ticket.sourceChatId,
      createdBy: ticket.createdBy,
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
      resolvedAt: ticket.resolvedAt,
      closedAt: ticket.closedAt,
      version: ticket.version,
      customerId: ticket.customer.id,
    });
  }
}

@ObjectType('TicketConnection')
export class TicketConnection extends Connection('Ticket', TicketNode) {}
