import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A group robot webhook (群机器人) and the group it posts to. The URL's key is its only
 * credential: it is never shown whole. A key WeCom calls invalid is marked dead, for the admins.
 */
@Entity({ tableName: 'group_webhooks' })
export class GroupWebhook {
  /** `chat:<chatid>`, or `chat:default` for the default group (GROUP_WEBHOOK_URL). */
  @PrimaryKey({ type: 'string', length: 200 })
  conversation!: string;

  @Property({ type: 'text' })
  url!: string;

  /** When WeCom answered that the key is gone (93000/93004); null while it works. */
  @Property({ type: 'datetime', nullable: true })
  deadAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
