import { OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { ReminderChannel } from '../../domain/reminder-channel.js';
import { Ticket } from './ticket.entity.js';

/** One row per deadline reminder sent for a ticket. */
@Entity({ tableName: 'reminders' })
@Unique({ name: 'reminders_ticket_sequence_unique', properties: ['ticket', 'sequence'] })
export class Reminder {
  [OptionalProps]?: 'mentionedUserIds' | 'mentionAll' | 'sentAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Ticket, { ref: true, index: false, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  /** 1 for the first reminder of the ticket, 2 for the next, … */
  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'datetime' })
  sentAt: Date = new Date();

  @Property({ type: 'text[]' })
  mentionedUserIds: string[] = [];

  /** Whether the reminder @-mentioned everyone (no owner, or urgent). */
  @Property({ type: 'boolean' })
  mentionAll: boolean = false;

  @Enum({ items: () => ReminderChannel, nativeEnumName: 'reminder_channel' })
  channel!: ReminderChannel;
}
