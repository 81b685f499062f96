import type { EntityManager } from '@mikro-orm/postgresql';
import { findOrCreateCustomer } from '../customers/customer-directory.js';
import { resolveDeadline, type DeadlinePolicy } from '../domain/deadline.js';
import { conflict } from '../domain/errors.js';
import { derivePriority } from '../domain/priority.js';
import type { TicketEventRecord, TicketRecord } from '../domain/records.js';
import { type Actor, TicketEventType } from '../domain/ticket-event.js';
import { validateNewTicket, validateNote, type NewTicket, type NewTicketInput } from '../domain/ticket-input.js';
import { planStatusChange, statusAfterAssignment, TicketStatus } from '../domain/ticket-status.js';
import { Customer, Ticket, TicketEvent } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { PreparedStatements } from '../db/prepared-statements.js';
import type { TicketUpdate } from '../db/repositories/ticket.repository.js';
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
  readonly ticket: TicketRecord;
  readonly events: readonly TicketEventRecord[];
}

/** Told of the events of every change once it has committed (live updates wake on it). */
export interface CommitListener {
  committed(eventIds: readonly string[]): void;
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
 * Each runs as one transaction: the change and its events commit together or not at all.
 */
export class TicketService {
  constructor(
    private readonly orm: Orm,
    private readonly prepared: PreparedStatements,
    private readonly deadlinePolicy: DeadlinePolicy,
    private readonly commits: CommitListener,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Tells the commit listener (live updates) about a change once it has committed. */
  private async committed(change: Promise<TicketChange>): Promise<TicketChange> {
    const done = await change;
    this.commits.committed(done.events.map((event) => event.id));
    return done;
  }

  createTicket(actor: Actor, command: CreateTicketCommand): Promise<TicketChange> {
    return this.committed(this.create(actor, command));
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
      const customer = await findOrCreateCustomer(tx, who, this.now());
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
    const now = this.now();
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

  assignTicket(actor: Actor, ticketId: number, assignee: string, note?: string | null): Promise<TicketChange> {
    const validNote = validateNote(note);
    return this.committed(inTransaction(this.orm, async (em) => {
      const current = await getTicket(em, ticketId);
      const status = statusAfterAssignment(current.status);
      const staff = await resolveStaff(em, assignee);
      const ticket = await this.update(em, current, { assignedTo: staff.userId, assignedToName: staff.name, status });
      const events: EventData[] = [{ type: TicketEventType.ASSIGNED, from: current.assignedTo, to: staff.userId, note: validNote }];
      if (status !== current.status) events.push({ type: TicketEventType.STATUS_CHANGED, from: current.status, to: status });
      return { ticket, events: await this.record(em, ticket, actor, ticket.updatedAt, events) };
    }));
  }

  changeStatus(actor: Actor, ticketId: number, command: StatusChangeCommand): Promise<TicketChange> {
    const note = validateNote(command.note);
    return this.committed(inTransaction(this.orm, async (em) => {
      const current = await getTicket(em, ticketId);
      const next = planStatusChange(current, command.status, { progress: command.progress ?? undefined, now: this.now() });
      const ticket = await this.update(em, current, next);
      const events: EventData[] = [];
      if (next.status !== current.status) {
        const type = next.status === TicketStatus.ESCALATED ? TicketEventType.ESCALATED : TicketEventType.STATUS_CHANGED;
        events.push({ type, from: current.status, to: next.status, note });
      }
      if (next.progress !== current.progress) {
        events.push({ type: TicketEventType.PROGRESS_CHANGED, from: String(current.progress), to: String(next.progress), note });
      }
      return { ticket, events: await this.record(em, ticket, actor, ticket.updatedAt, events) };
    }));
  }

  /** Writes the change unless someone else changed the ticket since it was read. */
  private async update(em: EntityManager, current: TicketRecord, changes: TicketUpdate): Promise<TicketRecord> {
    const updated = await em.getRepository(Ticket).updateIfUnchanged(current.id, current.version, changes, this.now());
    if (!updated) {
      throw conflict(`工单 #${current.id} 已被其他人同时修改，请刷新后重试`, `Ticket #${current.id} was changed concurrently by someone else; reload and retry`, {
        id: current.id,
      });
    }
    return updated;
  }

  private record(em: EntityManager, ticket: TicketRecord, actor: Actor, at: Date, events: readonly EventData[]): Promise<TicketEventRecord[]> {
    return em.getRepository(TicketEvent).append(
      events.map((e) => ({
        ticketId: ticket.id,
        type: e.type,
        actorId: actor.userId,
        actorName: actor.name ?? null,
        fromValue: e.from ?? null,
        toValue: e.to ?? null,
        note: e.note ?? null,
        createdAt: at,
      })),
      ticket,
    );
  }
}
