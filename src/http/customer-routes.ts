import express, { type Request, type Router } from 'express';
import type { TokenVerifier } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import { formatChinaIso } from '../chat/china-time.js';
import { renderCustomerReport } from '../chat/service-report-markdown.js';
import { customerReport } from '../customers/customer-report.js';
import { customerSummary, type CustomerSummary } from '../customers/customer-summary.js';
import { badInput } from '../domain/errors.js';
import { parseCustomerId } from '../domain/ids.js';
import type { CustomerRecord } from '../domain/records.js';
import type { CustomerReport, DurationFigures } from '../domain/service-report.js';
import type { Orm } from '../db/orm.js';
import { answerAppError, staffOf } from './staff-routes.js';

const customerJson = ({ id, name, phone, company }: CustomerRecord) => ({ id, name, phone, company });

/** The brief's JSON: snake_case, statuses in lower case, times in China time with their offset, the assignee by name. */
export function summaryJson(summary: CustomerSummary) {
  return {
    customer: customerJson(summary.customer),
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

const durationJson = (figures: DurationFigures) => ({ tickets: figures.tickets, mean_seconds: figures.meanSeconds, p90_seconds: figures.p90Seconds });

/** The report in the summary's manner: snake_case, statuses and priorities in lower case (as keys, in order), instants in China time. */
export function reportJson(report: CustomerReport) {
  const { from, to, start, end, days } = report.period;
  return {
    customer: customerJson(report.customer),
    period: { from, to, start: formatChinaIso(start), end: formatChinaIso(end), days },
    total_tickets: report.totalTickets,
    by_status: Object.fromEntries(report.byStatus.map(({ status, count }) => [status.toLowerCase(), count])),
    by_priority: Object.fromEntries(report.byPriority.map(({ priority, count }) => [priority.toLowerCase(), count])),
    time_to_assign: durationJson(report.timeToAssign),
    time_to_resolve: durationJson(report.timeToResolve),
    overdue_tickets: report.overdueTickets,
    reminders_sent: report.remindersSent,
    escalations: report.escalations,
    products: report.products.map(({ product, count }) => ({ product, tickets: count })),
  };
}

const MARKDOWN = 'text/markdown';

/** Markdown with `?format=markdown` or when the client prefers it (`Accept: text/markdown`); JSON otherwise. */
function wantsMarkdown(req: Request): boolean {
  const format = req.query['format'];
  if (format === undefined) return req.accepts(['application/json', MARKDOWN]) === MARKDOWN;
  if (format === 'markdown' || format === 'json') return format === 'markdown';
  throw badInput(`不支持的格式「${String(format)}」，可选 json 或 markdown`, `Unsupported format "${String(format)}": use json or markdown`, { field: 'format' });
}

/** A query parameter as text (a repeated one is refused by whoever reads it as a date). */
const queryText = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

/** The customer routes for any staff token: the brief's summary, and the service report. */
export function customerRoutes(deps: { readonly orm: Orm; readonly tokens: TokenVerifier; readonly clock: Clock }): Router {
  const router = express.Router();
  router.get('/api/customers/:id/tickets/summary', async (req, res, next) => {
    try {
      await staffOf(req, deps.tokens);
      res.json(summaryJson(await customerSummary(deps.orm.em.fork(), parseCustomerId(req.params.id))));
    } catch (error) {
      answerAppError(error, res, next);
    }
  });
  // ?from=2026-12-01&to=2026-12-31 (China dates, both included; the last 30 days by default), ?format=markdown.
  router.get('/api/customers/:id/report', async (req, res, next) => {
    try {
      await staffOf(req, deps.tokens);
      const markdown = wantsMarkdown(req);
      const period = { from: queryText(req.query['from']), to: queryText(req.query['to']) };
      const report = await customerReport(deps.orm.em.fork(), parseCustomerId(req.params.id), period, deps.clock.now());
      res.vary('Accept');
      if (markdown) res.type(`${MARKDOWN}; charset=utf-8`).send(renderCustomerReport(report));
      else res.json(reportJson(report));
    } catch (error) {
      answerAppError(error, res, next);
    }
  });
  return router;
}
