import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A WeCom group the bot has been @-mentioned in: where the tickets created there hear about themselves. */
@Entity({ tableName: 'chat_groups' })
export class ChatGroup {
  /** The WeCom chatid. */
  @PrimaryKey({ type: 'string', length: 128 })
  chatId!: string;

  /** Who first @-mentioned the bot there (WeCom userid). */
  @Property({ type: 'string', length: 64 })
  registeredBy!: string;

  @Property({ type: 'datetime' })
  registeredAt!: Date;
}
