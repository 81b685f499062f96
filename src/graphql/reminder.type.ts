import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Reminder } from '../db/entities/index.js';
import { ReminderChannel } from './enums.js';

@ObjectType('Reminder', { simpleResolvers: true, description: 'A deadline reminder sent for a ticket.' })
export class ReminderNode {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  ticketId!: string;

  @Field(() => Int, { description: '1 for the first reminder of the ticket, 2 for the next, …' })
  sequence!: number;

  @Field()
  sentAt!: Date;

  @Field(() => [String], { description: 'WeCom userids @-mentioned.' })
  mentionedUserIds!: string[];

  @Field({ description: 'Whether everyone was @-mentioned (no owner, or urgent).' })
  mentionAll!: boolean;

  @Field(() => ReminderChannel)
  channel!: ReminderChannel;

  static from(reminder: Reminder): ReminderNode {
    const { sequence, sentAt, mentionedUserIds, mentionAll, channel } = reminder;
    return Object.assign(new ReminderNode(), { id: String(reminder.id), ticketId: String(reminder.ticket.id), sequence, sentAt, mentionedUserIds, mentionAll, channel });
  }
}
