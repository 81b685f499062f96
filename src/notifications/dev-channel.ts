import { setTimeout as delay } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { DeliveryChannel } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import { DevChannelMessage } from '../db/entities/index.js';
import { EntitySql } from '../db/repositories/sql.js';
import type { Logger } from '../logger.js';
import type { Channel } from './channel.js';

type Delivered = Pick<DevChannelMessage, 'id' | 'idempotencyKey' | 'conversation' | 'text' | 'mentions' | 'mentionAll' | 'deliveredAt'>;

const DELIVERED_SQL = new EntitySql<Delivered>(() => DevChannelMessage, {
  id: 'id',
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

  send(message: NotificationRecord, signal: AbortSignal): Promise<void> {
    return this.sendAll([message], signal);
  }

  /** One write for them all (in order): what is delivered is recorded before it is acknowledged. */
  async sendAll(messages: readonly NotificationRecord[], signal: AbortSignal): Promise<void> {
    const deliveredAt = this.clock.now();
    const rows: Omit<Delivered, 'id'>[] = messages.map((m) => ({
      idempotencyKey: m.idempotencyKey,
      conversation: m.conversation,
      text: m.text,
      mentions: [...m.mentions],
      mentionAll: m.mentionAll,
      deliveredAt,
    }));
    const { sql, params } = DELIVERED_SQL.insert(this.em, rows, { skipConflictOn: ['idempotencyKey'] });
    const fresh = new Set((await DELIVERED_SQL.many(this.em, sql, params)).map((row) => row.idempotencyKey));
    for (const { conversation, mentions, mentionAll, idempotencyKey, text } of messages) {
      if (fresh.has(idempotencyKey)) this.logger.info({ conversation, mentions, mentionAll, idempotencyKey, text }, `📨 ${conversation}: ${text.split('\n', 1)[0]}`);
      else this.logger.info({ idempotencyKey }, 'development channel: delivered before, not again');
    }
    if (this.ackDelayMs > 0) await delay(this.ackDelayMs, undefined, { signal });
  }

  /** What was delivered to a conversation, oldest first (tests and local trials). */
  delivered(conversation?: string): Promise<Delivered[]> {
    const where = conversation === undefined ? '' : ` where ${DELIVERED_SQL.column(this.em, 'conversation')} = ?`;
    return DELIVERED_SQL.many(
      this.em,
      `select ${DELIVERED_SQL.select(this.em)} from ${DELIVERED_SQL.table(this.em)}${where} order by ${DELIVERED_SQL.column(this.em, 'id')}`,
      conversation === undefined ? [] : [conversation],
    );
  }
}
