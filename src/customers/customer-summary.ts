import type { EntityManager } from '@mikro-orm/postgresql';
import type { CustomerRecord, TicketRecord } from '../domain/records.js';
import { OPEN_STATUSES, TicketStatus } from '../domain/ticket-status.js';
import { Ticket } from '../db/entities/index.js';
import { getCustomerRecord } from './customer-queries.js';

/** Newest tickets a summary lists (the brief's 最近5个工单). */
export const SUMMARY_RECENT_TICKETS = 5;

/** A customer's history at a glance: who, how many tickets in which state, the latest, the products. */
export interface CustomerSummary {
  readonly customer: CustomerRecord;
  readonly totalTickets: number;
  /** Every open state (pending, assigned, processing, escalated). */
  readonly pendingTickets: number;
  /** Resolved and closed. */
  readonly resolvedTickets: number;
  readonly recentTickets: readonly TicketRecord[];
  /** The distinct products of their tickets, the most recently reported first. */
  readonly products: readonly string[];
  readonly customerSince: Date;
}

const RESOLVED_STATUSES: readonly TicketStatus[] = [TicketStatus.RESOLVED, TicketStatus.CLOSED];

/** One read of the counts and products (the tickets_customer index), one of the latest tickets. */
export async function customerSummary(em: EntityManager, customerId: number): Promise<CustomerSummary> {
  const customer = await getCustomerRecord(em, customerId);
  const counts = await em.getRepository(Ticket).customerCounts(customerId, { pending: OPEN_STATUSES, resolved: RESOLVED_STATUSES });
  const recentTickets = await em.getRepository(Ticket).findRecentByCustomers([customerId], SUMMARY_RECENT_TICKETS);
  return {
    customer,
    totalTickets: counts.total,
    pendingTickets: counts.pending,
    resolvedTickets: counts.resolved,
    recentTickets,
    products: counts.products,
    customerSince: customer.createdAt,
  };
}
