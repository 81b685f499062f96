import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * What the development channel has "delivered": it stands in for WeCom until the WeCom channels
 * exist. Keyed by idempotency key, so delivering a message again changes nothing.
 */
@Entity({ tableName: 'dev_channel_messages' })
export class DevChannelMessage {
  [OptionalProps]?: 'mentions' | 'mentionAll';

  @PrimaryKey({ type: 'string', length: 200 })
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
