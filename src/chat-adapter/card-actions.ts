import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { AuthenticatedActor } from '../auth/tokens.js';
import { stateLine, type CardAction } from '../chat/ticket-card-template.js';
import type { CardSubject } from '../chat/ticket-cards.js';
import { Priority } from '../domain/priority.js';
import { isOpen, TicketStatus } from '../domain/ticket-status.js';
import type { InProcessGraphQL, OperationError, OperationOutcome } from '../graphql/in-process.js';
import { ChatAssignTicketDocument, ChatCardTicketDocument, ChatUpdateTicketStatusDocument, type ChatCardTicketQuery, type ChatTicketFragment } from './operations.generated.js';

/** What a clicked card should show now. */
export interface CardAnswer {
  /** The ticket as the click left it; absent when it could not be read. */
  readonly ticket?: CardSubject;
  /** What the card says of the click ("已被李四认领", a refusal); none while the ticket waits for an owner. */
  readonly line?: string;
  /** For the clicker alone (a refusal, work still under way); otherwise the card changes for everyone. */
  readonly personal: boolean;
}

/** A claim that meets a change made between its read and its write reads again, this often at most. */
const CLAIM_ATTEMPTS = 3;

type CardTicket = ChatCardTicketQuery['ticket'];

/**
 * One button click, run as the clicker through the API in process, from the chat the card is in.
 * First click wins: 认领 assigns only a ticket nobody owns, and only at the version it was read at
 * (the API refuses it otherwise), so of two clicks at once one assigns and the other reads the
 * winner; 已解决 after another's 已解决 is refused by the status machine. Either way the card then
 * shows who won.
 */
export class CardActions {
  constructor(
    private readonly operations: InProcessGraphQL,
    private readonly actor: AuthenticatedActor,
    private readonly chatId: string | undefined,
  ) {}

  run(action: CardAction): Promise<CardAnswer> {
    switch (action.kind) {
      case 'claim':
        return this.claim(action.ticketId);
      case 'resolve':
        return this.resolve(action.ticketId);
      case 'view':
        return this.show(action.ticketId);
    }
  }

  /** The card as the ticket stands (a refresh, or a click delivered again). */
  async show(ticketId: number): Promise<CardAnswer> {
    const found = await this.read(ticketId);
    return found.ok ? settled(found.data.ticket) : refused(found.error);
  }

  private async claim(ticketId: number): Promise<CardAnswer> {
    for (let attempt = 1; ; attempt++) {
      const found = await this.read(ticketId);
      if (!found.ok) return refused(found.error);
      const { ticket } = found.data;
      if (ticket.assignedTo !== null || !isOpen(TicketStatus[ticket.status])) return settled(ticket);
      const assigned = await this.mutate(ChatAssignTicketDocument, { id: ticket.id, assignee: this.actor.userId, expectedVersion: ticket.version });
      if (assigned.ok) return settled(assigned.data.assignTicket);
      if (assigned.error.code !== 'CONFLICT' || attempt === CLAIM_ATTEMPTS) return refused(assigned.error, ticket);
    }
  }

  private async resolve(ticketId: number): Promise<CardAnswer> {
    const resolved = await this.mutate(ChatUpdateTicketStatusDocument, { id: String(ticketId), status: 'RESOLVED', note: null });
    if (resolved.ok) return settled(resolved.data.updateTicketStatus, this.actor.name ?? this.actor.userId);
    const found = await this.read(ticketId);
    if (!found.ok) return refused(resolved.error);
    // Resolved by someone else first: no refusal, the card names who did it.
    if (found.data.ticket.status === 'RESOLVED') return settled(found.data.ticket);
    return refused(resolved.error, found.data.ticket);
  }

  private read(ticketId: number): Promise<OperationOutcome<ChatCardTicketQuery>> {
    return this.operations.run(ChatCardTicketDocument, { id: String(ticketId) }, this.actor);
  }

  private mutate<TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<OperationOutcome<TData>> {
    return this.operations.run(document, variables, this.actor, this.chatId === undefined ? undefined : { chatId: this.chatId });
  }
}

/** The card for a ticket a click left as it is now; who resolved it comes from its history when not given. */
function settled(ticket: ChatTicketFragment | CardTicket, resolvedBy?: string): CardAnswer {
  const subject = cardSubjectOf(ticket);
  return { ticket: subject, line: stateLine(subject.ticket, resolvedBy ?? ('events' in ticket ? resolverIn(ticket) : undefined)), personal: false };
}

function refused(error: OperationError, ticket?: ChatTicketFragment): CardAnswer {
  return { ...(ticket ? { ticket: cardSubjectOf(ticket) } : {}), line: `❌ ${error.message}`, personal: true };
}

/** Who last moved the ticket to RESOLVED. */
function resolverIn(ticket: CardTicket): string | undefined {
  const event = ticket.events.findLast((e) => e.type === 'STATUS_CHANGED' && e.to === TicketStatus.RESOLVED);
  return event && (event.actorName ?? event.actorId);
}

/** A ticket as the API returns it, as the card renders it. */
export function cardSubjectOf(ticket: ChatTicketFragment): CardSubject {
  return {
    ticket: {
      id: Number(ticket.id),
      title: ticket.title,
      description: ticket.description,
      product: ticket.product,
      status: TicketStatus[ticket.status],
      priority: Priority[ticket.priority],
      progress: ticket.progress,
      assignedTo: ticket.assignedTo,
      assignedToName: ticket.assignedToName,
      deadline: new Date(ticket.deadline),
      createdAt: new Date(ticket.createdAt),
    },
    customer: ticket.customer,
  };
}
