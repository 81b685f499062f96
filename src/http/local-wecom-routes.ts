import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { parseInput, wecomUserId } from '../domain/input-validation.js';
import { LOCAL_BOT_NAME, LOCAL_GROUPS, LOCAL_STAFF, type LocalWecom } from '../local-wecom/local-wecom.js';
import { sendHttpError } from './http-errors.js';
import { findUp, pageHeaders, staticFiles } from './static-files.js';

const PAGE_DIR = findUp(path.dirname(fileURLToPath(import.meta.url)), 'public/dev-wecom');
const CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STAFF_IDS = new Set<string>(LOCAL_STAFF.map((s) => s.userId));
const GROUP_IDS = new Set<string>(LOCAL_GROUPS.map((g) => g.chatId));

// Within the server's body limit (256 KB), so a long text gets this route's answer.
const localMessage = z.object({
  chatId: z.string().refine((id) => GROUP_IDS.has(id), { message: '本地企业微信没有这个群', params: { en: 'No such group in the local WeCom' } }).optional(),
  userId: wecomUserId.refine((id) => STAFF_IDS.has(id), { message: '本地企业微信没有这位员工', params: { en: 'No such staff member in the local WeCom' } }),
  text: z.string().max(50_000),
  quote: z.string().max(20_000).optional(),
});

/**
 * /dev/wecom: the local WeCom in a browser. Pick a staff member and a group, type, and see the
 * bot's replies and cards as WeCom would show them. JSON under /dev/wecom/api; changes stream as
 * server-sent events, so the page shows a reply's stream filling in.
 */
export function localWecomRoutes(wecom: LocalWecom): { router: Router; close(): void } {
  const router = express.Router();
  const streams = new Set<express.Response>();
  router.get('/', (req, res, next) => {
    const url = new URL(req.originalUrl, 'http://localhost');
    if (url.pathname.endsWith('/')) return next();
    res.redirect(301, `${url.pathname}/${url.search}`);
  });
  router.get('/api/state', (_req, res) => {
    res.json({ bot: { name: LOCAL_BOT_NAME, connected: wecom.connected }, groups: LOCAL_GROUPS, staff: LOCAL_STAFF, conversations: wecom.conversations() });
  });
  router.post('/api/messages', (req, res) => {
    try {
      const message = parseInput(localMessage, req.body ?? {});
      if (!wecom.connected) {
        sendHttpError(res, 503, 'BOT_NOT_CONNECTED', { zh: '机器人尚未连上本地企业微信，请稍候再试', en: 'The bot is not connected to the local WeCom yet; try again shortly' });
        return;
      }
      res.status(202).json(wecom.send(message));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendHttpError(res, 400, error.code, error.text);
    }
  });
  router.get('/api/events', (req, res) => {
    pageHeaders(res, CONTENT_SECURITY_POLICY);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const stop = wecom.onChange((conversation) => res.write(`data: ${JSON.stringify(conversation)}\n\n`));
    streams.add(res);
    req.on('close', () => {
      stop();
      streams.delete(res);
    });
  });
  router.use(staticFiles(PAGE_DIR, CONTENT_SECURITY_POLICY));
  // Open event streams never end by themselves: the server's shutdown would wait for them forever.
  return { router, close: () => streams.forEach((res) => res.end()) };
}
