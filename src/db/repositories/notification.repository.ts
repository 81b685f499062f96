import { EntityRepository } from '@mikro-orm/postgresql';
import { NotificationStatus, type DeliveryChannel, type NotificationDraft, type NotificationKind } from '../../domain/notification.js';
import type { NotificationRecord } from '../../domain/records.js';
import { Notification } from '../entities/notification.entity.js';
import { EntitySql } from './sql.js';

export const NOTIFICATION_SQL = new EntitySql<NotificationRecord>(() => Notification, {
  id: 'id',
  idempotencyKey: 'idempotencyKey',
  kind: 'kind',
  ticketId: 'ticket',
  conversation: 'conversation',
  text: 'text',
  mentions: 'mentions',
  mentionAll: 'mentionAll',
  card: 'card',
  status: 'status',
  attempts: 'attempts',
  nextAttemptAt: 'nextAttemptAt',
  lastError: 'lastError',
  channel: 'channel',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  sentAt: 'sentAt',
});

/** What a failed attempt leads to: another try at `retryAt`, or none (the message is dead). */
export interface FailedAttempt {
  readonly id: string;
  readonly attempts: number;
  readonly retryAt: Date | null;
  readonly error: string;
}

/**
 * The outbox. Messages are written inside the caller's transaction (the change that causes them);
 * the dispatcher reads and settles them outside any transaction.
 */
export class NotificationRepository extends EntityRepository<Notification> {
  private column(key: keyof NotificationRecord & string): string {
    return NOTIFICATION_SQL.column(this.em, key);
  }

  /** Writes messages; one whose idempotency key is already there is left as it is. Returns the new ids by key. */
  async enqueue(drafts: readonly NotificationDraft[], now: Date): Promise<Map<string, string>> {
    if (drafts.length === 0) return new Map();
    const rows = drafts.map((d) => ({
      idempotencyKey: d.idempotencyKey,
      kind: d.kind,
      ticketId: d.ticketId,
      conversation: d.conversation,
      text: d.text,
      mentions: [...d.mentions],
      mentionAll: d.mentionAll,
      card: d.card ?? null,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    const { sql, params } = NOTIFICATION_SQL.insert(this.em, rows, { skipConflictOn: ['idempotencyKey'] });
    const inserted = await NOTIFICATION_SQL.many(this.em, sql, params);
    return new Map(inserted.map((n) => [n.idempotencyKey, n.id]));
  }

  /** Messages of these kinds about the ticket that have not gone out yet will not. */
  async cancelPending(ticketId: number, kinds: readonly NotificationKind[], now: Date): Promise<void> {
    await this.em.execute(
      `update ${NOTIFICATION_SQL.table(this.em)} set ${this.column('status')} = 'CANCELLED', ${this.column('updatedAt')} = ?
       where ${this.column('ticketId')} = ? and ${this.column('status')} = 'PENDING' and ${this.column('kind')}::text in (?)`,
      [now, ticketId, [...kinds]],
    );
  }

  /**
   * Up to `limit` messages to deliver now, in id order. A message waiting out a retry holds back
   * the later messages of its conversation, so each conversation receives its messages in order.
   */
  ready(now: Date, limit: number): Promise<NotificationRecord[]> {
    const t = NOTIFICATION_SQL.table(this.em);
    const c = (key: keyof NotificationRecord & string) => this.column(key);
    // Per conversation, the first message still waiting: nothing from it on goes yet. (Found
    // from the few waiting messages, not per candidate: a backlog of thousands in one group
    // stays one cheap read.)
    return NOTIFICATION_SQL.many(
      this.em,
      `with blocked as (
         select ${c('conversation')} as "blockedConversation", min(${c('id')}) as "blockedFrom" from ${t}
         where ${c('status')} = 'PENDING' and ${c('nextAttemptAt')} > ? group by 1)
       select ${NOTIFICATION_SQL.select(this.em)} from ${t} n left join blocked b on b."blockedConversation" = n.${c('conversation')}
       where n.${c('status')} = 'PENDING' and n.${c('nextAttemptAt')} <= ? and (b."blockedFrom" is null or n.${c('id')} < b."blockedFrom")
       order by n.${c('id')} limit ?`,
      [now, now, limit],
    );
  }

  /** When the earliest message waiting out a retry becomes due, if any. */
  async nextRetryAfter(now: Date): Promise<Date | null> {
    const [row] = await this.em.execute<{ at: string | null }[]>(
      `select min(${this.column('nextAttemptAt')}) as "at" from ${NOTIFICATION_SQL.table(this.em)} where ${this.column('status')} = 'PENDING' and ${this.column('nextAttemptAt')} > ?`,
      [now],
    );
    return row?.at ? new Date(row.at) : null;
  }

  async markSent(ids: readonly string[], channel: DeliveryChannel, now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.em.execute(
      `update ${NOTIFICATION_SQL.table(this.em)} set ${this.column('status')} = 'SENT', ${this.column('channel')} = ?, ${this.column('sentAt')} = ?,
         ${this.column('updatedAt')} = ?, ${this.column('attempts')} = ${this.column('attempts')} + 1, ${this.column('lastError')} = null
       where ${this.column('id')} in (?) and ${this.column('status')} = 'PENDING'`,
      [channel, now, now, [...ids]],
    );
  }

  async markFailed(failure: FailedAttempt, now: Date): Promise<void> {
    const status = failure.retryAt ? NotificationStatus.PENDING : NotificationStatus.DEAD;
    await this.em.execute(
      `update ${NOTIFICATION_SQL.table(this.em)} set ${this.column('status')} = ?, ${this.column('attempts')} = ?, ${this.column('lastError')} = ?,
         ${this.column('nextAttemptAt')} = ?, ${this.column('updatedAt')} = ?
       where ${this.column('id')} = ? and ${this.column('status')} = 'PENDING'`,
      [status, failure.attempts, failure.error.slice(0, 2000), failure.retryAt ?? now, now, failure.id],
    );
  }

  /** A dead message goes back into the queue with fresh attempts; null when there is no such dead message. */
  resend(id: string, now: Date): Promise<NotificationRecord | null> {
    return NOTIFICATION_SQL.one(
      this.em,
      `update ${NOTIFICATION_SQL.table(this.em)} set ${this.column('status')} = 'PENDING', ${this.column('attempts')} = 0, ${this.column('lastError')} = null,
         ${this.column('nextAttemptAt')} = ?, ${this.column('updatedAt')} = ?
       where ${this.column('id')} = ? and ${this.column('status')} = 'DEAD' returning ${NOTIFICATION_SQL.select(this.em)}`,
      [now, now, id],
    );
  }

  findRecord(id: string): Promise<NotificationRecord | null> {
    return NOTIFICATION_SQL.one(this.em, `select ${NOTIFICATION_SQL.select(this.em)} from ${NOTIFICATION_SQL.table(this.em)} where ${this.column('id')} = ?`, [id]);
  }

  findByIds(ids: readonly string[]): Promise<NotificationRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return NOTIFICATION_SQL.many(this.em, `select ${NOTIFICATION_SQL.select(this.em)} from ${NOTIFICATION_SQL.table(this.em)} where ${this.column('id')} in (?)`, [[...ids]]);
  }
}
