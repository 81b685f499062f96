import { normalizePhone } from '../domain/input-validation.js';
import { ABANDON_WORDS, missingForCreate, type CreateTicketCommand } from './command-grammar.js';

/**
 * The short dialogue a /创建工单 without a phone or a problem starts, for that sender in that chat.
 * Pure: the adapter keeps the Dialogue in PostgreSQL between messages, so it survives a restart.
 */

export const DIALOGUE_TTL_MS = 5 * 60_000;

export type AwaitedField = ReturnType<typeof missingForCreate>[number];

export interface Dialogue {
  readonly command: CreateTicketCommand;
  readonly awaiting: AwaitedField;
  readonly expiresAt: Date;
}

export type DialogueStep =
  /** Ask the sender for the next missing part. */
  | { readonly kind: 'ask'; readonly dialogue: Dialogue; readonly reply: string }
  /** Everything is there: create the ticket. */
  | { readonly kind: 'complete'; readonly command: CreateTicketCommand }
  | { readonly kind: 'abandoned'; readonly reply: string }
  /** The dialogue had expired, or the message is a new command: read the message on its own. */
  | { readonly kind: 'notAnAnswer' };

const QUESTIONS: Readonly<Record<AwaitedField, string>> = {
  customerPhone: '请提供客户手机号',
  description: '请描述客户遇到的问题',
};

const minutes = (ms: number): number => Math.round(ms / 60_000);
const footnote = (ttlMs: number): string => `（直接回复即可；回复"取消"可放弃，${minutes(ttlMs)} 分钟内有效）`;

function ask(command: CreateTicketCommand, now: Date, ttlMs: number, preface = ''): DialogueStep {
  const awaiting = missingForCreate(command)[0];
  if (awaiting === undefined) return { kind: 'complete', command };
  const dialogue: Dialogue = { command, awaiting, expiresAt: new Date(now.getTime() + ttlMs) };
  return { kind: 'ask', dialogue, reply: `${preface}${QUESTIONS[awaiting]}${footnote(ttlMs)}` };
}

/** A /创建工单 as typed: complete, or the first question. */
export const startCreateDialogue = (command: CreateTicketCommand, now: Date, ttlMs: number = DIALOGUE_TTL_MS): DialogueStep => ask(command, now, ttlMs);

/** The sender's next message in the chat, `text` normalised as for the grammar. */
export function answerCreateDialogue(dialogue: Dialogue, text: string, now: Date, ttlMs: number = DIALOGUE_TTL_MS): DialogueStep {
  if (now.getTime() > dialogue.expiresAt.getTime()) return { kind: 'notAnAnswer' };
  if (ABANDON_WORDS.has(text)) return { kind: 'abandoned', reply: '好的，已取消创建工单。' };
  if (text.startsWith('/') || text.startsWith('#') || text === '') return { kind: 'notAnAnswer' };
  if (dialogue.awaiting === 'customerPhone') {
    const phone = normalizePhone(text);
    if (phone === null) return ask(dialogue.command, now, ttlMs, `手机号格式不正确：「${text.slice(0, 20)}」，应为 11 位大陆手机号。`);
    return ask({ ...dialogue.command, customerPhone: phone }, now, ttlMs);
  }
  return ask({ ...dialogue.command, description: text }, now, ttlMs);
}
