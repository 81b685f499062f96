import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../domain/errors.js';
import type { TicketEventRecord, TicketRecord } from '../domain/records.js';
import type { Actor, TicketEventType } from '../domain/ticket-event.js';
import { Ticket, TicketEvent } from '../db/entities/index.js';
import type { TicketUpdate } from '../db/repositories/ticket.repository.js';

/** A committed change: the ticket as it is now and the events that record what happened. */
export interface TicketChange {
  readonly ticket: TicketRecord;
  readonly events: readonly TicketEventRecord[];
}

/** Told of the events of every change once it has committed (live updates and background work wake on it). */
export interface CommitListener {
  committed(eventIds: readonly string[]): void;
}

export interface EventData {
  readonly type: TicketEventType;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly note?: string | null;
}

/**
 * Writes a change to a ticket unless someone else changed it since it was read. Every writer of
 * tickets (the use cases, the deadline job) goes through here and `recordEvents`, in one transaction.
 */
export async function updateTicket(em: EntityManager, current: TicketRecord, changes: TicketUpdate, now: Date): Promise<TicketRecord> {
  const updated = await em.getRepository(Ticket).updateIfUnchanged(current.id, current.version, changes, now);
  if (!updated) {
    throw conflict(`工单 #${current.id} 已被其他人同时修改，请刷新后重试`, `Ticket #${current.id} was changed concurrently by someone else; reload and retry`, {
      id: current.id,
    });
  }
  return updated;
}

/** Appends the events of one change to the audit trail, each with the ticket as the change left it. */
export function recordEvents(em: EntityManager, ticket: TicketRecord, actor: Actor, at: Date, events: readonly EventData[]): Promise<TicketEventRecord[]> {
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

/** Runs a change and, once it has committed, tells the listener about its events. */
export async function committed<T extends { readonly events: readonly TicketEventRecord[] }>(listener: CommitListener, change: Promise<T>): Promise<T> {
  const done = await change;
  listener.committed(done.events.map((event) => event.id));
  return done;
}
