import { setTimeout as delay } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { DeliveryChannel } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import { DevChannelMessage } from '../db/entities/index.js';
import { EntitySql } from '../db/repositories/sql.js';
import type { Logger } from '../logger.js';
import type { Channel } from './channel.js';

type Delivered = Pick<DevChannelMessage, 'idempotencyKey' | 'conversation' | 'text' | 'mentions' | 'mentionAll' | 'deliveredAt'>;

const DELIVERED_SQL = new EntitySql<Delivered>(() => DevChannelMessage, {
  idempotencyKey: 'idempotencyKey',
  conversation: 'conversation',
  text: 'text',
  mentions: 'mentions',
  mentionAll: 'mentionAll',
  deliveredAt: 'deliveredAt',
});

/**
 * The channel until WeCom is connected: it "delivers" a message by logging it and keeping it in
 * `dev_channel_messages` (readable through the API as the message's delivery), so a newcomer
 * sees reminders fire. It honours idempotency keys the way a real channel must: a message it
 * has delivered once is not delivered again.
 */
export class DevChannel implements Channel {
  readonly name = DeliveryChannel.DEV;

  constructor(
    private readonly em: EntityManager,
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** Time taken to acknowledge, after delivering (a slow chat service). */
    private readonly ackDelayMs = 0,
  ) {}

  async send(message: NotificationRecord, signal: AbortSignal): Promise<void> {
    const row: Delivered = {
      idempotencyKey: message.idempotencyKey,
      conversation: message.conversation,
      text: message.text,
      mentions: [...message.mentions],
      mentionAll: message.mentionAll,
      deliveredAt: this.clock.now(),
    };
    const { sql, params } = DELIVERED_SQL.insert(this.em, [row], { skipConflictOn: ['idempotencyKey'] });
    const delivered = await DELIVERED_SQL.one(this.em, sql, params);
    const { conversation, mentions, mentionAll, idempotencyKey } = message;
    if (delivered) this.logger.info({ conversation, mentions, mentionAll, idempotencyKey, text: message.text }, `📨 ${conversation}: ${message.text.split('\n', 1)[0]}`);
    else this.logger.info({ idempotencyKey }, 'development channel: delivered before, not again');
    if (this.ackDelayMs > 0) await delay(this.ackDelayMs, undefined, { signal });
  }

  /** What was delivered to a conversation, oldest first (tests and local trials). */
  delivered(conversation?: string): Promise<Delivered[]> {
    const where = conversation === undefined ? '' : ` where ${DELIVERED_SQL.column(this.em, 'conversation')} = ?`;
    return DELIVERED_SQL.many(
      this.em,
      `select ${DELIVERED_SQL.select(this.em)} from ${DELIVERED_SQL.table(this.em)}${where} order by ${DELIVERED_SQL.column(this.em, 'deliveredAt')}`,
      conversation === undefined ? [] : [conversation],
    );
  }
}
