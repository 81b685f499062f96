import { EntityRepositoryType, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { TicketEventType } from '../../domain/ticket-event.js';
import { TicketEventRepository } from '../repositories/ticket-event.repository.js';
import { Ticket } from './ticket.entity.js';

/** Append-only audit trail, written in the same transaction as the change it records. */
@Entity({ tableName: 'ticket_events', repository: () => TicketEventRepository })
@Index({ name: 'ticket_events_ticket_id_idx', properties: ['ticket', 'id'] })
export class TicketEvent {
  [EntityRepositoryType]?: TicketEventRepository;
  [OptionalProps]?: 'actorName' | 'fromValue' | 'toValue' | 'note' | 'createdAt';

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
  createdAt: Date = new Date();
}
