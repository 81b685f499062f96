import type { EntityManager } from '@mikro-orm/postgresql';
import type { Dialogue } from '../chat/create-dialogue.js';
import { ChatDialogue, InboundChatMessage } from './entities/index.js';

/** A received message as first recorded, or as an earlier delivery left it. */
export type MessageClaim = { readonly fresh: true } | { readonly fresh: false; readonly reply: string | null; readonly ticketId: number | null };

/** How long a processed message's id is kept to recognise a redelivery (WeCom redelivers within minutes). */
export const INBOUND_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * What the chat adapter keeps between messages, in PostgreSQL so every instance and every restart
 * sees the same: the groups the bot serves, dialogues waiting for an answer, and the messages
 * already processed.
 */
export class ChatStore {
  constructor(private readonly em: EntityManager) {}

  /** The first instance to record a message processes it; any other delivery of it gets the earlier answer. */
  async claimMessage(key: string, now: Date): Promise<MessageClaim> {
    const em = this.em.fork();
    const inserted = await em.execute<{ key: string }[]>(
      'insert into "inbound_chat_messages" ("key", "received_at") values (?, ?) on conflict ("key") do nothing returning "key"',
      [key, now],
    );
    if (inserted.length > 0) return { fresh: true };
    const earlier = await em.findOne(InboundChatMessage, { key }, { fields: ['reply', 'ticketId'], disableIdentityMap: true });
    return { fresh: false, reply: earlier?.reply ?? null, ticketId: earlier?.ticketId ?? null };
  }

  async recordReply(key: string, reply: string, ticketId: number | undefined): Promise<void> {
    await this.em.fork().nativeUpdate(InboundChatMessage, { key }, { reply, ticketId: ticketId ?? null });
  }

  /** Forgets processed messages older than the retention (a redelivery comes within minutes). */
  async forgetMessagesBefore(cutoff: Date): Promise<number> {
    return this.em.fork().nativeDelete(InboundChatMessage, { receivedAt: { $lt: cutoff } });
  }

  /** Records a group the bot was @-mentioned in; true the first time. */
  async registerGroup(chatId: string, userId: string, now: Date): Promise<boolean> {
    // Nothing to write for a group already known: every message of the group asks.
    const rows = await this.em.fork().execute<{ chat_id: string }[]>(
      `insert into "chat_groups" ("chat_id", "registered_by", "registered_at") values (?, ?, ?) on conflict ("chat_id") do nothing returning "chat_id"`,
      [chatId, userId, now],
    );
    return rows.length > 0;
  }


  /** The sender's dialogue in this conversation, if one is waiting (an expired one included: the caller decides). */
  async dialogue(conversation: string, userId: string): Promise<Dialogue | null> {
    const row = await this.em.fork().findOne(ChatDialogue, { conversation, userId }, { disableIdentityMap: true });
    if (!row) return null;
    return { ...(row.state as Omit<Dialogue, 'expiresAt'>), expiresAt: row.expiresAt };
  }

  async saveDialogue(conversation: string, userId: string, dialogue: Dialogue): Promise<void> {
    const { expiresAt, ...state } = dialogue;
    await this.em.fork().upsert(ChatDialogue, { conversation, userId, state: { ...state }, expiresAt });
  }

  async endDialogue(conversation: string, userId: string): Promise<void> {
    await this.em.fork().nativeDelete(ChatDialogue, { conversation, userId });
  }
}
