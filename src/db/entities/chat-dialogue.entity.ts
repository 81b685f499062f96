import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A /创建工单 waiting for the sender's answer (see create-dialogue.ts); kept here so it survives a restart. */
@Entity({ tableName: 'chat_dialogues' })
export class ChatDialogue {
  /** `chat:<chatid>` or `user:<userid>` (a 1:1 chat). */
  @PrimaryKey({ type: 'string', length: 200 })
  conversation!: string;

  /** The sender the dialogue is with (WeCom userid): others in the group are not answering it. */
  @PrimaryKey({ type: 'string', length: 64 })
  userId!: string;

  /** The command gathered so far and the field asked for. */
  @Property({ type: 'json' })
  state!: Record<string, unknown>;

  @Property({ type: 'datetime', index: 'chat_dialogues_expires_at_idx' })
  expiresAt!: Date;
}
