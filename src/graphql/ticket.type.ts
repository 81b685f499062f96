import { Field, ID, Int, ObjectType } from 'type-graphql';
import { isOverdue } from '../domain/deadline.js';
import { isOpen } from '../domain/ticket-status.js';
import { TICKET_RECORD_KEYS, type TicketRecord } from '../domain/records.js';
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

  /** From a whole record, or from the fields a query selected (see TICKET_FIELD_SOURCES). */
  static from(ticket: Partial<TicketRecord> & Pick<TicketRecord, 'id'>, now: Date): TicketNode {
    const overdue = ticket.status !== undefined && ticket.deadline !== undefined && isOpen(ticket.status) && isOverdue(ticket.deadline, now);
    return Object.assign(new TicketNode(), { ...ticket, id: String(ticket.id), overdue });
  }
}

@ObjectType('TicketConnection', { simpleResolvers: true })
export class TicketConnection extends Connection('Ticket', TicketNode, { zh: '工单', en: 'ticket' }) {}

/** The record fields each Ticket field is computed from, where they are not simply its namesake. */
const TICKET_FIELD_SOURCES: Readonly<Record<string, readonly (keyof TicketRecord)[]>> = {
  overdue: ['status', 'deadline'],
  customer: ['customerId'],
  events: [],
  reminders: [],
  __typename: [],
};

const RECORD_KEYS = new Set<string>(TICKET_RECORD_KEYS);

/** The record fields needed to answer the selected Ticket fields. */
export function recordKeysFor(fields: Iterable<string>): (keyof TicketRecord)[] {
  const keys = new Set<keyof TicketRecord>();
  for (const field of fields) {
    for (const key of TICKET_FIELD_SOURCES[field] ?? (RECORD_KEYS.has(field) ? [field as keyof TicketRecord] : [])) keys.add(key);
  }
  return [...keys];
}
