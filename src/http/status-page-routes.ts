import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { Orm } from '../db/orm.js';
import { TicketEvent } from '../db/entities/index.js';
import { customerTicketView, parseRatingScore } from '../domain/customer-view.js';
import { languageOf } from '../domain/language.js';
import { AppError } from '../domain/errors.js';
import { STATUS_LINK_PATH } from '../domain/status-link.js';
import type { Logger } from '../logger.js';
import type { StatusLinks } from '../tickets/status-links.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { getTicket } from '../tickets/ticket-queries.js';
import { findUp, privateLinkHeaders, staticFiles } from './static-files.js';
import { renderStatusPage, renderStatusRefusal, type StatusPageOptions, type StatusPageRefusal } from './status-page.js';

const ASSETS_DIR = findUp(path.dirname(fileURLToPath(import.meta.url)), 'public/status');

/** Its own script and styles, forms to itself, polls to itself: nothing else. */
export const STATUS_PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STATUS_PAGE_HEADERS = privateLinkHeaders(STATUS_PAGE_CSP);

const REFUSAL_STATUS: Readonly<Record<StatusPageRefusal, number>> = { forged: 403, revoked: 410, gone: 404, unavailable: 500 };
/** Room for 2,000 Chinese characters in each field, percent-encoded (9 bytes each). */
const FORM_BODY_LIMIT = '64kb';

export interface StatusPageDeps {
  readonly orm: Orm;
  readonly links: StatusLinks;
  readonly tickets: TicketService;
  readonly logger: Logger;
}

/** The language a page request or a form asks for. */
const requestLanguage = (req: Request) => languageOf(req.query['lang'] ?? (req.body as Record<string, unknown> | undefined)?.['lang']);
const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/**
 * The customer's status page and what it posts: GET /support/status/<token> (HTML), …/state (the
 * time of the last change, polled by the page), POST …/notes (仍未解决？补充说明) and …/rating.
 * Forms answer with a redirect back (303), or the page again with the message and what was typed.
 */
export function statusPageRoutes(deps: StatusPageDeps): Router {
  const router = express.Router();
  const base = STATUS_LINK_PATH.replace(/\/$/, '');
  const send = (res: Response, status: number, markup: string) => res.status(status).set(STATUS_PAGE_HEADERS).type('html').send(markup);

  /** The ticket the request's link opens, or the refusal already sent. */
  const opened = async (req: Request, res: Response, answer: 'html' | 'json', token: unknown = req.params['token']): Promise<number | null> => {
    const opening = await deps.links.open(deps.orm.em.fork(), token);
    if (opening.ok) return opening.ticketId;
    const reason: StatusPageRefusal = opening.reason === 'revoked' ? 'revoked' : 'forged';
    deps.logger.info({ reason: opening.reason }, 'status link refused');
    if (answer === 'json') res.status(REFUSAL_STATUS[reason]).set(STATUS_PAGE_HEADERS).json({ errors: [{ message: reason, extensions: { code: reason === 'revoked' ? 'LINK_REVOKED' : 'FORBIDDEN' } }] });
    else send(res, REFUSAL_STATUS[reason], renderStatusRefusal(reason, requestLanguage(req)));
    return null;
  };

  const view = async (ticketId: number) => {
    const em = deps.orm.em.fork();
    const ticket = await getTicket(em, ticketId);
    return customerTicketView(ticket, await em.getRepository(TicketEvent).findByTickets([ticketId]));
  };

  const page = async (req: Request, res: Response, status: number, options: StatusPageOptions, token: string = String(req.params['token'])) => {
    const ticketId = await opened(req, res, 'html', token);
    if (ticketId === null) return;
    try {
      send(res, status, renderStatusPage(await view(ticketId), token, options));
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return send(res, 404, renderStatusRefusal('gone', options.lang));
      throw error;
    }
  };
  /** A page route's failure is a page too (never JSON or a stack trace). */
  const unavailable = (req: Request, res: Response) => (error: unknown) => {
    deps.logger.error({ err: error }, 'status page failed');
    if (!res.headersSent) send(res, 500, renderStatusRefusal('unavailable', requestLanguage(req)));
  };

  /** Runs a form's change; back to the page (303) when done, the page with the message when refused. */
  const formPost = (form: 'note' | 'rating', change: (req: Request, ticketId: number) => Promise<unknown>) => async (req: Request, res: Response) => {
    const lang = requestLanguage(req);
    const ticketId = await opened(req, res, 'html');
    if (ticketId === null) return;
    try {
      await change(req, ticketId);
      res.redirect(303, `${base}/${String(req.params['token'])}?done=${form}${lang === 'en' ? '&lang=en' : ''}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const message = lang === 'en' ? error.text.en : error.text.zh;
      await page(req, res, 400, { lang, error: { form, message, note: field(req, 'note'), comment: field(req, 'comment') } });
    }
  };

  router.use(`${base}/assets`, staticFiles(ASSETS_DIR, STATUS_PAGE_CSP));
  router.get(`${base}/:token`, (req, res) => {
    const done = req.query['done'];
    page(req, res, 200, { lang: requestLanguage(req), ...(done === 'note' || done === 'rating' ? { done } : {}) }).catch(unavailable(req, res));
  });
  router.get(`${base}/:token/state`, async (req, res, next) => {
    try {
      const ticketId = await opened(req, res, 'json');
      if (ticketId !== null) res.set(STATUS_PAGE_HEADERS).json({ updated: (await view(ticketId)).lastUpdatedAt.toISOString() });
    } catch (error) {
      next(error);
    }
  });
  const forms = express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT });
  router.post(`${base}/:token/notes`, forms, (req, res) => {
    formPost('note', async (r, ticketId) => deps.tickets.addCustomerNote(ticketId, field(r, 'note')))(req, res).catch(unavailable(req, res));
  });
  router.post(`${base}/:token/rating`, forms, (req, res) => {
    formPost('rating', (r, ticketId) => deps.tickets.rateResolution(ticketId, parseRatingScore(field(r, 'score')) ?? 0, field(r, 'comment')))(req, res).catch(unavailable(req, res));
  });
  // A form body too large or garbled: the page again, saying so in the form (not the API's JSON).
  const formBodyErrors: ErrorRequestHandler = (error: unknown, req, res, next) => {
    const type = (error as { type?: unknown })?.type;
    const form = /^\/support\/status\/([^/]+)\/(notes|rating)$/.exec(req.path);
    if (!form || typeof type !== 'string' || res.headersSent) return next(error);
    const tooLarge = type === 'entity.too.large';
    const lang = requestLanguage(req);
    const message = tooLarge ? (lang === 'en' ? 'That is too long: shorten it and send it again.' : '内容太长，请精简后再提交') : lang === 'en' ? 'The form could not be read: please fill it in again.' : '提交的内容无法读取，请重新填写';
    page(req, res, tooLarge ? 413 : 400, { lang, error: { form: form[2] === 'rating' ? 'rating' : 'note', message } }, form[1]!).catch(unavailable(req, res));
  };
  router.use(formBodyErrors);
  return router;
}
