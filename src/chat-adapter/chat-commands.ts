import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { AuthenticatedActor } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import { assignedReply, commentReply, createdReply, HELP_REPLY, progressReply, statusReply, ticketListReply, UNRECOGNISED_REPLY, type ListedTicket } from '../chat/chat-replies.js';
import { normalizeChatText } from '../chat/chat-text.js';
import { parseChatCommand, ticketIdInQuote, type ChatCommand, type CreateTicketCommand, type TicketQuery } from '../chat/command-grammar.js';
import { answerCreateDialogue, DIALOGUE_TTL_MS, startCreateDialogue, type DialogueStep } from '../chat/create-dialogue.js';
import { CARD_FAILED_LINE, cardKey, type CardAction } from '../chat/ticket-card-template.js';
import type { ChatStore } from '../db/chat-store.js';
import { StaffRole } from '../domain/staff-role.js';
import type { CommentVisibility } from '../domain/ticket-comment.js';
import { TicketStatus } from '../domain/ticket-status.js';
import type { InProcessGraphQL, OperationOutcome } from '../graphql/in-process.js';
import type { Logger } from '../logger.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import { CardActions, type CardAnswer } from './card-actions.js';
import {
  ChatAddCommentDocument,
  ChatAssignTicketDocument,
  ChatCreateTicketDocument,
  ChatFindTicketsDocument,
  ChatTicketDocument,
  ChatUpdateTicketStatusDocument,
  type ChatTicketFragment,
  type CreateTicketInput,
  type TicketFilter,
} from './operations.generated.js';

/** A message someone sent the bot, as a channel received it. */
export interface IncomingChatMessage {
  /** Unique per message across channels and redeliveries, e.g. `smart-robot:<botid>:<msgid>`. */
  readonly key: string;
  /** The group's chatid; absent in a 1:1 chat. */
  readonly chatId?: string;
  readonly sender: { readonly userId: string; readonly name?: string };
  readonly text: string;
  /** The text of the message it quote-replies to, if any (a ticket card names its ticket). */
  readonly quotedText?: string;
}

/** A click on a button of one of the bot's cards, as a channel received it. */
export interface CardClick {
  /** Unique per delivery, e.g. `smart-robot-card:<botid>:<msgid>`. */
  readonly key: string;
  /** The group the card is in; absent in a 1:1 chat. */
  readonly chatId?: string;
  /** Who clicked (in a group, anyone in it: reference 1.7). */
  readonly userId: string;
  readonly action: CardAction;
}

export interface ChatAnswer {
  readonly text: string;
  /** False when the message was not a command (it got the hint on how to write one). */
  readonly handled: boolean;
  /** A redelivery of a message already processed: `text` is the earlier answer, nothing was run again. */
  readonly duplicate: boolean;
  /** The ticket the command created or acted on. */
  readonly ticketId?: number;
}

/** Tickets a /查询工单 lists (the brief's list is meant to be read in a chat). */
export const QUERY_LIST_SIZE = 5;

const FAILED_REPLY = '❌ 处理这条消息时出错了，请稍后再试。如果一直出错，请联系管理员。';
const DUPLICATE_REPLY = '这条消息已经收到，正在处理。';
const NO_DIALOGUE_REPLY = '当前没有进行中的操作。发送 /帮助 查看可用命令。';
const EXPIRED_DIALOGUE_REPLY = `上一次创建工单已超时（${DIALOGUE_TTL_MS / 60_000} 分钟内未收到回复），请重新发送 /创建工单。`;

const refusal = (message: string): string => `❌ ${message}`;

/** What a command produced: the answer and, when it touched one, the ticket. */
interface Outcome {
  readonly text: string;
  readonly ticketId?: number;
  /** Set (false) only for a message that was no command. */
  readonly handled?: false;
}

/**
 * Runs chat messages as the people who typed them: each message once, through the same API every
 * client uses (in process), so a chat command meets the same rules, audit events and live updates.
 * Channels (the smart robot, the relay endpoint) translate their protocol to and from this.
 */
export class ChatCommands {
  /** Clicks being answered, by delivery: the same delivery twice at once gets the one answer. */
  private readonly clicking = new Map<string, Promise<CardAnswer>>();

  constructor(
    private readonly operations: InProcessGraphQL,
    private readonly store: ChatStore,
    private readonly staff: StaffDirectory,
    private readonly clock: Clock,
    private readonly botNames: readonly string[],
    private readonly logger: Logger,
  ) {}

  async handle(message: IncomingChatMessage): Promise<ChatAnswer> {
    const claim = await this.store.claimMessage(message.key, this.clock.now());
    if (!claim.fresh) {
      this.logger.info({ key: message.key }, 'chat message delivered again: answered from the first delivery');
      return { text: claim.reply ?? DUPLICATE_REPLY, handled: true, duplicate: true, ...(claim.ticketId === null ? {} : { ticketId: claim.ticketId }) };
    }
    let outcome: Outcome;
    try {
      outcome = await this.process(message);
    } catch (error) {
      this.logger.error({ err: error, key: message.key, chatId: message.chatId, userId: message.sender.userId }, 'a chat message could not be processed');
      outcome = { text: FAILED_REPLY };
    }
    await this.store.recordReply(message.key, outcome.text, outcome.ticketId);
    return { ...outcome, handled: outcome.handled ?? true, duplicate: false };
  }

  /**
   * A card button, clicked: run as the clicker (who joins as an AGENT if new), each delivery once. A
   * delivery seen before gets the card as the ticket stands, which is how the first one left it.
   */
  cardAction(click: CardClick): Promise<CardAnswer> {
    const running = this.clicking.get(click.key);
    if (running) return running;
    const answer = this.answerClick(click).finally(() => this.clicking.delete(click.key));
    this.clicking.set(click.key, answer);
    return answer;
  }

  private async answerClick(click: CardClick): Promise<CardAnswer> {
    const { action } = click;
    try {
      const claim = await this.store.claimMessage(click.key, this.clock.now());
      const cards = new CardActions(this.operations, await this.actorFor({ userId: click.userId }), click.chatId);
      if (!claim.fresh) {
        this.logger.info({ key: click.key }, 'card click delivered again: the card shows the ticket as it stands');
        return await cards.show(action.ticketId);
      }
      const answer = await cards.run(action);
      await this.store.recordReply(click.key, answer.line ?? cardKey(action), action.ticketId);
      return answer;
    } catch (error) {
      this.logger.error({ err: error, key: click.key, chatId: click.chatId, userId: click.userId, action }, 'a card click could not be processed');
      return { line: CARD_FAILED_LINE, personal: true };
    }
  }

  private async process(message: IncomingChatMessage): Promise<Outcome> {
    const now = this.clock.now();
    if (message.chatId !== undefined && (await this.store.registerGroup(message.chatId, message.sender.userId, now))) {
      this.logger.info({ chatId: message.chatId, by: message.sender.userId }, 'chat group registered');
    }
    const actor = await this.actorFor(message.sender);
    const text = normalizeChatText(message.text, this.botNames);
    const quoted = message.quotedText === undefined ? undefined : ticketIdInQuote(normalizeChatText(message.quotedText, this.botNames));
    const conversation = message.chatId === undefined ? `user:${actor.userId}` : `chat:${message.chatId}`;
    const session = new ChatSession({ operations: this.operations, store: this.store, clock: this.clock }, { actor, chatId: message.chatId, conversation });

    const dialogue = await this.store.dialogue(conversation, actor.userId);
    if (dialogue) {
      const step = answerCreateDialogue(dialogue, text, now);
      if (step.kind !== 'notAnAnswer') return session.continueCreate(step);
      await this.store.endDialogue(conversation, actor.userId);
    }
    const command = parseChatCommand(text, quoted === undefined ? {} : { quotedTicketId: quoted });
    // An answer that came too late is no riddle to its sender: say the dialogue ran out.
    if (dialogue && dialogue.expiresAt.getTime() < now.getTime() && command.kind === 'unrecognised') return { text: EXPIRED_DIALOGUE_REPLY };
    return session.run(command);
  }

  /** The sender as a staff member: someone the directory does not know yet joins as an AGENT. */
  private async actorFor(sender: IncomingChatMessage['sender']): Promise<AuthenticatedActor> {
    const staff = await this.staff.ensure(sender.userId, { name: sender.name, role: StaffRole.AGENT });
    return { userId: staff.userId, role: staff.role, name: staff.name };
  }
}

interface SessionDeps {
  readonly operations: InProcessGraphQL;
  readonly store: ChatStore;
  readonly clock: Clock;
}

interface SessionContext {
  readonly actor: AuthenticatedActor;
  readonly chatId: string | undefined;
  /** Where a dialogue is kept: `chat:<chatid>` or `user:<userid>`. */
  readonly conversation: string;
}

/** One message's work: the command, run as its sender from where it was typed. */
class ChatSession {
  constructor(
    private readonly deps: SessionDeps,
    private readonly context: SessionContext,
  ) {}

  run(command: ChatCommand): Promise<Outcome> | Outcome {
    switch (command.kind) {
      case 'create':
        return this.continueCreate(startCreateDialogue(command, this.deps.clock.now()));
      case 'query':
        return this.query(command.query);
      case 'assign':
        return this.mutate(ChatAssignTicketDocument, { id: String(command.ticketId), assignee: command.assignee }, (r) => r.assignTicket, (t) =>
          assignedReply(Number(t.id), t.assignedToName ?? t.assignedTo ?? command.assignee),
        );
      case 'changeStatus':
        return this.mutate(ChatUpdateTicketStatusDocument, { id: String(command.ticketId), status: command.status, note: command.note ?? null }, (r) => r.updateTicketStatus, (t) =>
          statusReply(Number(t.id), TicketStatus[t.status]),
        );
      case 'setProgress':
        return this.setProgress(command.ticketId, command.progress, command.note);
      case 'comment':
        return this.comment(command.ticketId, command.visibility, command.body);
      case 'help':
        return { text: HELP_REPLY };
      case 'abandon':
        return { text: NO_DIALOGUE_REPLY };
      case 'malformed':
        return { text: refusal(command.message) };
      case 'unrecognised':
        return { text: UNRECOGNISED_REPLY, handled: false };
    }
  }

  /** A step of the /创建工单 dialogue: ask and wait, give up, or create the ticket. */
  async continueCreate(step: DialogueStep): Promise<Outcome> {
    const { store } = this.deps;
    const { conversation, actor } = this.context;
    // A fresh /创建工单 is always an answer to itself; a dialogue's non-answers never come here.
    if (step.kind === 'notAnAnswer') return { text: UNRECOGNISED_REPLY };
    if (step.kind === 'ask') {
      await store.saveDialogue(conversation, actor.userId, step.dialogue);
      return { text: step.reply };
    }
    await store.endDialogue(conversation, actor.userId);
    if (step.kind === 'abandoned') return { text: step.reply };
    return this.create(step.command);
  }

  private create(command: CreateTicketCommand): Promise<Outcome> {
    return this.mutate(ChatCreateTicketDocument, { input: createTicketInput(command) }, (r) => r.createTicket, (t) => createdReply(Number(t.id)));
  }

  private async query(query: TicketQuery): Promise<Outcome> {
    const { operations } = this.deps;
    if (query.by === 'ticket') {
      const found = await operations.run(ChatTicketDocument, { id: String(query.ticketId) }, this.context.actor);
      if (!found.ok) return { text: refusal(found.error.message) };
      return { text: ticketListReply([listed(found.data.ticket)], 1), ticketId: query.ticketId };
    }
    // A name is looked up exactly, then as the start of names ("张" → 张三, 张三丰); never fuzzily.
    const filters: TicketFilter[] = query.by === 'phone' ? [{ customerPhone: query.phone }] : [{ customerName: query.name }, { customerNamePrefix: query.name }];
    for (const [i, filter] of filters.entries()) {
      const found = await operations.run(ChatFindTicketsDocument, { filter, first: QUERY_LIST_SIZE }, this.context.actor);
      if (!found.ok) return { text: refusal(found.error.message) };
      const { edges, totalCount } = found.data.tickets;
      if (totalCount > 0 || i === filters.length - 1) return { text: ticketListReply(edges.map((e) => listed(e.node)), totalCount) };
    }
    return { text: ticketListReply([], 0) };
  }

  /** 进度 50 keeps the ticket's status and sets only its progress. */
  private async setProgress(ticketId: number, progress: number, note: string | undefined): Promise<Outcome> {
    const found = await this.deps.operations.run(ChatTicketDocument, { id: String(ticketId) }, this.context.actor);
    if (!found.ok) return { text: refusal(found.error.message) };
    return this.mutate(
      ChatUpdateTicketStatusDocument,
      { id: String(ticketId), status: found.data.ticket.status, progress, note: note ?? null },
      (r) => r.updateTicketStatus,
      (t) => progressReply(Number(t.id), t.progress),
    );
  }

  private async comment(ticketId: number, visibility: CommentVisibility, body: string): Promise<Outcome> {
    const outcome = await this.deps.operations.run(ChatAddCommentDocument, { id: String(ticketId), body, visibility }, this.context.actor);
    if (!outcome.ok) return { text: refusal(outcome.error.message) };
    return { text: commentReply(ticketId, visibility), ticketId };
  }

  /** Runs a mutation as the sender, from this chat; the reply for the ticket it returns, or the refusal. */
  private async mutate<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    ticketOf: (data: TData) => ChatTicketFragment,
    reply: (ticket: ChatTicketFragment) => string,
  ): Promise<Outcome> {
    const origin = this.context.chatId === undefined ? undefined : { chatId: this.context.chatId };
    const outcome: OperationOutcome<TData> = await this.deps.operations.run(document, variables, this.context.actor, origin);
    if (!outcome.ok) return { text: refusal(outcome.error.message) };
    const ticket = ticketOf(outcome.data);
    return { text: reply(ticket), ticketId: Number(ticket.id) };
  }
}

/** The API's input for a /创建工单 (the API judges what is missing or too long). */
export function createTicketInput(command: CreateTicketCommand): CreateTicketInput {
  return {
    customerName: command.customerName ?? null,
    customerPhone: command.customerPhone ?? null,
    description: command.description ?? '',
    company: command.company ?? null,
    product: command.product ?? null,
    priority: command.priority,
  };
}

/** A ticket as the list reply reads it. */
function listed(ticket: ChatTicketFragment): ListedTicket {
  return {
    id: Number(ticket.id),
    status: TicketStatus[ticket.status],
    progress: ticket.progress,
    description: ticket.description,
    assignedTo: ticket.assignedTo ?? null,
    assignedToName: ticket.assignedToName ?? null,
    createdAt: new Date(ticket.createdAt),
  };
}
