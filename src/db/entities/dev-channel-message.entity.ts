import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * What the development channel has "delivered": it stands in for WeCom until the WeCom channels
 * exist. Unique by idempotency key, so delivering a message again changes nothing; numbered in
 * the order the chat received them, as a chat orders its messages.
 */
@Entity({ tableName: 'dev_channel_messages' })
export class DevChannelMessage {
  [OptionalProps]?: 'id' | 'mentions' | 'mentionAll';

  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'string', length: 200, unique: 'dev_channel_messages_idempotency_key_unique' })
  idempotencyKey!: string;

  @Property({ type: 'string', length: 200 })
  conversation!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'text[]' })
  mentions: string[] = [];

  @Property({ type: 'boolean' })
  mentionAll: boolean = false;

  @Property({ type: 'datetime' })
  deliveredAt!: Date;
}
