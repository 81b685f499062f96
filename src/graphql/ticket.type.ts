import { Field, ID, Int, ObjectType } from 'type-graphql';
import { isOverdue } from '../domain/deadline.js';
import { isOpen } from '../domain/ticket-status.js';
import { TICKET_RECORD_KEYS, type TicketRecord } from '../domain/records.js';
import { bilingual } from './bilingual.js';
import { Connection } from './connection.type.js';
import { Priority, TicketStatus } from './enums.js';

@ObjectType('Ticket', {
  simpleResolvers: true,
  description: bilingual('售后工单：客户的一个问题，从创建到关闭的全过程。', 'An after-sales ticket: one customer problem, from creation to closing.'),
})
export class TicketNode {
  @Field(() => ID, { description: bilingual('工单号，聊天中写作 #123。', 'The ticket number, written #123 in chat.') })
  id!: string;

  @Field({ description: bilingual('标题：未填写时取问题描述的第一行。', 'The title: the first line of the description unless one was given.') })
  title!: string;

  @Field({ description: bilingual('问题描述，按提交时的原文。', 'The problem as it was reported.') })
  description!: string;

  @Field(() => String, { nullable: true, description: bilingual('涉及的产品或项目。', 'The product or project concerned.') })
  product!: string | null;

  @Field(() => TicketStatus, { description: bilingual('当前状态。', 'The current status.') })
  status!: TicketStatus;

  @Field(() => Priority, { description: bilingual('优先级。', 'The priority.') })
  priority!: Priority;

  @Field(() => Int, { description: bilingual('处理进度，0–100（%）。', 'Progress, 0–100 (percent).') })
  progress!: number;

  @Field(() => String, { nullable: true, description: bilingual('负责人的企业微信 userid；未分配时为 null。', 'The assignee\'s WeCom userid; null while unassigned.') })
  assignedTo!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('负责人的显示名。', 'The assignee\'s display name.') })
  assignedToName!: string | null;

  @Field({ description: bilingual('处理截止时间；过了仍未解决就会催促。', 'The deadline; reminders follow if the ticket is still open after it.') })
  deadline!: Date;

  @Field({ description: bilingual('是否已超时：未结且已过截止时间。', 'Whether it is overdue: open and past its deadline.') })
  overdue!: boolean;

  @Field(() => Int, { description: bilingual('已发出的超时催促次数。', 'How many deadline reminders have been issued.') })
  reminderCount!: number;

  @Field(() => Date, { nullable: true, description: bilingual('最近一次催促的时间；从未催促时为 null。', 'When the last reminder was issued; null if none was.') })
  lastReminderAt!: Date | null;

  @Field(() => String, { nullable: true, description: bilingual('推送到群里的工单卡片的企业微信消息 id。', 'The WeCom id of the card pushed to the group.') })
  groupMessageId!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('创建工单的企业微信群（chatid）；通过 API 创建时为 null。', 'The WeCom chat (chatid) the ticket was created from; null when created through the API.') })
  sourceChatId!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('创建人的企业微信 userid。', 'The creator\'s WeCom userid.') })
  createdBy!: string | null;

  @Field({ description: bilingual('创建时间。', 'When it was created.') })
  createdAt!: Date;

  @Field({ description: bilingual('最近一次修改的时间。', 'When it last changed.') })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: bilingual('解决时间；未解决时为 null。', 'When it was resolved; null until then.') })
  resolvedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: bilingual('关闭时间；未关闭时为 null。', 'When it was closed; null until then.') })
  closedAt!: Date | null;

  @Field(() => Int, { description: bilingual('版本号，每次修改加一（乐观锁）。', 'Increases with every change (optimistic lock).') })
  version!: number;

  /** Not in the schema: the key for resolving `customer`. */
  customerId!: number;

  /** From a whole record, or from the fields a query selected (see TICKET_FIELD_SOURCES). */
  static from(ticket: Partial<TicketRecord> & Pick<TicketRecord, 'id'>, now: Date): TicketNode {
    const overdue = ticket.status !== undefined && ticket.deadline !== undefined && isOpen(ticket.status) && isOverdue(ticket.deadline, now);
    return Object.assign(new TicketNode(), { ...ticket, id: String(ticket.id), overdue });
  }
}

@ObjectType('TicketConnection', { simpleResolvers: true, description: bilingual('一页工单，最新的在前。', 'A page of tickets, newest first.') })
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
