import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ReminderRecord } from '../domain/records.js';
import { bilingual } from './bilingual.js';

@ObjectType('Reminder', { simpleResolvers: true, description: bilingual('超时催促：为已过截止时间的未结工单发出的一次提醒。', 'A deadline reminder issued for an open ticket past its deadline.') })
export class ReminderNode {
  @Field(() => ID, { description: bilingual('提醒编号。', 'The reminder\'s id.') })
  id!: string;

  @Field(() => ID, { description: bilingual('被催促的工单号。', 'The ticket reminded about.') })
  ticketId!: string;

  @Field(() => Int, { description: bilingual('第 N 次：工单的第一次提醒为 1，下一次为 2，依此类推。', 'The Nth reminder: 1 for the ticket\'s first, 2 for the next, …') })
  sequence!: number;

  @Field({ description: bilingual('发出提醒的时间；消息随后通过发件箱投递（见 notification）。', 'When the reminder was issued; its message is then delivered through the outbox (see notification).') })
  sentAt!: Date;

  @Field(() => [String], { description: bilingual('被 @ 的企业微信 userid（负责人）。', 'WeCom userids @-mentioned (the assignee).') })
  mentionedUserIds!: string[];

  @Field({ description: bilingual('是否 @所有人：工单没有负责人，或为紧急工单。', 'Whether everyone was @-mentioned (@all): the ticket had no assignee, or it is urgent.') })
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
