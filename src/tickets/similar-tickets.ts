import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../domain/errors.js';
import { anyTermQuery, planSimilaritySearch, problemTerms } from '../domain/problem-terms.js';
import type { TicketRecord } from '../domain/records.js';
import { TicketStatus } from '../domain/ticket-status.js';
import { ProblemTermCount, Ticket, TicketEvent } from '../db/entities/index.js';

/** How many similar tickets a search returns unless asked otherwise, and at most. */
export const SIMILAR_LIMIT = { default: 5, max: 20 } as const;
/** Longer texts are cut: the start of a problem says what it is. */
const TEXT_CHARS = 2000;

export interface SimilarTicket {
  readonly ticket: TicketRecord;
  /** 0–1: the share of the query's weight (rare terms weigh more) found in the ticket. */
  readonly score: number;
  /** How it was resolved: the note given when it last became resolved, if any. */
  readonly resolution: { readonly note: string; readonly at: Date; readonly by: string } | null;
}

export interface SimilarQuery {
  readonly text: string;
  /** Only this customer's tickets. */
  readonly customerId?: number | null;
  /** Only tickets before this one (a new ticket looking for its predecessors). */
  readonly beforeId?: number | null;
  readonly limit?: number | null;
}

/** Earlier tickets whose problem resembles the text, best first; never cancelled ones. */
export async function findSimilarTickets(em: EntityManager, query: SimilarQuery): Promise<SimilarTicket[]> {
  const limit = similarLimit(query.limit);
  const terms = problemTerms(query.text.slice(0, TEXT_CHARS));
  if (terms.length === 0) return [];
  const { counts, tickets } = await em.getRepository(ProblemTermCount).countsOf(terms);
  const plan = planSimilaritySearch(terms, (term) => counts.get(term) ?? 0, tickets);
  // One customer's tickets are few: any shared term finds them all.
  const queries = query.customerId ? [anyTermQuery(terms)!] : plan.candidateQueries;
  const found = new Map<number, { ticket: TicketRecord; score: number }>();
  for (const candidateQuery of queries) {
    if (found.size >= limit) break;
    const more = await em.getRepository(Ticket).findSimilar(plan, candidateQuery, { customerId: query.customerId, beforeId: query.beforeId, limit });
    for (const match of more) found.set(match.ticket.id, match);
  }
  // Stable: equal scores keep the order the statements gave them (shorter text, then newer).
  const best = [...found.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  const notes = await em.getRepository(TicketEvent).latestNotesOnReaching(TicketStatus.RESOLVED, best.map((f) => f.ticket.id));
  return best.map(({ ticket, score }) => {
    const note = notes.get(ticket.id);
    return { ticket, score, resolution: note?.note ? { note: note.note, at: note.createdAt, by: note.actorName ?? note.actorId } : null };
  });
}

function similarLimit(limit: number | null | undefined): number {
  if (limit === null || limit === undefined) return SIMILAR_LIMIT.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > SIMILAR_LIMIT.max) {
    throw badInput(`数量（limit）必须在 1 到 ${SIMILAR_LIMIT.max} 之间，收到 ${limit}`, `limit must be between 1 and ${SIMILAR_LIMIT.max}, got ${limit}`, { field: 'limit' });
  }
  return limit;
}
