import { randomBytes, randomUUID } from 'node:crypto';
import { WSClient, type EventMessageWith, type Logger as SdkLogger, type TemplateCard, type TemplateCardEventData, type TextMessage, type WsFrame } from '@wecom/aibot-node-sdk';
import type { CardAnswer } from '../chat-adapter/card-actions.js';
import type { ChatCommands } from '../chat-adapter/chat-commands.js';
import { fitBytes } from '../chat/byte-limit.js';
import { HELP_REPLY } from '../chat/chat-replies.js';
import { CARD_WORKING_LINE, parseCardKey, renderTicketCardNotice, renderTicketTemplateCard, type CardAction } from '../chat/ticket-card-template.js';
import { within, type Clock } from '../clock.js';
import { DEFAULT_CONVERSATION, DeliveryChannel } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import type { Logger } from '../logger.js';
import { DeliveryDeferred, PermanentDeliveryError, type Channel } from '../notifications/channel.js';
import { ConversationRateLimiter } from '../notifications/rate-limit.js';
import type { ChatConnection } from '../worker.js';
import type { SenderIds } from './sender-ids.js';

export interface SmartRobotOptions {
  readonly botId: string;
  readonly secret: string;
  readonly wsUrl: string;
  /** The group (chatid) that receives what belongs to no chat (tickets created over the API). */
  readonly defaultChatId?: string;
  /** Protocol reference 1.4: every 30 s. */
  readonly heartbeatIntervalMs?: number;
  /** The first reconnect waits this long, each next one twice as long (the SDK's back-off). */
  readonly reconnectIntervalMs?: number;
  /** Protocol reference 1.14: 30 a minute and 1,000 an hour per conversation. */
  readonly perConversationPerMinute?: number;
  readonly perConversationPerHour?: number;
}

/** Protocol reference 1.14: stream and markdown content. */
export const SMART_ROBOT_MAX_BYTES = 20_480;

/** Shown at once in the reply bubble while the command runs (reference 7.1: open the stream first). */
export const WORKING_TEXT = '⏳ 正在处理…';

const WELCOME_TEXT = `您好，我是工单助手。\n\n${HELP_REPLY}`;

/** Ack codes that no retry changes (reference 1.12): a bad request, a conversation the bot cannot push to. */
const PERMANENT_CODES = new Set([40008, 40058, 45002, 93001, 93006, 846605, 846608]);
const RATE_LIMITED = 45009;
/** A card WeCom will not show (bad message type, buttons or parameter, reference 1.12): its text goes instead. */
const REFUSED_CARD_CODES = new Set([40008, 40016, 40058]);
/**
 * A click is answered within 5 s or not at all (reference 1.7, 1.9): the action gets this long, the
 * rest of the window is for the card update to reach WeCom. Later results reach the group as status lines.
 */
export const CARD_ANSWER_BUDGET_MS = 3500;
/** Reference 1.12: WeCom is busy; an outage, not this message's fault. */
const SYSTEM_BUSY = -1;
const MINUTE_MS = 60_000;
/** While WeCom is away (no connection, or busy) messages wait this long between tries, however long it lasts: none is given up. */
const OUTAGE_RETRY_MS = 5000;

const errcodeOf = (error: unknown): number | undefined => {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code : undefined;
};

const describeFailure = (error: unknown): string =>
  error instanceof Error ? error.message : `errcode ${errcodeOf(error) ?? '?'}: ${String((error as { errmsg?: unknown } | null)?.errmsg ?? error)}`;

type Address = { readonly chatid: string; readonly chat_type: 1 | 2 };

/** Where a push goes: a group by chatid (chat_type 2), a person by userid (chat_type 1). Reference 1.10. */
function addressOf(conversation: string, defaultChatId: string | undefined): Address {
  if (conversation === DEFAULT_CONVERSATION) {
    if (!defaultChatId) throw new PermanentDeliveryError('no default group: set WECOM_DEFAULT_CHAT_ID to the chatid of the group that hears about tickets created outside a chat');
    return { chatid: defaultChatId, chat_type: 2 };
  }
  if (conversation.startsWith('chat:')) return { chatid: conversation.slice('chat:'.length), chat_type: 2 };
  if (conversation.startsWith('user:')) return { chatid: conversation.slice('user:'.length), chat_type: 1 };
  throw new PermanentDeliveryError(`not a conversation the smart robot can reach: ${conversation}`);
}

/**
 * A template card's task_id (reference 1.11: never reused by the bot, `[0-9A-Za-z_\-@]`, ≤ 128 bytes):
 * one per push, random after the ticket and the outbox message, so a retry or a resend is a new card.
 */
export function cardTaskId(ticketId: number | null, notificationId: string, random: string = randomBytes(6).toString('hex')): string {
  return `t${ticketId ?? 0}_${notificationId.replace(/[^0-9A-Za-z]/g, '')}_${random}`;
}

type CardEventFrame = WsFrame<EventMessageWith<TemplateCardEventData>>;

/** The button a click event names and the card's task_id. Reference 1.7: the payload is nested under `template_card_event`; the SDK's types show it flat. */
function clickOf(event: TemplateCardEventData): { action: CardAction; taskId: string | undefined } | undefined {
  const nested = (event as unknown as Record<string, unknown>)['template_card_event'];
  const payload = (typeof nested === 'object' && nested !== null ? nested : event) as { event_key?: unknown; task_id?: unknown };
  const action = typeof payload.event_key === 'string' ? parseCardKey(payload.event_key) : undefined;
  return action && { action, taskId: typeof payload.task_id === 'string' ? payload.task_id : undefined };
}

/**
 * The markdown pushed for a message: its text, then the people it calls. `<@userid>` is WeCom's
 * mention syntax in markdown; whether the smart robot's mentions notify is unconfirmed (reference 6),
 * which is why reminders can also go by group webhook.
 */
export function pushContent(message: Pick<NotificationRecord, 'text' | 'mentions' | 'mentionAll'>): string {
  const calls = [...message.mentions.map((userId) => `<@${userId}>`), ...(message.mentionAll ? ['@所有人'] : [])].join(' ');
  if (calls === '') return fitBytes(message.text, SMART_ROBOT_MAX_BYTES);
  const suffix = `\n${calls}`;
  return `${fitBytes(message.text, SMART_ROBOT_MAX_BYTES - Buffer.byteLength(suffix))}${suffix}`;
}

/**
 * The smart robot (智能机器人) over its WebSocket long connection, through the official SDK: it
 * receives @bot messages and answers each with a stream (a first frame at once, the result after),
 * and it is the channel that pushes the outbox's messages to groups. Only one instance holds the
 * connection (WeCom keeps only the newest, reference 1.5): it is started by whichever instance
 * leads the outbox's delivery, so pushes and replies share it and its rate limits.
 */
export class SmartRobot implements ChatConnection, Channel {
  readonly name = DeliveryChannel.SMART_ROBOT;
  private client: WSClient | undefined;
  private readonly limiter: ConversationRateLimiter;
  private readonly working = new Set<Promise<void>>();
  private chat: ChatCommands | undefined;
  private detailUrl: ((ticketId: number) => string) | undefined;
  private senders: SenderIds | undefined;

  constructor(
    private readonly options: SmartRobotOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.limiter = new ConversationRateLimiter([
      { limit: options.perConversationPerMinute ?? 30, windowMs: MINUTE_MS },
      { limit: options.perConversationPerHour ?? 1000, windowMs: 60 * MINUTE_MS },
    ]);
  }

  /** Where received messages and card clicks are run (the service wires this once its API is built, before connecting), and the 查看详情 link an updated card keeps. */
  answerWith(chat: ChatCommands, cards: { readonly detailUrl?: (ticketId: number) => string; readonly senders?: SenderIds } = {}): void {
    this.chat = chat;
    this.detailUrl = cards.detailUrl;
    this.senders = cards.senders;
  }

  /** The sender as the directory knows them (an encrypted open_userid translated, with the self-built app). */
  private senderId(reported: string): Promise<string> {
    return this.senders ? this.senders.userIdOf(reported) : Promise.resolve(reported);
  }

  async start(): Promise<void> {
    if (this.client) return;
    const client = new WSClient({
      botId: this.options.botId,
      secret: this.options.secret,
      wsUrl: this.options.wsUrl,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 30_000,
      reconnectInterval: this.options.reconnectIntervalMs ?? 1000,
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: -1,
      logger: this.sdkLogger(),
    });
    client.on('authenticated', () => this.logger.info({ wsUrl: this.options.wsUrl }, 'smart robot connected'));
    client.on('disconnected', (reason) => {
      if (this.client === client) this.logger.warn({ reason }, 'smart robot disconnected; reconnecting');
    });
    client.on('error', (error) => this.logger.warn({ err: error }, 'smart robot connection error'));
    client.on('event.disconnected_event', () =>
      this.logger.error('WeCom moved the smart robot to a newer connection: something outside this service holds the same bot (reference 1.5)'),
    );
    client.on('message.text', (frame) => this.track(this.answer(frame)));
    client.on('event.template_card_event', (frame) => this.track(this.answerClick(frame)));
    // Someone opens a 1:1 chat with the bot: the commands, at once (a welcome must come within 5 s, reference 1.9).
    client.on('event.enter_chat', (frame) => this.track(client.replyWelcome(frame, { msgtype: 'text', text: { content: WELCOME_TEXT } }).then(() => undefined)));
    this.client = client;
    client.connect();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await Promise.allSettled([...this.working]);
    if (client) client.disconnect();
  }

  /** Pushes an outbox message (reference 1.10), within the conversation's rate limits: its card where it has one, else its markdown. */
  async send(message: NotificationRecord, signal: AbortSignal): Promise<void> {
    const address = addressOf(message.conversation, this.options.defaultChatId);
    const client = this.client;
    const now = this.clock.now().getTime();
    if (!client?.isConnected) throw new DeliveryDeferred(new Date(now + OUTAGE_RETRY_MS), 'the smart robot is not connected to WeCom');
    const decision = this.limiter.take(address.chatid, now);
    if (!decision.allowed) throw new DeliveryDeferred(new Date(decision.retryAt), `rate limit of conversation ${address.chatid}`);
    signal.throwIfAborted();
    try {
      if (message.card) await this.pushCard(client, address, message);
      else await this.pushMarkdown(client, address, message);
    } catch (error) {
      const code = errcodeOf(error);
      if (code === RATE_LIMITED) throw new DeliveryDeferred(new Date(now + MINUTE_MS), `WeCom refused: rate limit of conversation ${address.chatid} (45009)`);
      if (code === SYSTEM_BUSY) throw new DeliveryDeferred(new Date(now + OUTAGE_RETRY_MS), 'WeCom is busy (-1)');
      if (code !== undefined && PERMANENT_CODES.has(code)) throw new PermanentDeliveryError(`WeCom refused the push: ${describeFailure(error)}`);
      throw new Error(`push not acknowledged: ${describeFailure(error)}`);
    }
  }

  private async pushMarkdown(client: WSClient, address: Address, message: NotificationRecord): Promise<void> {
    // chat_type is not in the SDK's types, which pass the body through as it is (reference 1.10).
    const typed = { chat_type: address.chat_type };
    await client.sendMessage(address.chatid, { msgtype: 'markdown', markdown: { content: pushContent(message) }, ...typed });
  }

  /** A card WeCom refuses as invalid goes as its markdown, so the group still learns. (A card carries no mentions.) */
  private async pushCard(client: WSClient, address: Address, message: NotificationRecord): Promise<void> {
    const card = { ...message.card, task_id: cardTaskId(message.ticketId, message.id) } as TemplateCard;
    const typed = { chat_type: address.chat_type };
    try {
      await client.sendMessage(address.chatid, { msgtype: 'template_card', template_card: card, ...typed });
    } catch (error) {
      const code = errcodeOf(error);
      if (code === undefined || !REFUSED_CARD_CODES.has(code)) throw error;
      this.logger.warn({ err: describeFailure(error), notificationId: message.id, taskId: card.task_id }, 'WeCom refused the card; its text goes instead');
      await this.pushMarkdown(client, address, message);
    }
  }

  /**
   * A click on a card button: run as the clicker, then the card updated in place within WeCom's 5 s
   * (reference 1.9), for everyone (who claimed it, who resolved it) or, for a refusal, the clicker alone.
   * A click the budget does not cover shows the clicker 处理中… and its result reaches the group as a status line.
   */
  private async answerClick(frame: CardEventFrame): Promise<void> {
    const { client, chat } = this;
    const body = frame.body;
    if (!client || !chat || !body) return;
    const click = clickOf(body.event);
    if (!click) return this.logger.info({ msgid: body.msgid }, 'a card click on no button of ours: ignored');
    const answering = this.senderId(body.from.userid).then((clicker) =>
      chat.cardAction({ key: `smart-robot-card:${body.aibotid}:${body.msgid}`, chatId: body.chatid, userId: clicker, action: click.action }),
    );
    const answer = await within(answering, CARD_ANSWER_BUDGET_MS);
    if (!answer) this.logger.warn({ msgid: body.msgid, action: click.action, budgetMs: CARD_ANSWER_BUDGET_MS }, 'a card click outlasted its budget: the clicker sees 处理中…');
    // Reference 1.9: the update carries the task_id the click came with (without one WeCom has no card to update).
    if (click.taskId) {
      const card = { ...this.cardAfter(click.action, answer), task_id: click.taskId };
      const personal = answer?.personal ?? true;
      try {
        // To the clicker as WeCom named them in the callback.
        await client.updateTemplateCard(frame, card, personal ? [body.from.userid] : undefined);
      } catch (error) {
        this.logger.warn({ err: describeFailure(error), msgid: body.msgid, taskId: click.taskId }, 'could not update the clicked card');
      }
    }
    if (!answer) await answering;
  }

  private cardAfter(action: CardAction, answer: CardAnswer | undefined): TemplateCard {
    if (!answer) return renderTicketCardNotice(action.ticketId, CARD_WORKING_LINE);
    if (!answer.ticket) return renderTicketCardNotice(action.ticketId, answer.line ?? CARD_WORKING_LINE);
    const detailUrl = this.detailUrl?.(answer.ticket.ticket.id);
    return renderTicketTemplateCard(answer.ticket, { ...(answer.line ? { line: answer.line } : {}), ...(detailUrl ? { detailUrl } : {}) });
  }

  /** One @bot message: the working frame at once, then the command's answer in the same bubble. */
  private async answer(frame: WsFrame<TextMessage>): Promise<void> {
    const { client, chat } = this;
    const body = frame.body;
    if (!client || !chat || !body) return;
    const conversation = body.chatid ?? body.from.userid;
    const streamId = randomUUID();
    // A stream is one message to the rate limit, however many frames fill it (reference 1.14).
    this.limiter.record(conversation, this.clock.now().getTime());
    const reply = (content: string, finish: boolean) => client.replyStream(frame, streamId, fitBytes(content, SMART_ROBOT_MAX_BYTES), finish);
    const opened = reply(WORKING_TEXT, false).catch((error: unknown) => this.logger.warn({ err: describeFailure(error), msgid: body.msgid }, 'could not open the reply stream'));
    const answer = await chat.handle({
      key: `smart-robot:${body.aibotid}:${body.msgid}`,
      chatId: body.chattype === 'group' ? body.chatid : undefined,
      sender: { userId: await this.senderId(body.from.userid) },
      text: body.text?.content ?? '',
      quotedText: body.quote?.text?.content,
    });
    await opened;
    try {
      await reply(answer.text, true);
    } catch (error) {
      this.logger.warn({ err: describeFailure(error), msgid: body.msgid }, 'could not send the answer to a chat message');
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.logger.error({ err: error }, 'a smart robot message failed')).finally(() => this.working.delete(tracked));
    this.working.add(tracked);
  }

  private sdkLogger(): SdkLogger {
    const log = this.logger.child({ component: 'wecom-sdk' });
    return {
      debug: (message: string, ...args: unknown[]) => log.debug({ args }, message),
      info: (message: string, ...args: unknown[]) => log.debug({ args }, message),
      warn: (message: string, ...args: unknown[]) => log.warn({ args }, message),
      error: (message: string, ...args: unknown[]) => log.error({ args }, message),
    };
  }
}
