import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { ReminderRepository } from '../repositories/reminder.repository.js';
import { Notification } from './notification.entity.js';
import { Ticket } from './ticket.entity.js';

/** One row per deadline reminder of a ticket, written with the ticket's reminder count and its message. */
@Entity({ tableName: 'reminders', repository: () => ReminderRepository })
@Unique({ name: 'reminders_ticket_sequence_unique', properties: ['ticket', 'sequence'] })
export class Reminder {
  [EntityRepositoryType]?: ReminderRepository;
  [OptionalProps]?: 'mentionedUserIds' | 'mentionAll' | 'notification';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Ticket, { ref: true, index: false, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  /** 1 for the first reminder of the ticket, 2 for the next, … */
  @Property({ type: 'integer' })
  sequence!: number;

  /** When the reminder was issued (its message then waits in the outbox for delivery). */
  @Property({ type: 'datetime' })
  sentAt!: Date;

  @Property({ type: 'text[]' })
  mentionedUserIds: string[] = [];

  /** Whether the reminder @-mentioned everyone (no owner, or urgent). */
  @Property({ type: 'boolean' })
  mentionAll: boolean = false;

  /** The message that carries it. */
  @ManyToOne(() => Notification, { ref: true, nullable: true, index: false, deleteRule: 'set null' })
  notification: Ref<Notification> | null = null;
}
