import type { Priority } from './priority.js';
import type { TicketUpdateRecord } from './records.js';
import { TicketEventType } from './ticket-event.js';
import type { TicketStatus } from './ticket-status.js';

/** Which ticket updates a subscriber follows; every given criterion must hold. */
export interface TicketSubscriptionFilter {
  readonly ticketId?: number;
  readonly customerId?: number;
  /** WeCom userid. */
  readonly assignee?: string;
  readonly status?: readonly TicketStatus[];
  readonly priority?: readonly Priority[];
  readonly types?: readonly TicketEventType[];
}

/**
 * Whether a subscriber following `filter` is told of `update`. A change that moves a ticket out
 * of the followed set is still delivered (status or assignee matched before the change), so a
 * "my open tickets" view learns that the ticket left it.
 */
export function matchesSubscription(filter: TicketSubscriptionFilter, { event, ticket }: TicketUpdateRecord): boolean {
  const before = (type: TicketEventType): string | null => (event.type === type ? event.fromValue : null);
  const statusBefore = before(TicketEventType.STATUS_CHANGED) ?? before(TicketEventType.ESCALATED);
  return (
    (filter.ticketId === undefined || ticket.id === filter.ticketId) &&
    (filter.customerId === undefined || ticket.customerId === filter.customerId) &&
    (filter.assignee === undefined || ticket.assignedTo === filter.assignee || before(TicketEventType.ASSIGNED) === filter.assignee) &&
    (filter.status === undefined || filter.status.includes(ticket.status) || filter.status.some((status) => status === statusBefore)) &&
    (filter.priority === undefined || filter.priority.includes(ticket.priority)) &&
    (filter.types === undefined || filter.types.includes(event.type))
  );
}
