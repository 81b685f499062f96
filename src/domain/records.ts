import type { DeliveryChannel, MessageCard, NotificationKind, NotificationStatus } from './notification.js';
import type { Priority } from './priority.js';
import type { TicketEventType } from './ticket-event.js';
import type { TicketStatus } from './ticket-status.js';

/** A ticket as stored: what use cases return and every edge renders. */
export interface TicketRecord {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly product: string | null;
  readonly status: TicketStatus;
  readonly priority: Priority;
  readonly progress: number;
  readonly customerId: number;
  readonly assignedTo: string | null;
  readonly assignedToName: string | null;
  readonly deadline: Date;
  readonly reminderCount: number;
  readonly lastReminderAt: Date | null;
  readonly groupMessageId: string | null;
  readonly sourceChatId: string | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
  /** Increases with every update; an update from a stale read is refused. */
  readonly version: number;
}

/** Every field of a TicketRecord (the compiler checks the list is complete). */
export const TICKET_RECORD_KEYS = Object.keys({
  id: true, title: true, description: true, product: true, status: true, priority: true, progress: true, customerId: true,
  assignedTo: true, assignedToName: true, deadline: true, reminderCount: true, lastReminderAt: true, groupMessageId: true,
  sourceChatId: true, createdBy: true, createdAt: true, updatedAt: true, resolvedAt: true, closedAt: true, version: true,
} satisfies Record<keyof TicketRecord, true>) as (keyof TicketRecord)[];

/** One entry of the append-only audit trail. */
export interface TicketEventRecord {
  /** bigint, as a string: it outgrows JavaScript's safe integers long before the table does. */
  readonly id: string;
  readonly ticketId: number;
  readonly type: TicketEventType;
  readonly actorId: string;
  readonly actorName: string | null;
  readonly fromValue: string | null;
  readonly toValue: string | null;
  readonly note: string | null;
  readonly createdAt: Date;
}

export interface CustomerRecord {
  readonly id: number;
  readonly name: string;
  readonly phone: string | null;
  readonly company: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a subscriber is told of a change: one event and the ticket as the change left it. */
export interface TicketUpdateRecord {
  readonly event: TicketEventRecord;
  readonly ticket: TicketRecord;
}

/** A message in the outbox. */
export interface NotificationRecord {
  /** bigint, as a string. */
  readonly id: string;
  readonly idempotencyKey: string;
  readonly kind: NotificationKind;
  readonly ticketId: number | null;
  readonly conversation: string;
  readonly text: string;
  readonly mentions: readonly string[];
  readonly mentionAll: boolean;
  /** The interactive card sent instead of the text where the channel can show one. */
  readonly card: MessageCard | null;
  readonly status: NotificationStatus;
  /** Delivery attempts made so far. */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly channel: DeliveryChannel | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly sentAt: Date | null;
}

/** One deadline reminder of a ticket. */
export interface ReminderRecord {
  readonly id: number;
  readonly ticketId: number;
  readonly sequence: number;
  readonly sentAt: Date;
  readonly mentionedUserIds: readonly string[];
  readonly mentionAll: boolean;
  readonly notificationId: string | null;
}
