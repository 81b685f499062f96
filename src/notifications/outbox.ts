import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { notFound, invalidTransition } from '../domain/errors.js';
import type { NotificationKind, NotificationStatus } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import { Notification } from '../db/entities/index.js';
import { paginate, type Page, type PageRequest } from '../db/pagination.js';
import type { Orm } from '../db/orm.js';

export interface NotificationFilter {
  readonly status?: readonly NotificationStatus[] | null;
  readonly kind?: readonly NotificationKind[] | null;
  readonly ticketId?: number | null;
}

export function notificationRecordOf(n: Notification): NotificationRecord {
  const { ticket, ...fields } = n;
  return { ...fields, ticketId: ticket?.id ?? null };
}

/** What people can see and do with the outbox: read it, and resend a dead letter. */
export class Outbox {
  constructor(
    private readonly orm: Orm,
    private readonly clock: Clock,
    /** Tells the dispatcher (on this instance; others find it on their next poll). */
    private readonly wakeDispatcher: () => void,
  ) {}

  /** Messages matching the filter, newest first. */
  async find(em: EntityManager, filter: NotificationFilter, page: PageRequest): Promise<Page<NotificationRecord>> {
    const where: FilterQuery<Notification>[] = [];
    if (filter.status?.length) where.push({ status: { $in: [...filter.status] } });
    if (filter.kind?.length) where.push({ kind: { $in: [...filter.kind] } });
    if (filter.ticketId) where.push({ ticket: filter.ticketId });
    const found = await paginate(em, Notification, where.length ? { $and: where } : {}, page);
    return { ...found, items: found.items.map(({ node, cursor }) => ({ node: notificationRecordOf(node), cursor })) };
  }

  /** Puts a dead letter back in the queue with fresh attempts. */
  async resend(id: string): Promise<NotificationRecord> {
    const outbox = this.orm.em.getRepository(Notification);
    const resent = await outbox.resend(id, this.clock.now());
    if (resent) {
      this.wakeDispatcher();
      return resent;
    }
    const existing = await outbox.findRecord(id);
    if (!existing) throw notFound(`消息 ${id} 不存在`, `Notification ${id} does not exist`, { id });
    throw invalidTransition(`只能重发投递失败（DEAD）的消息，这条消息的状态是 ${existing.status}`, `Only dead messages can be resent; this one is ${existing.status}`, {
      id,
      status: existing.status,
    });
  }
}
