import type { EntityManager } from '@mikro-orm/postgresql';
import { findOrCreateCustomer } from '../customers/customer-directory.js';
import { resolveDeadline, type DeadlinePolicy } from '../domain/deadline.js';
import { derivePriority } from '../domain/priority.js';
import { type Actor, TicketEventType } from '../domain/ticket-event.js';
import { validateNewTicket, validateNote, type NewTicketInput } from '../domain/ticket-input.js';
import { planStatusChange, statusAfterAssignment, TicketStatus } from '../domain/ticket-status.js';
import { Ticket, TicketEvent } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { inTransaction } from '../db/transaction.js';
import { resolveStaff } from '../staff/staff-directory.js';
import { getTicket } from './ticket-queries.js';

export interface CreateTicketCommand extends NewTicketInput {
  /** WeCom chat the request came from, when it came from chat. */
  readonly sourceChatId?: string;
}

export interface StatusChangeCommand {
  readonly status: TicketStatus;
  readonly note?: string | null;
  readonly progress?: number | null;
}

/** A committed change: the ticket as it is now and the events that record what happened. */
export interface TicketChange {
  readonly ticket: Ticket;
  readonly events: readonly TicketEvent[];
}

interface EventData {
  readonly type: TicketEventType;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly note?: string | null;
}

/**
 * The ticket use cases. GraphQL resolvers, the WeCom adapter and scheduled jobs all change
 * tickets through here, so the rules and the audit trail are the same whoever asks.
 */
export class TicketService {
  constructor(
    private readonly orm: Orm,
    private readonly deadlinePolicy: DeadlinePolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  createTicket(actor: Actor, command: CreateTicketCommand): Promise<TicketChange> {
    const input = validateNewTicket(command);
    return inTransaction(this.orm, async (em) => {
      const now = this.now();
      const customer = await findOrCreateCustomer(em, { name: input.customerName, phone: input.customerPhone, company: input.company });
      const priority = input.priority ?? derivePriority(input.title, input.description);
      const ticket = em.create(Ticket, {
        title: input.title,
        description: input.description,
        product: input.product ?? null,
        priority,
        customer,
        deadline: resolveDeadline({ createdAt: now, priority, explicit: input.deadline }, this.deadlinePolicy),
        sourceChatId: command.sourceChatId ?? null,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      });
      const event = this.record(em, ticket, actor, { type: TicketEventType.CREATED, to: TicketStatus.PENDING });
      return { ticket, events: [event] };
    });
  }

  assignTicket(actor: Actor, ticketId: number, assignee: string, note?: string | null): Promise<TicketChange> {
    const validNote = validateNote(note);
    return inTransaction(this.orm, async (em) => {
      const ticket = await getTicket(em, ticketId);
      const status = statusAfterAssignment(ticket.status);
      const staff = await resolveStaff(em, assignee);
      const events = [
        this.record(em, ticket, actor, { type: TicketEventType.ASSIGNED, from: ticket.assignedTo, to: staff.userId, note: validNote }),
      ];
      if (status !== ticket.status) events.push(this.record(em, ticket, actor, { type: TicketEventType.STATUS_CHANGED, from: ticket.status, to: status }));
      Object.assign(ticket, { assignedTo: staff.userId, assignedToName: staff.name, status });
      return { ticket, events };
    });
  }

  changeStatus(actor: Actor, ticketId: number, command: StatusChangeCommand): Promise<TicketChange> {
    const note = validateNote(command.note);
    return inTransaction(this.orm, async (em) => {
      const ticket = await getTicket(em, ticketId);
      const next = planStatusChange(ticket, command.status, { progress: command.progress ?? undefined, now: this.now() });
      const events: TicketEvent[] = [];
      if (next.status !== ticket.status) {
        const type = next.status === TicketStatus.ESCALATED ? TicketEventType.ESCALATED : TicketEventType.STATUS_CHANGED;
        events.push(this.record(em, ticket, actor, { type, from: ticket.status, to: next.status, note }));
      }
      if (next.progress !== ticket.progress) {
        events.push(this.record(em, ticket, actor, { type: TicketEventType.PROGRESS_CHANGED, from: String(ticket.progress), to: String(next.progress), note }));
      }
      Object.assign(ticket, next);
      return { ticket, events };
    });
  }

  private record(em: EntityManager, ticket: Ticket, actor: Actor, data: EventData): TicketEvent {
    return em.create(TicketEvent, {
      ticket,
      type: data.type,
      actorId: actor.userId,
      actorName: actor.name ?? null,
      fromValue: data.from ?? null,
      toValue: data.to ?? null,
      note: data.note ?? null,
      createdAt: this.now(),
    });
  }
}
