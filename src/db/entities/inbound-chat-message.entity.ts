import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Every chat message received, by its WeCom ids: the first instance to record one processes it,
 * and a redelivery (the same message again, or to another instance) is answered from here
 * without running its command twice.
 */
@Entity({ tableName: 'inbound_chat_messages' })
export class InboundChatMessage {
  /** `<channel>:<bot or agent id>:<msgid>`. */
  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  @Property({ type: 'datetime', index: 'inbound_chat_messages_received_at_idx' })
  receivedAt!: Date;

  /** The answer given, once the command has run (null while it runs). */
  @Property({ type: 'text', nullable: true })
  reply: string | null = null;

  /** The ticket the command created or acted on, if any. */
  @Property({ type: 'integer', nullable: true })
  ticketId: number | null = null;
}
