import { EntityRepository } from '@mikro-orm/postgresql';
import type { TicketEventRecord, TicketRecord } from '../../domain/records.js';
import { TicketEventType } from '../../domain/ticket-event.js';
import { TicketEvent } from '../entities/ticket-event.entity.js';
import { EntitySql } from './sql.js';

export type NewTicketEvent = Omit<TicketEventRecord, 'id'>;

/** The columns that make the audit trail a log subscribers follow (see EventLogStore). */
export interface EventLogColumns {
  readonly txId: string;
  readonly ticketAfter: Record<string, unknown>;
}

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

export const EVENT_LOG_SQL = new EntitySql<EventLogColumns>(() => TicketEvent, { txId: 'txId', ticketAfter: 'ticketAfter' });

/** The audit trail: appended in the transaction of the change it records, never updated. */
export class TicketEventRepository extends EntityRepository<TicketEvent> {
  /** Records the events of one change, each with the ticket as the change left it. */
  async append(events: readonly NewTicketEvent[], ticketAfter: TicketRecord): Promise<TicketEventRecord[]> {
    if (events.length === 0) return [];
    const keys = Object.keys(events[0]!) as (keyof NewTicketEvent)[];
    const columns = [...keys.map((key) => EVENT_SQL.column(this.em, key)), EVENT_LOG_SQL.column(this.em, 'ticketAfter')];
    const tuple = `(${keys.map(() => '?').join(', ')}, ?::jsonb)`;
    const state = JSON.stringify(ticketAfter);
    return EVENT_SQL.many(
      this.em,
      `insert into ${EVENT_SQL.table(this.em)} (${columns.join(', ')}) values ${events.map(() => tuple).join(', ')} returning ${EVENT_SQL.select(this.em)}`,
      events.flatMap((event) => [...keys.map((key) => event[key]), state]),
    );
  }

  /** Each ticket's latest change to `status` that came with a note: how it was resolved, when, by whom. */
  async latestNotesOnReaching(status: string, ticketIds: readonly number[]): Promise<Map<number, Pick<TicketEventRecord, 'note' | 'createdAt' | 'actorName' | 'actorId'>>> {
    if (ticketIds.length === 0) return new Map();
    const c = (key: keyof TicketEventRecord & string) => EVENT_SQL.column(this.em, key);
    const rows = await EVENT_SQL.many(
      this.em,
      `select distinct on (${c('ticketId')}) ${EVENT_SQL.select(this.em)} from ${EVENT_SQL.table(this.em)}
       where ${c('ticketId')} in (${ticketIds.map(() => '?').join(', ')}) and ${c('type')} = ? and ${c('toValue')} = ? and ${c('note')} is not null
       order by ${c('ticketId')}, ${c('id')} desc`,
      [...ticketIds, TicketEventType.STATUS_CHANGED, status],
    );
    return new Map(rows.map((row) => [row.ticketId, row]));
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
