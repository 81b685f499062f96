import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { NotificationRecord } from '../domain/records.js';
import { Connection } from './connection.type.js';
import { DeliveryChannel, NotificationKind, NotificationStatus } from './enums.js';

@ObjectType('Notification', {
  simpleResolvers: true,
  description: 'A message for people (a reminder, an escalation notice, …) in the outbox: written with the change that caused it, then delivered and retried until it is sent or dead.',
})
export class NotificationNode {
  @Field(() => ID, { description: 'The message in the outbox (resendNotification takes it).' })
  id!: string;

  @Field(() => NotificationKind, { description: 'What the message is: a reminder, an escalation notice, an early warning.' })
  kind!: NotificationKind;

  @Field(() => ID, { nullable: true, description: 'The ticket it is about.' })
  ticketId!: string | null;

  @Field({ description: 'Where it goes: "chat:<WeCom chatid>", "chat:default" (the default group) or "user:<userid>". Messages to one conversation arrive in order.' })
  conversation!: string;

  @Field({ description: 'The message as the chat shows it (WeCom markdown).' })
  text!: string;

  @Field(() => [String], { description: 'WeCom userids @-mentioned.' })
  mentionedUserIds!: string[];

  @Field({ description: 'Whether it @-mentions everyone (@all).' })
  mentionAll!: boolean;

  @Field(() => NotificationStatus, { description: 'Where its delivery stands: waiting, sent, dead (every attempt failed) or cancelled.' })
  status!: NotificationStatus;

  @Field(() => Int, { description: 'Delivery attempts made so far.' })
  attempts!: number;

  @Field({ description: 'While PENDING: not before this time (a retry waits out its back-off).' })
  nextAttemptAt!: Date;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  lastError!: string | null;

  @Field(() => DeliveryChannel, { nullable: true, description: 'The channel that delivered it (set once SENT).' })
  channel!: DeliveryChannel | null;

  @Field({ description: 'When the change that caused it committed.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was delivered.' })
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

@ObjectType('NotificationConnection', { simpleResolvers: true, description: 'A page of outbox messages, newest first.' })
export class NotificationConnection extends Connection('Notification', NotificationNode, { zh: '消息', en: 'message' }) {}

@InputType({ description: 'Which outbox messages to list; all given criteria must hold.' })
export class NotificationFilterInput {
  @Field(() => [NotificationStatus], { nullable: true, description: 'E.g. [DEAD] for the dead letters.' })
  status?: NotificationStatus[] | null;

  @Field(() => [NotificationKind], { nullable: true, description: 'Only messages of these kinds, e.g. [ESCALATION].' })
  kind?: NotificationKind[] | null;

  @Field(() => ID, { nullable: true, description: 'Messages about this ticket.' })
  ticketId?: string | null;
}

@ObjectType('ReminderRun', { simpleResolvers: true, description: 'What a manual overdue check did (the brief\'s 手动触发超时提醒).' })
export class ReminderRunNode {
  @Field(() => Int, { description: 'Open tickets past their deadline.' })
  overdueCount!: number;

  @Field(() => Int, { description: 'Reminders this run sent: those that were due and had not been sent by the deadline jobs already.' })
  remindersSent!: number;

  @Field(() => Int, { description: 'Deadline jobs that were missing or stale and were put right.' })
  jobsRepaired!: number;
}
