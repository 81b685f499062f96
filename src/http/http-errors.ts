import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ErrorMessage } from '../domain/errors.js';
import type { Logger } from '../logger.js';

/** Codes of errors raised at the HTTP edge, before a request reaches the API. */
export const HttpErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

/**
 * An error in the GraphQL over HTTP response format, so every client parses one shape:
 * `{ errors: [{ message, extensions: { code, messageZh, messageEn } }] }`.
 */
export function errorBody(code: string, text: ErrorMessage, details: Record<string, unknown> = {}) {
  return { errors: [{ message: `${text.zh} (${text.en})`, extensions: { code, messageZh: text.zh, messageEn: text.en, ...details } }] };
}

export function sendHttpError(res: Response, status: number, code: string, text: ErrorMessage): void {
  res.status(status).type('application/json').json(errorBody(code, text));
}

/** body-parser's error types (https://github.com/expressjs/body-parser#errors), in the users' words. */
const BODY_ERRORS: Record<string, { status: number; code: string; text: (limit?: number) => ErrorMessage }> = {
  'entity.parse.failed': { status: 400, code: HttpErrorCode.BAD_REQUEST, text: () => ({ zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' }) },
  'entity.too.large': {
    status: 413,
    code: HttpErrorCode.PAYLOAD_TOO_LARGE,
    text: (limit) => ({ zh: `请求体过大（上限 ${Math.round((limit ?? 0) / 1024)} KB）`, en: `The request body is too large (limit ${Math.round((limit ?? 0) / 1024)} KB)` }),
  },
  'encoding.unsupported': { status: 415, code: HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, text: () => ({ zh: '不支持的内容编码', en: 'Unsupported content encoding' }) },
  'charset.unsupported': { status: 415, code: HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, text: () => ({ zh: '不支持的字符集，请使用 UTF-8', en: 'Unsupported charset: send UTF-8' }) },
  'request.aborted': { status: 400, code: HttpErrorCode.BAD_REQUEST, text: () => ({ zh: '请求在传输中被中断', en: 'The request was aborted' }) },
  'request.size.invalid': { status: 400, code: HttpErrorCode.BAD_REQUEST, text: () => ({ zh: '请求体长度与 Content-Length 不符', en: 'The request body does not match its Content-Length' }) },
};

/**
 * POST bodies must be JSON. Without this, a form or text body would reach the route with no
 * body at all and be answered with a message meant for developers.
 */
export function requireJsonBody(): RequestHandler {
  return (req, res, next) => {
    // A request without a body (req.is() is then null, or it says Content-Length: 0) is the route's to answer.
    const bodiless = req.headers['content-length'] === '0' || req.is('application/json') === null;
    if (req.method !== 'POST' || bodiless || req.is('application/json')) return next();
    sendHttpError(res, 415, HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, {
      zh: `请求体须为 JSON（Content-Type: application/json），收到 ${req.headers['content-type'] ?? '无 Content-Type'}`,
      en: `The body must be JSON (Content-Type: application/json); got ${req.headers['content-type'] ?? 'no Content-Type'}`,
    });
  };
}

/** Any path nothing answers: JSON, not Express's HTML page. */
export function notFoundAsJson(): RequestHandler {
  return (req, res) => {
    sendHttpError(res, 404, HttpErrorCode.NOT_FOUND, { zh: `没有这个地址：${req.method} ${req.path}`, en: `Nothing here: ${req.method} ${req.path}` });
  };
}

/** The last handler: malformed bodies get a coded JSON error; anything else is logged and never shows its stack. */
export function errorsAsJson(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: unknown })?.type;
    const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
    if (known) return sendHttpError(res, known.status, known.code, known.text((error as { limit?: number }).limit));
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendHttpError(res, 500, HttpErrorCode.INTERNAL_SERVER_ERROR, { zh: '服务器内部错误', en: 'Internal server error' });
  };
}
