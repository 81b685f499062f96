import { Field, ID, ObjectType } from 'type-graphql';
import type { TicketEventRecord } from '../domain/records.js';
import { TicketEventType } from './enums.js';

@ObjectType('TicketEvent', { simpleResolvers: true, description: 'One entry of a ticket\'s append-only audit trail.' })
export class TicketEventNode {
  @Field(() => ID, { description: 'Increases with every event recorded.' })
  id!: string;

  @Field(() => ID)
  ticketId!: string;

  @Field(() => TicketEventType)
  type!: TicketEventType;

  @Field({ description: 'WeCom userid of who made the change, or "system".' })
  actorId!: string;

  @Field(() => String, { nullable: true })
  actorName!: string | null;

  @Field(() => String, { nullable: true, description: 'Value before the change (status, assignee userid or progress).' })
  from!: string | null;

  @Field(() => String, { nullable: true, description: 'Value after the change.' })
  to!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field()
  createdAt!: Date;

  static from(event: TicketEventRecord): TicketEventNode {
    const { id, type, actorId, actorName, note, createdAt } = event;
    return Object.assign(new TicketEventNode(), {
      id,
      ticketId: String(event.ticketId),
      type,
      actorId,
      actorName,
      from: event.fromValue,
      to: event.toValue,
      note,
      createdAt,
    });
  }
}
