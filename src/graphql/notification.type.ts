import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { NotificationRecord } from '../domain/records.js';
import { Connection } from './connection.type.js';
import { DeliveryChannel, NotificationKind, NotificationStatus } from './enums.js';
import { bilingual } from './bilingual.js';

@ObjectType('Notification', {
  simpleResolvers: true,
  description: bilingual(
    '发件箱中的一条消息（超时提醒、升级通知等）：与引起它的修改一起写入，之后投递，失败则重试，直到发送成功或判定失败。',
    'A message for people (a reminder, an escalation notice, …) in the outbox: written with the change that caused it, then delivered and retried until it is sent or dead.',
  ),
})
export class NotificationNode {
  @Field(() => ID, { description: bilingual('消息编号（resendNotification 使用）。', 'The message in the outbox (resendNotification takes it).') })
  id!: string;

  @Field(() => NotificationKind, { description: bilingual('消息类别：超时提醒、升级通知或提前提醒。', 'What the message is: a reminder, an escalation notice, an early warning.') })
  kind!: NotificationKind;

  @Field(() => ID, { nullable: true, description: bilingual('相关的工单号。', 'The ticket it is about.') })
  ticketId!: string | null;

  @Field({ description: bilingual(
      '发往哪里："chat:<企业微信 chatid>"、"chat:default"（默认群）或 "user:<userid>"。发往同一会话的消息按顺序到达。',
      'Where it goes: "chat:<WeCom chatid>", "chat:default" (the default group) or "user:<userid>". Messages to one conversation arrive in order.',
    ) })
  conversation!: string;

  @Field({ description: bilingual('聊天中显示的消息内容（企业微信 markdown）。', 'The message as the chat shows it (WeCom markdown).') })
  text!: string;

  @Field(() => [String], { description: bilingual('被 @ 的企业微信 userid。', 'WeCom userids @-mentioned.') })
  mentionedUserIds!: string[];

  @Field({ description: bilingual('是否 @所有人。', 'Whether it @-mentions everyone (@all).') })
  mentionAll!: boolean;

  @Field(() => NotificationStatus, { description: bilingual('投递进度：等待、已发送、失败（所有重试都失败）或已取消。', 'Where its delivery stands: waiting, sent, dead (every attempt failed) or cancelled.') })
  status!: NotificationStatus;

  @Field(() => Int, { description: bilingual('已尝试投递的次数。', 'Delivery attempts made so far.') })
  attempts!: number;

  @Field({ description: bilingual('待发送时：不早于这个时间投递（重试要等退避时间过去）。', 'While PENDING: not before this time (a retry waits out its back-off).') })
  nextAttemptAt!: Date;

  @Field(() => String, { nullable: true, description: bilingual('上一次投递失败的原因。', 'Why the last attempt failed.') })
  lastError!: string | null;

  @Field(() => DeliveryChannel, { nullable: true, description: bilingual('送达它的渠道（发送成功后才有）。', 'The channel that delivered it (set once SENT).') })
  channel!: DeliveryChannel | null;

  @Field({ description: bilingual('引起它的修改提交的时间。', 'When the change that caused it committed.') })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: bilingual('送达的时间。', 'When it was delivered.') })
  sentAt!: Date | null;

  static from(n: NotificationRecord): NotificationNode {
    const { id, kind, conversation, text, mentionAll, status, attempts, nextAttemptAt, lastError, channel, createdAt, sentAt } = n;
    return Object.assign(new NotificationNode(), {
      id,
      kind,
      ticketId: n.ticketId === null ? null : String(n.ticketId),
      conversation,
      text,
      mentionedUserIds: [...n.mentions],
      mentionAll,
      status,
      attempts,
      nextAttemptAt,
      lastError,
      channel,
      createdAt,
      sentAt,
    });
  }
}

@ObjectType('NotificationConnection', { simpleResolvers: true, description: bilingual('一页发件箱消息，最新的在前。', 'A page of outbox messages, newest first.') })
export class NotificationConnection extends Connection('Notification', NotificationNode, { zh: '消息', en: 'message' }) {}

@InputType({ description: bilingual('筛选发件箱消息：给出的条件必须同时满足。', 'Which outbox messages to list; all given criteria must hold.') })
export class NotificationFilterInput {
  @Field(() => [NotificationStatus], { nullable: true, description: bilingual('处于这些投递状态之一，例如 [DEAD] 查看发送失败的消息。', 'In one of these delivery states, e.g. [DEAD] for the dead letters.') })
  status?: NotificationStatus[] | null;

  @Field(() => [NotificationKind], { nullable: true, description: bilingual('只看这些类别的消息，例如 [ESCALATION]。', 'Only messages of these kinds, e.g. [ESCALATION].') })
  kind?: NotificationKind[] | null;

  @Field(() => ID, { nullable: true, description: bilingual('与这个工单相关的消息。', 'Messages about this ticket.') })
  ticketId?: string | null;
}

@ObjectType('ReminderRun', { simpleResolvers: true, description: bilingual('一次手动超时检查（手动触发超时提醒）的结果。', 'What a manual overdue check did.') })
export class ReminderRunNode {
  @Field(() => Int, { description: bilingual('已超时的未结工单数。', 'Open tickets past their deadline.') })
  overdueCount!: number;

  @Field(() => Int, { description: bilingual('这次发出的提醒：到期且尚未由截止任务发出的提醒。', 'Reminders this run sent: those that were due and had not been sent by the deadline jobs already.') })
  remindersSent!: number;

  @Field(() => Int, { description: bilingual('修复的截止任务数（缺失或过期的）。', 'Deadline jobs that were missing or stale and were put right.') })
  jobsRepaired!: number;
}
