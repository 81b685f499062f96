import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { AppError, ErrorCode, type ErrorMessage } from '../domain/errors.js';
import { languageOf, type Language } from '../domain/language.js';
import { submissionFromForm, type SubmissionInput } from '../domain/website-submission.js';
import type { Logger } from '../logger.js';
import type { WebsiteSubmissions } from '../tickets/website-submission.js';
import { findUp, staticFiles } from './static-files.js';
import { renderSubmitted, renderSupportForm, SUPPORT_PATH } from './support-page.js';

const PAGE_DIR = findUp(path.dirname(fileURLToPath(import.meta.url)), 'public/support');

/** No script, no frames, nothing from elsewhere; the form posts only back here. */
export const SUPPORT_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SUPPORT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': SUPPORT_PAGE_CSP,
  'Referrer-Policy': 'no-referrer',
  // The answers carry a ticket number (and maybe its status link): no cache keeps them.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** A form's fields are a few KB at most (the problem text is limited to 5,000 characters). */
const FORM_BODY_LIMIT = '32kb';

const STATUS_OF: Partial<Record<string, number>> = { [ErrorCode.BAD_USER_INPUT]: 400, [ErrorCode.SUBMISSION_REFUSED]: 400, [ErrorCode.RATE_LIMITED]: 429 };

export interface SupportRoutesDeps {
  readonly submissions: Pick<WebsiteSubmissions, 'submit' | 'knownProducts'>;
  readonly logger: Logger;
  /** The ticket's private status link, shown on the answer. */
  readonly statusLinkFor: (ticketId: number) => Promise<string>;
}

function sendPage(res: Response, status: number, markup: string): void {
  res.status(status).set(SUPPORT_PAGE_HEADERS).type('html').send(markup);
}

/**
 * The customer portal: GET /support is the form, POST /support (a plain urlencoded form post, no
 * script needed) submits it through the same use case as Mutation.submitTicket and answers with a
 * page: the ticket number, or the form again with what was typed and why it was refused. Mounted
 * before the JSON-only rule of the rest of the service.
 */
export function supportRoutes(deps: SupportRoutesDeps): Router {
  const router = express.Router();
  router.use(`${SUPPORT_PATH}/assets`, staticFiles(PAGE_DIR, SUPPORT_PAGE_CSP));

  const products = async (): Promise<string[]> => {
    try {
      return await deps.submissions.knownProducts();
    } catch (error) {
      // The list is a convenience: the form works without it.
      deps.logger.warn({ err: error }, 'products for the support form unavailable');
      return [];
    }
  };
  const refuse = async (res: Response, status: number, lang: Language, values: SubmissionInput, error: { code: string; text: ErrorMessage; field?: string }) => {
    sendPage(res, status, renderSupportForm({ lang, products: await products(), values, error }));
  };

  router.get(SUPPORT_PATH, async (req, res) => {
    sendPage(res, 200, renderSupportForm({ lang: languageOf(req.query['lang']), products: await products() }));
  });

  router.post(SUPPORT_PATH, express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT, parameterLimit: 20 }), async (req: Request, res) => {
    const lang = languageOf((req.body as Record<string, unknown> | undefined)?.['lang']);
    const values = submissionFromForm(req.body);
    try {
      const ticket = await deps.submissions.submit(values, { ip: req.ip ?? 'unknown' });
      sendPage(res, ticket.duplicate ? 200 : 201, renderSubmitted(lang, ticket, await deps.statusLinkFor(ticket.id)));
    } catch (error) {
      if (!(error instanceof AppError)) {
        deps.logger.error({ err: error }, 'website submission failed');
        return refuse(res, 500, lang, values, { code: 'INTERNAL_SERVER_ERROR', text: { zh: '服务器暂时无法处理，请稍后再试，或直接联系客服。', en: 'The service could not take it right now: try again later, or contact support directly.' } });
      }
      const retryAfter = error.details['retryAfterSeconds'];
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      const field = typeof error.details['field'] === 'string' ? (error.details['field'] as string) : undefined;
      await refuse(res, STATUS_OF[error.code] ?? 400, lang, values, { code: error.code, text: error.text, field });
    }
  });

  // A body too large or garbled for the form: the form again, saying so (not the API's JSON).
  const formBodyErrors: ErrorRequestHandler = (error: unknown, req, res, next) => {
    const type = (error as { type?: unknown })?.type;
    if (req.path !== SUPPORT_PATH || typeof type !== 'string' || res.headersSent) return next(error);
    const tooLarge = type === 'entity.too.large';
    void refuse(res, tooLarge ? 413 : 400, 'zh', {}, {
      code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
      text: tooLarge ? { zh: '提交的内容过多，请精简问题描述后重试。', en: 'Too much was sent: shorten the problem and try again.' } : { zh: '提交的内容无法读取，请重新填写。', en: 'The form could not be read: please fill it in again.' },
    });
  };
  router.use(formBodyErrors);
  return router;
}
