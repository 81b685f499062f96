import express, { type Router } from 'express';
import { bearerToken, type TokenVerifier } from '../auth/tokens.js';
import { formatChinaIso } from '../chat/china-time.js';
import { customerSummary, type CustomerSummary } from '../customers/customer-summary.js';
import { AppError, ErrorCode, unauthenticated } from '../domain/errors.js';
import { parseCustomerId } from '../domain/ids.js';
import type { Orm } from '../db/orm.js';
import { sendHttpError } from './http-errors.js';

const STATUS: Partial<Record<string, number>> = { [ErrorCode.UNAUTHENTICATED]: 401, [ErrorCode.FORBIDDEN]: 403, [ErrorCode.NOT_FOUND]: 404 };

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
      const token = bearerToken(req.headers.authorization);
      if (token === undefined) throw unauthenticated('请先登录：需要员工令牌（Authorization: Bearer …）', 'Authentication required: send a staff bearer token');
      await deps.tokens.verify(token);
      res.json(summaryJson(await customerSummary(deps.orm.em.fork(), parseCustomerId(req.params.id))));
    } catch (error) {
      if (!(error instanceof AppError)) return next(error);
      sendHttpError(res, STATUS[error.code] ?? 400, error.code, error.text);
    }
  });
  return router;
}
