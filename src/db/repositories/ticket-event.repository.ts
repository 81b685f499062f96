import { EntityRepository } from '@mikro-orm/postgresql';
import type { TicketEventRecord } from '../../domain/records.js';
import { TicketEvent } from '../entities/ticket-event.entity.js';
import { EntitySql } from './sql.js';

export type NewTicketEvent = Omit<TicketEventRecord, 'id'>;

export const EVENT_SQL = new EntitySql<TicketEventRecord>(() => TicketEvent, {
  id: 'id',
  ticketId: 'ticket',
  type: 'type',
  actorId: 'actorId',
  actorName: 'actorName',
  fromValue: 'fromValue',
  toValue: 'toValue',
  note: 'note',
  createdAt: 'createdAt',
});

/** The audit trail: appended in the transaction of the change it records, never updated. */
export class TicketEventRepository extends EntityRepository<TicketEvent> {
  async append(events: readonly NewTicketEvent[]): Promise<TicketEventRecord[]> {
    if (events.length === 0) return [];
    const { sql, params } = EVENT_SQL.insert(this.em, events);
    return EVENT_SQL.many(this.em, sql, params);
  }

  findByTickets(ticketIds: readonly number[]): Promise<TicketEventRecord[]> {
    const ticket = EVENT_SQL.column(this.em, 'ticketId');
    return EVENT_SQL.many(
      this.em,
      `select ${EVENT_SQL.select(this.em)} from ${EVENT_SQL.table(this.em)} where ${ticket} in (${ticketIds.map(() => '?').join(', ')}) order by "id"`,
      [...ticketIds],
    );
  }
}
