import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { TicketEventType } from '../../domain/ticket-event.js';
import { TicketEventRepository } from '../repositories/ticket-event.repository.js';
import { Ticket } from './ticket.entity.js';

/** A resolution in the log: a STATUS_CHANGED event to RESOLVED. */
const RESOLUTION = `"type" = 'STATUS_CHANGED' and "to_value" = 'RESOLVED'`;

/** Append-only audit trail, written in the same transaction as the change it records. */
@Entity({ tableName: 'ticket_events', repository: () => TicketEventRepository })
@Index({ name: 'ticket_events_ticket_id_idx', properties: ['ticket', 'id'] })
@Index({ name: 'ticket_events_position_idx', properties: ['txId', 'id'] })
// The team figures read resolutions and reminders by when they happened. Partial: each holds only
// the events it serves (a fifth of the log at most), and other events cost it nothing.
@Index({ name: 'ticket_events_resolved_idx', expression: `create index "ticket_events_resolved_idx" on "ticket_events" ("created_at") where ${RESOLUTION}` })
// Is a resolution its ticket's first? Only if no reopening came before it (REOPEN_STATUSES): a
// few events, so checking costs next to nothing.
@Index({
  name: 'ticket_events_reopened_idx',
  expression: `create index "ticket_events_reopened_idx" on "ticket_events" ("ticket_id", "created_at", "id") where "type" = 'STATUS_CHANGED' and "from_value" = 'RESOLVED' and "to_value" = 'PROCESSING'`,
})
// What customers did (ratings, follow-up notes): see Migration20261204044500_customer_events_index.
@Index({ name: 'ticket_events_by_customers_idx', expression: `create index "ticket_events_by_customers_idx" on "ticket_events" ("created_at") where "actor_id" = 'customer'` })
@Index({ name: 'ticket_events_reminded_idx', expression: `create index "ticket_events_reminded_idx" on "ticket_events" ("created_at") where "type" = 'REMINDED'` })
export class TicketEvent {
  [EntityRepositoryType]?: TicketEventRepository;
  [OptionalProps]?: 'actorName' | 'fromValue' | 'toValue' | 'note' | 'txId';

  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @ManyToOne(() => Ticket, { ref: true, index: false, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @Enum({ items: () => TicketEventType, nativeEnumName: 'ticket_event_type' })
  type!: TicketEventType;

  /** WeCom userid, or "system". */
  @Property({ type: 'string', length: 64 })
  actorId!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  actorName: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  fromValue: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  toValue: string | null = null;

  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  /**
   * The transaction that wrote the event. Ids are drawn from a sequence before commit, so they
   * commit out of order; (txId, id) is an order that no later commit can fall behind once every
   * transaction below the oldest running one has finished (see EventLog).
   */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  txId!: string;

  /** The ticket as it was right after this change, as a TicketRecord. */
  @Property({ type: 'json' })
  ticketAfter!: Record<string, unknown>;
}
