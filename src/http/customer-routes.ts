import express, { type Router } from 'express';
import type { TokenVerifier } from '../auth/tokens.js';
import { formatChinaIso } from '../chat/china-time.js';
import { customerSummary, type CustomerSummary } from '../customers/customer-summary.js';
import { parseCustomerId } from '../domain/ids.js';
import type { Orm } from '../db/orm.js';
import { answerAppError, staffOf } from './staff-routes.js';


/** The brief's JSON: snake_case, statuses in lower case, times in China time with their offset, the assignee by name. */
export function summaryJson(summary: CustomerSummary) {
  const { id, name, phone, company } = summary.customer;
  return {
    customer: { id, name, phone, company },
    total_tickets: summary.totalTickets,
    pending_tickets: summary.pendingTickets,
    resolved_tickets: summary.resolvedTickets,
    recent_tickets: summary.recentTickets.map((t) => ({
      id: t.id,
      title: t.title,
      status: t.status.toLowerCase(),
      progress: t.progress,
      created_at: formatChinaIso(t.createdAt),
      assigned_to: t.assignedToName ?? t.assignedTo,
    })),
    products: summary.products,
    customer_since: formatChinaIso(summary.customerSince),
  };
}

/** `GET /api/customers/{id}/tickets/summary`, as the brief shows it, for any staff token. */
export function customerRoutes(deps: { readonly orm: Orm; readonly tokens: TokenVerifier }): Router {
  const router = express.Router();
  router.get('/api/customers/:id/tickets/summary', async (req, res, next) => {
    try {
      await staffOf(req, deps.tokens);
      res.json(summaryJson(await customerSummary(deps.orm.em.fork(), parseCustomerId(req.params.id))));
    } catch (error) {
      answerAppError(error, res, next);
    }
  });
  return router;
}
