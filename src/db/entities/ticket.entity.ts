import { Collection, EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Priority } from '../../domain/priority.js';
import { TicketStatus } from '../../domain/ticket-status.js';
import { Customer } from './customer.entity.js';
import { Reminder } from './reminder.entity.js';
import { TicketRepository } from '../repositories/ticket.repository.js';
import { TicketEvent } from './ticket-event.entity.js';

/** The searchable text of a ticket, as indexed and as filtered on: the expressions must match. */
export const TICKET_TEXT = `"title" || ' ' || "description"`;

@Entity({ tableName: 'tickets', repository: () => TicketRepository })
@Index({ name: 'tickets_status_priority_idx', properties: ['status', 'priority'] })
// Partial: unassigned tickets (every new one) add nothing to it; "assignee = x" still uses it.
@Index({
  name: 'tickets_assignee_idx',
  expression: 'create index "tickets_assignee_idx" on "tickets" ("assigned_to", "status") where "assigned_to" is not null',
})
@Index({ name: 'tickets_customer_id_idx', properties: ['customer', 'id'] })
// A customer's tickets created in a period (the customer service report).
@Index({ name: 'tickets_customer_created_idx', properties: ['customer', 'createdAt'] })
@Index({
  name: 'tickets_open_deadline_idx',
  expression: `create index "tickets_open_deadline_idx" on "tickets" ("deadline") where "status" in ('PENDING', 'ASSIGNED', 'PROCESSING', 'ESCALATED')`,
})
@Index({
  name: 'tickets_group_message_idx',
  expression: 'create index "tickets_group_message_idx" on "tickets" ("group_message_id") where "group_message_id" is not null',
})
// One trigram index serves the text filter over title and description (see TICKET_TEXT); two
// would double the index work of every insert.
// Similar-ticket search (domain/problem-terms): which tickets contain a term.
@Index({ name: 'tickets_problem_terms_idx', expression: 'create index "tickets_problem_terms_idx" on "tickets" using gin ("problem_terms")' })
@Index({ name: 'tickets_text_trgm_idx', expression: `create index "tickets_text_trgm_idx" on "tickets" using gin ((${TICKET_TEXT}) gin_trgm_ops)` })
export class Ticket {
  [EntityRepositoryType]?: TicketRepository;
  [OptionalProps]?:
    | 'status'
    | 'progress'
    | 'product'
    | 'assignedTo'
    | 'assignedToName'
    | 'reminderCount'
    | 'lastReminderAt'
    | 'groupMessageId'
    | 'sourceChatId'
    | 'createdBy'
    | 'resolvedAt'
    | 'closedAt'
    | 'problemTerms'
    | 'version';

  /** The number staff type in chat: "#123". */
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  /** 产品/项目 */
  @Property({ type: 'string', length: 200, nullable: true })
  product: string | null = null;

  @Enum({ items: () => TicketStatus, nativeEnumName: 'ticket_status' })
  status: TicketStatus = TicketStatus.PENDING;

  @Enum({ items: () => Priority, nativeEnumName: 'ticket_priority' })
  priority!: Priority;

  @Property({ type: 'smallint' })
  progress: number = 0;

  @ManyToOne(() => Customer, { ref: true, index: false })
  customer!: Ref<Customer>;

  /** WeCom userid of the owner. */
  @Property({ type: 'string', length: 64, nullable: true })
  assignedTo: string | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  assignedToName: string | null = null;

  @Property({ type: 'datetime' })
  deadline!: Date;

  @Property({ type: 'integer' })
  reminderCount: number = 0;

  @Property({ type: 'datetime', nullable: true })
  lastReminderAt: Date | null = null;

  /** WeCom id of the card pushed to the group; a quote-reply to it acts on this ticket. */
  @Property({ type: 'string', length: 200, nullable: true })
  groupMessageId: string | null = null;

  /** WeCom chat the ticket was created from, if any. */
  @Property({ type: 'string', length: 128, nullable: true })
  sourceChatId: string | null = null;

  /** WeCom userid of whoever created it ("system" for the website). */
  @Property({ type: 'string', length: 64, nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  resolvedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  closedAt: Date | null = null;

  /** The terms of title and description (domain/problem-terms), as written when the ticket was created. */
  @Property({ type: 'text', columnType: 'tsvector', nullable: true, lazy: true, hidden: true })
  problemTerms?: string | null;

  /** Optimistic lock: an update from a stale read fails instead of overwriting. */
  @Property({ type: 'integer', version: true })
  version!: number;

  @OneToMany(() => TicketEvent, (event) => event.ticket)
  events = new Collection<TicketEvent>(this);

  @OneToMany(() => Reminder, (reminder) => reminder.ticket)
  reminders = new Collection<Reminder>(this);
}
