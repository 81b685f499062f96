import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';
import type { Clock } from '../clock.js';
import type { Orm } from '../db/orm.js';
import { DETAIL_LINK_PATH, type DetailLinkSigner } from '../domain/detail-link.js';
import type { Logger } from '../logger.js';
import { loadTicketDetail } from '../tickets/ticket-detail.js';
import { findUp, privateLinkHeaders, staticFiles } from './static-files.js';
import { renderRefusalPage, renderTicketPage, type PageRefusal } from './ticket-page.js';

const PAGE_DIR = findUp(path.dirname(fileURLToPath(import.meta.url)), 'public/ticket');

/** No script, no frames, no forms, nothing from elsewhere: the page only needs its own stylesheet. */
export const TICKET_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TICKET_PAGE_HEADERS = privateLinkHeaders(TICKET_PAGE_CSP);

export interface TicketPageDeps {
  readonly orm: Orm;
  readonly links: DetailLinkSigner;
  readonly clock: Clock;
  readonly logger: Logger;
}

const STATUS_OF: Readonly<Record<PageRefusal['reason'], number>> = { malformed: 403, forged: 403, expired: 410, gone: 404, unavailable: 500 };

function sendPage(res: Response, status: number, markup: string): void {
  res.status(status).set(TICKET_PAGE_HEADERS).type('html').send(markup);
}

/**
 * GET /t/:id?exp=…&sig=…: the read-only page a card's signed 查看详情 link opens (no login beyond
 * the signature), and its stylesheet under /t/assets/. These answer HTML, being pages opened in a
 * browser; a refused link gets a page that says why (403 forged or garbled, 410 expired, 404 the
 * ticket is gone), with the same headers.
 */
export function ticketPageRoutes(deps: TicketPageDeps): Router {
  const router = express.Router();
  const refuse = (res: Response, refusal: PageRefusal) => sendPage(res, STATUS_OF[refusal.reason], renderRefusalPage(refusal));
  router.use(`${DETAIL_LINK_PATH}assets`, staticFiles(PAGE_DIR, TICKET_PAGE_CSP));
  router.get(`${DETAIL_LINK_PATH}:id`, async (req, res) => {
    const check = deps.links.verify({ id: req.params['id'], exp: req.query['exp'], sig: req.query['sig'] });
    if (!check.ok) {
      // Never the signature: it is the credential.
      deps.logger.info({ reason: check.reason, ticketId: check.ticketId }, 'detail link refused');
      return refuse(res, { reason: check.reason, ticketId: check.ticketId, ttlMs: deps.links.ttlMs });
    }
    let detail;
    try {
      detail = await loadTicketDetail(deps.orm.em.fork(), check.ticketId);
    } catch (error) {
      deps.logger.error({ err: error, ticketId: check.ticketId }, 'ticket page failed');
      return refuse(res, { reason: 'unavailable' });
    }
    if (!detail) return refuse(res, { reason: 'gone', ticketId: check.ticketId });
    // Links to the customer's other tickets expire with this one: a page never extends its own access.
    const linkTo = (ticketId: number) => deps.links.relativeFor(ticketId, check.expiresAt);
    sendPage(res, 200, renderTicketPage(detail, { now: deps.clock.now(), expiresAt: check.expiresAt, linkTo }));
  });
  return router;
}
