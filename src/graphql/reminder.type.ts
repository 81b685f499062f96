import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ReminderRecord } from '../domain/records.js';

@ObjectType('Reminder', { simpleResolvers: true, description: '超时催促: a deadline reminder issued for an open ticket past its deadline.' })
export class ReminderNode {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  ticketId!: string;

  @Field(() => Int, { description: '第 N 次: 1 for the first reminder of the ticket, 2 for the next, …' })
  sequence!: number;

  @Field({ description: 'When the reminder was issued; its message is then delivered through the outbox (see notification).' })
  sentAt!: Date;

  @Field(() => [String], { description: 'WeCom userids @-mentioned (the assignee).' })
  mentionedUserIds!: string[];

  @Field({ description: 'Whether everyone was @-mentioned (@all): the ticket had no assignee, or it is urgent.' })
  mentionAll!: boolean;

  /** Not in the schema: the key for resolving `notification`. */
  notificationId!: string | null;

  static from(reminder: ReminderRecord): ReminderNode {
    const { sequence, sentAt, mentionAll, notificationId } = reminder;
    return Object.assign(new ReminderNode(), {
      id: String(reminder.id),
      ticketId: String(reminder.ticketId),
      sequence,
      sentAt,
      mentionedUserIds: [...reminder.mentionedUserIds],
      mentionAll,
      notificationId,
    });
  }
}
