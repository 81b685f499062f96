/** What the audit trail records; every change to a ticket appends exactly one of these. */
export enum TicketEventType {
  CREATED = 'CREATED',
  ASSIGNED = 'ASSIGNED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  PROGRESS_CHANGED = 'PROGRESS_CHANGED',
  ESCALATED = 'ESCALATED',
  REMINDED = 'REMINDED',
  /** The ticket was still open when its deadline passed. */
  DEADLINE_PASSED = 'DEADLINE_PASSED',
  DEADLINE_CHANGED = 'DEADLINE_CHANGED',
  /** A reply to the customer or an internal note (see ticket-comment): the ticket itself is unchanged. */
  COMMENTED = 'COMMENTED',
  /** The customer added to their problem on their status page (仍未解决？补充说明): the note is theirs. */
  CUSTOMER_NOTE = 'CUSTOMER_NOTE',
  /** The customer rated a resolution: to is the score, 1–5, note their comment. */
  RATED = 'RATED',
}

/** Who made a change: a staff member (WeCom userid) or the system itself (reminders, jobs). */
export interface Actor {
  readonly userId: string;
  readonly name?: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: 'system', name: '系统' };

/** The actor id of what a customer does on their status page (their name goes with it). */
export const CUSTOMER_ACTOR_ID = 'customer';

/** Who creates the tickets customers submit on the website (/support, Mutation.submitTicket). */
export const WEBSITE_ACTOR: Actor = { userId: 'website', name: '网站提交' };
