import type { Language } from './language.js';
import type { TicketEventRecord, TicketRecord } from './records.js';
import { CommentVisibility } from './ticket-comment.js';
import { CUSTOMER_ACTOR_ID, TicketEventType } from './ticket-event.js';
import { TicketStatus } from './ticket-status.js';

/**
 * What a customer may see of their ticket on its status page: where it stands in plain words,
 * and the public part of its history — what happened to it, staff's replies to them, and what
 * they wrote themselves. Never internal notes, the notes staff keep with a change, who in staff
 * did what (names or userids), reminders, deadlines, or anything about other tickets. Pure.
 */

/** The status in the customer's words (已受理 / 处理中 / 已升级处理 / 已解决 / 已关闭). */
export const CUSTOMER_STATUS_WORDS: Readonly<Record<TicketStatus, Readonly<Record<Language, string>>>> = {
  [TicketStatus.PENDING]: { zh: '已受理', en: 'Received' },
  [TicketStatus.ASSIGNED]: { zh: '已受理', en: 'Received' },
  [TicketStatus.PROCESSING]: { zh: '处理中', en: 'In progress' },
  [TicketStatus.ESCALATED]: { zh: '已升级处理', en: 'Escalated' },
  [TicketStatus.RESOLVED]: { zh: '已解决', en: 'Resolved' },
  [TicketStatus.CLOSED]: { zh: '已关闭', en: 'Closed' },
  [TicketStatus.CANCELLED]: { zh: '已取消', en: 'Cancelled' },
};

export type CustomerHistoryEntry =
  | { readonly kind: 'received'; readonly at: Date }
  | { readonly kind: 'assigned'; readonly at: Date }
  | { readonly kind: 'status'; readonly at: Date; readonly status: TicketStatus }
  | { readonly kind: 'progress'; readonly at: Date; readonly progress: number }
  | { readonly kind: 'reply'; readonly at: Date; readonly body: string }
  | { readonly kind: 'customerNote'; readonly at: Date; readonly body: string }
  | { readonly kind: 'rating'; readonly at: Date; readonly score: number; readonly comment: string | null };

export interface CustomerTicketView {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly status: TicketStatus;
  readonly progress: number;
  readonly createdAt: Date;
  /** The time of the latest entry the customer can see (an internal note moves nothing here). */
  readonly lastUpdatedAt: Date;
  /** Oldest first. */
  readonly history: readonly CustomerHistoryEntry[];
  /** Resolved, and not yet rated since it was last resolved. */
  readonly canRate: boolean;
  /** Anything but cancelled: 仍未解决？补充说明. */
  readonly canAddNote: boolean;
}

const SHOWN_STATUSES: ReadonlySet<string> = new Set([TicketStatus.PROCESSING, TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED, TicketStatus.ESCALATED]);

function entryOf(event: TicketEventRecord, assignedBefore: boolean): CustomerHistoryEntry | null {
  const at = event.createdAt;
  switch (event.type) {
    case TicketEventType.CREATED:
      return { kind: 'received', at };
    case TicketEventType.ASSIGNED:
      // Handing over between staff is internal; that someone took it on is not.
      return assignedBefore ? null : { kind: 'assigned', at };
    case TicketEventType.STATUS_CHANGED:
    case TicketEventType.ESCALATED:
      return event.toValue && SHOWN_STATUSES.has(event.toValue) ? { kind: 'status', at, status: event.toValue as TicketStatus } : null;
    case TicketEventType.PROGRESS_CHANGED:
      return { kind: 'progress', at, progress: Number(event.toValue ?? 0) };
    case TicketEventType.COMMENTED:
      return event.toValue === CommentVisibility.PUBLIC && event.note ? { kind: 'reply', at, body: event.note } : null;
    case TicketEventType.CUSTOMER_NOTE:
      return event.actorId === CUSTOMER_ACTOR_ID && event.note ? { kind: 'customerNote', at, body: event.note } : null;
    case TicketEventType.RATED:
      return event.actorId === CUSTOMER_ACTOR_ID ? { kind: 'rating', at, score: Number(event.toValue), comment: event.note } : null;
    default:
      return null;
  }
}

/** Whether the ticket is resolved (or closed after it) and nobody rated it since it was last resolved. */
export function canRate(status: TicketStatus, events: readonly TicketEventRecord[]): boolean {
  if (status !== TicketStatus.RESOLVED && status !== TicketStatus.CLOSED) return false;
  const lastResolved = events.findLastIndex((e) => e.type === TicketEventType.STATUS_CHANGED && e.toValue === TicketStatus.RESOLVED);
  return lastResolved >= 0 && !events.slice(lastResolved + 1).some((e) => e.type === TicketEventType.RATED);
}

/** The customer's view of a ticket and its events (oldest first). */
export function customerTicketView(ticket: TicketRecord, events: readonly TicketEventRecord[]): CustomerTicketView {
  const history: CustomerHistoryEntry[] = [];
  let assigned = false;
  for (const event of events) {
    const entry = entryOf(event, assigned);
    if (event.type === TicketEventType.ASSIGNED) assigned = true;
    // Progress that moved with the status in one change (已解决 → 100%) says nothing more.
    const withStatus = entry?.kind === 'progress' && history.at(-1)?.kind === 'status' && history.at(-1)!.at.getTime() === entry.at.getTime();
    if (entry && !withStatus) history.push(entry);
  }
  return {
    id: ticket.id,
    title: ticket.title,
    description: ticket.description,
    status: ticket.status,
    progress: ticket.progress,
    createdAt: ticket.createdAt,
    lastUpdatedAt: history.at(-1)?.at ?? ticket.createdAt,
    history,
    canRate: canRate(ticket.status, events),
    canAddNote: ticket.status !== TicketStatus.CANCELLED,
  };
}

/** A rating's score, 1–5, from what a form sent; null when it is not one. */
export function parseRatingScore(value: unknown): number | null {
  const score = typeof value === 'string' && /^[1-5]$/.test(value.trim()) ? Number(value.trim()) : typeof value === 'number' ? value : NaN;
  return Number.isInteger(score) && score >= 1 && score <= 5 ? score : null;
}
