import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { TicketEventType } from '../../domain/ticket-event.js';
import { TicketEventRepository } from '../repositories/ticket-event.repository.js';
import { Ticket } from './ticket.entity.js';

/** Append-only audit trail, written in the same transaction as the change it records. */
@Entity({ tableName: 'ticket_events', repository: () => TicketEventRepository })
@Index({ name: 'ticket_events_ticket_id_idx', properties: ['ticket', 'id'] })
@Index({ name: 'ticket_events_position_idx', properties: ['txId', 'id'] })
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
