import type { EntityManager } from '@mikro-orm/postgresql';
import type { TicketEventRecord, TicketUpdateRecord } from '../domain/records.js';
import type { TicketEventType } from '../domain/ticket-event.js';
import { EventLogConsumer } from './entities/event-log-consumer.entity.js';
import type { PreparedStatements } from './prepared-statements.js';
import { EntitySql } from './repositories/sql.js';
import { EVENT_LOG_SQL, EVENT_SQL } from './repositories/ticket-event.repository.js';
import { TICKET_SQL } from './repositories/ticket.repository.js';

/**
 * Where an event sits in the log: (writing transaction, id). Event ids come from a sequence and
 * commit out of order, so "every id above the last one seen" would skip an event whose
 * transaction took its id early and committed late. Transaction ids below the oldest running
 * transaction (the snapshot's xmin) belong to finished transactions only, so once an event's
 * transaction is below it, no event can ever appear before it in (tx, id) order: it is settled.
 */
export interface LogPosition {
  readonly tx: bigint;
  readonly id: bigint;
}

export const LOG_ORIGIN: LogPosition = { tx: 0n, id: 0n };

export const isAfter = (a: LogPosition, b: LogPosition): boolean => a.tx > b.tx || (a.tx === b.tx && a.id > b.id);

export interface LoggedUpdate extends TicketUpdateRecord {
  readonly position: LogPosition;
}

/** Which events a reader wants whole (with the ticket); the others it only passes over. */
export type EventSelection = 'all' | 'none' | ReadonlySet<TicketEventType>;

export interface LogRead {
  /** Settled events after the position asked for, in log order: the wanted ones. */
  readonly updates: LoggedUpdate[];
  /** The last settled position read (wanted or not): reading on starts after it. */
  readonly through: LogPosition | null;
  /** Events already committed but not yet settled were seen: read again shortly. */
  readonly heldBack: boolean;
  /** As many settled events as the limit allowed: there may be more right away. */
  readonly full: boolean;
}

interface ConsumerRow {
  readonly name: string;
  readonly txId: string;
  readonly eventId: string;
  readonly updatedAt: Date;
}

const CONSUMER_SQL = new EntitySql<ConsumerRow>(() => EventLogConsumer, { name: 'name', txId: 'txId', eventId: 'eventId', updatedAt: 'updatedAt' });

type LogRow = TicketEventRecord & { txId: string; ticketAfter: Record<string, unknown>; settled?: boolean };

/** Reads the ticket event log (ticket_events) in settled order, outside any transaction. */
export class EventLogStore {
  constructor(
    private readonly em: EntityManager,
    private readonly prepared: PreparedStatements,
  ) {}

  private columns(): string {
    const { em } = this;
    return `${EVENT_SQL.select(em)}, ${EVENT_LOG_SQL.column(em, 'txId')}::text as "txId", ${EVENT_LOG_SQL.column(em, 'ticketAfter')} as "ticketAfter"`;
  }

  private position(): string {
    return `(${EVENT_LOG_SQL.column(this.em, 'txId')}, ${EVENT_SQL.column(this.em, 'id')})`;
  }

  private order(direction = ''): string {
    return `order by ${EVENT_LOG_SQL.column(this.em, 'txId')} ${direction}, ${EVENT_SQL.column(this.em, 'id')} ${direction}`;
  }

  /**
   * Up to `limit` events after `after`, those not yet settled left for a later read. Only the
   * events `wanted` come back whole: the ticket each one carries is most of what a read costs,
   * and a reader that wants few kinds (or none, while nobody subscribes) skips the rest.
   */
  async readAfter(after: LogPosition, limit: number, wanted: EventSelection = 'all'): Promise<LogRead> {
    const types = wanted === 'all' ? null : wanted === 'none' ? [] : [...wanted];
    const ticketAfter = EVENT_LOG_SQL.column(this.em, 'ticketAfter');
    const rows = (await EVENT_SQL.many(
      this.em,
      `select ${EVENT_SQL.select(this.em)}, ${EVENT_LOG_SQL.column(this.em, 'txId')}::text as "txId",
         case when ?::text[] is null or ${EVENT_SQL.column(this.em, 'type')}::text = any(?::text[]) then ${ticketAfter} end as "ticketAfter",
         ${EVENT_LOG_SQL.column(this.em, 'txId')} < pg_snapshot_xmin(pg_current_snapshot()) as "settled"
       from ${EVENT_SQL.table(this.em)} where ${this.position()} > (?::xid8, ?::bigint) ${this.order()} limit ?`,
      [types, types, after.tx.toString(), after.id.toString(), limit],
      this.prepared,
    )) as (LogRow & { ticketAfter: Record<string, unknown> | null })[];
    const settled = rows.filter((row) => row.settled);
    const last = settled.at(-1);
    return {
      updates: settled.filter((row) => row.ticketAfter !== null).map((row) => this.toUpdate(row as LogRow)),
      through: last ? { tx: BigInt(last.txId), id: BigInt(last.id) } : null,
      heldBack: settled.length < rows.length,
      full: settled.length === limit,
    };
  }

  /** The settled events in (after, through], for a subscriber catching up; at most `limit`. */
  async readRange(after: LogPosition, through: LogPosition, limit: number): Promise<LoggedUpdate[]> {
    const rows = (await EVENT_SQL.many(
      this.em,
      `select ${this.columns()} from ${EVENT_SQL.table(this.em)}
       where ${this.position()} > (?::xid8, ?::bigint) and ${this.position()} <= (?::xid8, ?::bigint) ${this.order()} limit ?`,
      [after.tx.toString(), after.id.toString(), through.tx.toString(), through.id.toString(), limit],
      this.prepared,
    )) as LogRow[];
    return rows.map((row) => this.toUpdate(row));
  }

  /** The position of an event, or null when there is no such event. */
  async positionOf(eventId: string): Promise<LogPosition | null> {
    const [row] = await this.prepared.rows(
      `select ${EVENT_LOG_SQL.column(this.em, 'txId')}::text as "tx" from ${EVENT_SQL.table(this.em)} where ${EVENT_SQL.column(this.em, 'id')} = ?::bigint`,
      [eventId],
    );
    return row ? { tx: BigInt(row['tx'] as string), id: BigInt(eventId) } : null;
  }

  /** The last settled position: every event after it is yet to be read. */
  async end(): Promise<LogPosition> {
    const [row] = await this.prepared.rows(
      `select ${EVENT_LOG_SQL.column(this.em, 'txId')}::text as "tx", ${EVENT_SQL.column(this.em, 'id')}::text as "id" from ${EVENT_SQL.table(this.em)}
       where ${EVENT_LOG_SQL.column(this.em, 'txId')} < pg_snapshot_xmin(pg_current_snapshot()) ${this.order('desc')} limit 1`,
      [],
    );
    return row ? { tx: BigInt(row['tx'] as string), id: BigInt(row['id'] as string) } : LOG_ORIGIN;
  }

  /** Where a durable consumer left off; null for one that has never run (it starts at the beginning). */
  async consumerPosition(name: string): Promise<LogPosition | null> {
    const c = (key: keyof ConsumerRow) => CONSUMER_SQL.column(this.em, key);
    const [row] = await this.prepared.rows(`select ${c('txId')}::text as "tx", ${c('eventId')}::text as "id" from ${CONSUMER_SQL.table(this.em)} where ${c('name')} = ?`, [name]);
    return row ? { tx: BigInt(row['tx'] as string), id: BigInt(row['id'] as string) } : null;
  }

  /** Records a consumer's progress; it never moves back (a deposed consumer finishing late changes nothing). */
  async saveConsumerPosition(name: string, position: LogPosition, now: Date): Promise<void> {
    const c = (key: keyof ConsumerRow) => CONSUMER_SQL.column(this.em, key);
    const table = CONSUMER_SQL.table(this.em);
    await this.prepared.rows(
      `insert into ${table} (${c('name')}, ${c('txId')}, ${c('eventId')}, ${c('updatedAt')}) values (?, ?::xid8, ?::bigint, ?)
       on conflict (${c('name')}) do update set ${c('txId')} = excluded.${c('txId')}, ${c('eventId')} = excluded.${c('eventId')}, ${c('updatedAt')} = excluded.${c('updatedAt')}
       where (${table}.${c('txId')}, ${table}.${c('eventId')}) < (excluded.${c('txId')}, excluded.${c('eventId')})`,
      [name, position.tx.toString(), position.id.toString(), now],
    );
  }

  private toUpdate({ txId, ticketAfter, settled: _settled, ...event }: LogRow): LoggedUpdate {
    return {
      position: { tx: BigInt(txId), id: BigInt(event.id) },
      event: { ...event, id: String(event.id) },
      ticket: TICKET_SQL.revive(this.em, ticketAfter),
    };
  }
}
