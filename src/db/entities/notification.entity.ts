import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { DeliveryChannel, NotificationKind, NotificationStatus, type MessageCard } from '../../domain/notification.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import { Ticket } from './ticket.entity.js';

/**
 * The outbox: every message for people, written in the transaction of the change that causes
 * it, then delivered (and retried) by the dispatcher through a channel.
 */
@Entity({ tableName: 'notifications', repository: () => NotificationRepository })
// What the dispatcher reads: pending messages in id order (notifications_status_idx), and those
// waiting out a retry, which hold back the rest of their conversation.
@Index({
  name: 'notifications_waiting_idx',
  expression: `create index "notifications_waiting_idx" on "notifications" ("next_attempt_at") include ("conversation", "id") where "status" = 'PENDING'`,
})
@Index({ name: 'notifications_ticket_idx', expression: 'create index "notifications_ticket_idx" on "notifications" ("ticket_id", "id") where "ticket_id" is not null' })
@Index({ name: 'notifications_status_idx', properties: ['status', 'id'] })
export class Notification {
  [EntityRepositoryType]?: NotificationRepository;
  [OptionalProps]?: 'ticket' | 'mentions' | 'mentionAll' | 'card' | 'status' | 'attempts' | 'lastError' | 'channel' | 'sentAt';

  @PrimaryKey({ type: 'bigint' })
  id!: string;

  /** The same key is never delivered twice (e.g. "ticket:123:reminder:2"). */
  @Property({ type: 'string', length: 200, unique: 'notifications_idempotency_key_unique' })
  idempotencyKey!: string;

  @Enum({ items: () => NotificationKind, nativeEnumName: 'notification_kind' })
  kind!: NotificationKind;

  @ManyToOne(() => Ticket, { ref: true, nullable: true, index: false, deleteRule: 'cascade' })
  ticket: Ref<Ticket> | null = null;

  /** `chat:<chatid>`, `chat:default` or `user:<userid>`; messages to one conversation are delivered in order. */
  @Property({ type: 'string', length: 200 })
  conversation!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'text[]' })
  mentions: string[] = [];

  @Property({ type: 'boolean' })
  mentionAll: boolean = false;

  /** The interactive card (a WeCom template card) the channels that can show one send instead of the text. */
  @Property({ type: 'json', nullable: true })
  card: MessageCard | null = null;

  @Enum({ items: () => NotificationStatus, nativeEnumName: 'notification_status', default: NotificationStatus.PENDING })
  status: NotificationStatus = NotificationStatus.PENDING;

  @Property({ type: 'smallint' })
  attempts: number = 0;

  /** Not before this time (a retry waits out its back-off). */
  @Property({ type: 'datetime' })
  nextAttemptAt!: Date;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** The channel that delivered it. */
  @Enum({ items: () => DeliveryChannel, nativeEnumName: 'delivery_channel', nullable: true })
  channel: DeliveryChannel | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  sentAt: Date | null = null;
}
