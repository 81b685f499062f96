import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { findOrCreateCustomer } from '../customers/customer-directory.js';
import { resolveDeadline, validateExplicitDeadline, type DeadlinePolicy } from '../domain/deadline.js';
import { badInput, conflict, invalidTransition } from '../domain/errors.js';
import { DEADLINE_NOTIFICATION_KINDS } from '../domain/notification.js';
import { derivePriority } from '../domain/priority.js';
import { validateCommentBody, type CommentVisibility } from '../domain/ticket-comment.js';
import { canRate } from '../domain/customer-view.js';
import { type Actor, CUSTOMER_ACTOR_ID, TicketEventType } from '../domain/ticket-event.js';
import type { TicketRecord } from '../domain/records.js';
import { validateNewTicket, validateNote, type NewTicket, type NewTicketInput } from '../domain/ticket-input.js';
import { isOpen, planStatusChange, STATUS_LABEL, statusAfterAssignment, TicketStatus } from '../domain/ticket-status.js';
import { Customer, Notification, Ticket, TicketEvent } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { PreparedStatements } from '../db/prepared-statements.js';
import { inTransaction } from '../db/transaction.js';
import { resolveStaff } from '../staff/staff-directory.js';
import { committed, recordEvents, updateTicket, type CommitListener, type EventData, type TicketChange } from './ticket-changes.js';
import { getTicket, lockTicket } from './ticket-queries.js';

export type { CommitListener, TicketChange } from './ticket-changes.js';

export interface CreateTicketCommand extends NewTicketInput {
  /** WeCom chat the request came from, when it came from chat. */
  readonly sourceChatId?: string;
}

export interface StatusChangeCommand {
  readonly status: TicketStatus;
  readonly note?: string | null;
  readonly progress?: number | null;
}

/** The customer of a ticket as the actor of what they do on their status page. */
async function customerActor(em: EntityManager, ticket: TicketRecord): Promise<Actor> {
  const customer = await em.findOne(Customer, { id: ticket.customerId }, { fields: ['name'], disableIdentityMap: true });
  return { userId: CUSTOMER_ACTOR_ID, name: customer?.name ?? '客户' };
}

const changedSince = (ticket: { readonly id: number; readonly version: number }, expected: number) =>
  conflict(`工单 #${ticket.id} 已被其他人修改（当前版本 ${ticket.version}，预期 ${expected}）`, `Ticket #${ticket.id} changed since version ${expected}; it is at ${ticket.version}`, {
    id: ticket.id,
    version: ticket.version,
    expectedVersion: expected,
  });

/**
 * The ticket use cases. GraphQL resolvers, the WeCom adapter and scheduled jobs all change
 * tickets through here (the deadline job through the same `ticket-changes` helpers), so the
 * rules and the audit trail are the same whoever asks. Each runs as one transaction: the change
 * and its events commit together or not at all.
 */
export class TicketService {
  constructor(
    private readonly orm: Orm,
    private readonly prepared: PreparedStatements,
    private readonly deadlinePolicy: DeadlinePolicy,
    private readonly commits: CommitListener,
    private readonly clock: Clock,
  ) {}

  createTicket(actor: Actor, command: CreateTicketCommand): Promise<TicketChange> {
    return committed(this.commits, this.create(actor, command));
  }

  private async create(actor: Actor, command: CreateTicketCommand): Promise<TicketChange> {
    const input = validateNewTicket(command);
    const who = { name: input.customerName, phone: input.customerPhone, company: input.company };
    // The usual case, a known customer with nothing to fill in, is a single statement: customer
    // lookup, ticket and CREATED event at once, atomic without an explicit transaction.
    // Standing alone, it runs as a prepared statement, outside any unit of work.
    if (who.phone) {
      const known = this.orm.em.getRepository(Customer).knownByPhone(who.phone, who.company);
      const change = await this.insertTicket(this.orm.em, actor, command, input, known, this.prepared);
      if (change) return change;
    }
    return inTransaction(this.orm, async (tx) => {
      const customer = await findOrCreateCustomer(tx, who, this.clock.now());
      return (await this.insertTicket(tx, actor, command, input, tx.getRepository(Ticket).customerById(customer.id)))!;
    });
  }

  private async insertTicket(
    em: EntityManager,
    actor: Actor,
    command: CreateTicketCommand,
    input: NewTicket,
    customer: { sql: string; params: readonly unknown[] },
    prepared?: PreparedStatements,
  ): Promise<TicketChange | null> {
    const now = this.clock.now();
    const priority = input.priority ?? derivePriority(input.title, input.description);
    const created = await em.getRepository(Ticket).insertWithEvent(
      {
        title: input.title,
        description: input.description,
        product: input.product ?? null,
        priority,
        deadline: resolveDeadline({ createdAt: now, priority, explicit: input.deadline }, this.deadlinePolicy),
        sourceChatId: command.sourceChatId ?? null,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      },
      customer,
      { type: TicketEventType.CREATED, actorId: actor.userId, actorName: actor.name ?? null, fromValue: null, note: null, createdAt: now },
      prepared,
    );
    return created && { ticket: created.ticket, events: [created.event] };
  }

  /** With `expectedVersion`, only a ticket nobody changed since that version is assigned (a card's 认领: first click wins). */
  assignTicket(actor: Actor, ticketId: number, assignee: string, note?: string | null, expectedVersion?: number | null): Promise<TicketChange> {
    const validNote = validateNote(note);
    return committed(this.commits, inTransaction(this.orm, async (em) => {
      const current = await getTicket(em, ticketId);
      if (expectedVersion != null && current.version !== expectedVersion) throw changedSince(current, expectedVersion);
      const status = statusAfterAssignment(current.status);
      const staff = await resolveStaff(em, assignee);
      const now = this.clock.now();
      const ticket = await updateTicket(em, current, { assignedTo: staff.userId, assignedToName: staff.name, status }, now);
      const events: EventData[] = [{ type: TicketEventType.ASSIGNED, from: current.assignedTo, to: staff.userId, note: validNote }];
      if (status !== current.status) events.push({ type: TicketEventType.STATUS_CHANGED, from: current.status, to: status });
      return { ticket, events: await recordEvents(em, ticket, actor, now, events) };
    }));
  }

  changeStatus(actor: Actor, ticketId: number, command: StatusChangeCommand): Promise<TicketChange> {
    const note = validateNote(command.note);
    return committed(this.commits, inTransaction(this.orm, async (em) => {
      const current = await getTicket(em, ticketId);
      const now = this.clock.now();
      const next = planStatusChange(current, command.status, { progress: command.progress ?? undefined, now });
      const ticket = await updateTicket(em, current, next, now);
      const events: EventData[] = [];
      if (next.status !== current.status) {
        const type = next.status === TicketStatus.ESCALATED ? TicketEventType.ESCALATED : TicketEventType.STATUS_CHANGED;
        events.push({ type, from: current.status, to: next.status, note });
      }
      if (next.progress !== current.progress) {
        events.push({ type: TicketEventType.PROGRESS_CHANGED, from: String(current.progress), to: String(next.progress), note });
      }
      // A reminder still waiting in the outbox for a ticket that is now done would only be noise.
      if (!isOpen(next.status)) await em.getRepository(Notification).cancelPending(ticket.id, DEADLINE_NOTIFICATION_KINDS, now);
      return { ticket, events: await recordEvents(em, ticket, actor, now, events) };
    }));
  }

  /**
   * A reply to the customer (PUBLIC) or a note among staff (INTERNAL), on a ticket in any state.
   * The ticket itself does not change (a comment does not make a card's 认领 stale); its row is
   * locked so the event records it as it is.
   */
  addComment(actor: Actor, ticketId: number, body: string, visibility: CommentVisibility): Promise<TicketChange> {
    const text = validateCommentBody(body);
    return committed(this.commits, inTransaction(this.orm, async (em) => {
      const ticket = await lockTicket(em, ticketId);
      const event: EventData = { type: TicketEventType.COMMENTED, to: visibility, note: text };
      return { ticket, events: await recordEvents(em, ticket, actor, this.clock.now(), [event]) };
    }));
  }

  /** What the customer adds on their status page (仍未解决？补充说明); any state but cancelled. */
  addCustomerNote(ticketId: number, body: string): Promise<TicketChange> {
    const text = validateCommentBody(body);
    return committed(this.commits, inTransaction(this.orm, async (em) => {
      const ticket = await lockTicket(em, ticketId);
      if (ticket.status === TicketStatus.CANCELLED) {
        throw invalidTransition('工单已取消，不能再补充说明', 'The ticket was cancelled; nothing can be added to it', { from: ticket.status });
      }
      const event: EventData = { type: TicketEventType.CUSTOMER_NOTE, note: text };
      return { ticket, events: await recordEvents(em, ticket, await customerActor(em, ticket), this.clock.now(), [event]) };
    }));
  }

  /** The customer's rating of a resolution, 1–5 with an optional comment: once per resolution. */
  rateResolution(ticketId: number, score: number, comment?: string | null): Promise<TicketChange> {
    const note = validateNote(comment);
    if (!Number.isInteger(score) || score < 1 || score > 5) throw badInput(`满意度应为 1 到 5 分，收到 ${score}`, `A rating is 1 to 5, got ${score}`, { field: 'score' });
    return committed(this.commits, inTransaction(this.orm, async (em) => {
      const ticket = await lockTicket(em, ticketId);
      if (!canRate(ticket.status, await em.getRepository(TicketEvent).findByTickets([ticketId]))) {
        throw invalidTransition('这次处理已经评价过了，或工单还没有解决', 'This resolution was rated already, or the ticket is not resolved', { from: ticket.status });
      }
      const event: EventData = { type: TicketEventType.RATED, to: String(score), note };
      return { ticket, events: await recordEvents(em, ticket, await customerActor(em, ticket), this.clock.now(), [event]) };
    }));
  }

  /** Moves the deadline of an open ticket; its reminders follow the new deadline. */
  changeDeadline(actor: Actor, ticketId: number, deadline: Date, note?: string | null): Promise<TicketChange> {
    const validNote = validateNote(note);
    return committed(this.commits, inTransaction(this.orm, async (em) => {
      const current = await getTicket(em, ticketId);
      const now = this.clock.now();
      if (!isOpen(current.status)) {
        throw invalidTransition(
          `工单已是「${STATUS_LABEL[current.status]}」状态，不能再修改处理期限`,
          `The deadline of a ${current.status} ticket cannot be changed`,
          { field: 'deadline', from: current.status },
        );
      }
      const ticket = await updateTicket(em, current, { deadline: validateExplicitDeadline(deadline, now) }, now);
      const event: EventData = { type: TicketEventType.DEADLINE_CHANGED, from: current.deadline.toISOString(), to: ticket.deadline.toISOString(), note: validNote };
      return { ticket, events: await recordEvents(em, ticket, actor, now, [event]) };
    }));
  }
}
