/**
 * The vocabulary of messages for people: what the outbox holds and the channels deliver.
 * A message is written in the transaction of the change that causes it and delivered later.
 */
export enum NotificationKind {
  /** Before the deadline, when an early warning is configured. */
  DEADLINE_WARNING = 'DEADLINE_WARNING',
  /** 🚨 【工单超时提醒】: an open ticket is past its deadline. */
  REMINDER = 'REMINDER',
  /** Repeated reminders moved the ticket to ESCALATED: the leads are told. */
  ESCALATION = 'ESCALATION',
  /** 🟡 【新工单提醒】: the card a new ticket's group receives. */
  NEW_TICKET = 'NEW_TICKET',
  /** 📌 A ticket changed (assigned, status, progress): the short line its group receives. */
  TICKET_UPDATE = 'TICKET_UPDATE',
  /** 📋 The new assignee is told in private (self-built app). */
  ASSIGNMENT = 'ASSIGNMENT',
}

export enum NotificationStatus {
  /** Waiting for delivery, or for its next attempt after a failure. */
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Every attempt failed: it waits for an admin to resend it. */
  DEAD = 'DEAD',
  /** No longer worth sending (a reminder for a ticket resolved before it went out). */
  CANCELLED = 'CANCELLED',
}

/** How a message reached people. */
export enum DeliveryChannel {
  /** The development channel: logs each message and keeps it in the database. */
  DEV = 'DEV',
  SMART_ROBOT = 'SMART_ROBOT',
  GROUP_WEBHOOK = 'GROUP_WEBHOOK',
  APP_MESSAGE = 'APP_MESSAGE',
}

/** Kinds that only matter while their ticket is open: closing it cancels the ones not yet sent. */
export const DEADLINE_NOTIFICATION_KINDS: readonly NotificationKind[] = [NotificationKind.DEADLINE_WARNING, NotificationKind.REMINDER, NotificationKind.ESCALATION];

/**
 * An interactive card, for the channels that can show one: a WeCom template card (protocol reference
 * 1.11) without its `task_id`, which each push gives it (a task_id is never reused, and a retry is another push).
 */
export type MessageCard = { readonly card_type: string } & { readonly [field: string]: unknown };

/** A message ready for the outbox. */
export interface NotificationDraft {
  readonly kind: NotificationKind;
  readonly ticketId: number | null;
  /** Where it goes: `chat:<WeCom chatid>`, `chat:default` (the default group) or `user:<userid>`. */
  readonly conversation: string;
  /** Markdown, as the chat shows it; mentions appear as "@名字". */
  readonly text: string;
  /** WeCom userids to @-mention. */
  readonly mentions: readonly string[];
  /** @all. */
  readonly mentionAll: boolean;
  /** The card the channels that can show one send instead of the text (the others keep the text). */
  readonly card?: MessageCard;
  /** The same message is never sent twice: a channel that sees a key again does nothing. */
  readonly idempotencyKey: string;
}

export const DEFAULT_CONVERSATION = 'chat:default';

/** The group a ticket's messages go to: the chat it came from, else the default group. */
export const conversationOf = (ticket: { readonly sourceChatId: string | null }): string =>
  ticket.sourceChatId ? `chat:${ticket.sourceChatId}` : DEFAULT_CONVERSATION;

/** `ticket:<id>:<kind>:<sequence>`: a ticket's n-th message of a kind, whoever writes it and however often. */
export const idempotencyKeyOf = (ticketId: number, kind: NotificationKind, sequence: number | string): string =>
  `ticket:${ticketId}:${kind.toLowerCase()}:${sequence}`;
