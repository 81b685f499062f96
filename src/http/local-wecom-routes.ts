import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { parseInput, wecomUserId } from '../domain/input-validation.js';
import { LOCAL_APP, LOCAL_BOT_NAME, LOCAL_GROUPS, LOCAL_STAFF, type LocalWecom } from '../local-wecom/local-wecom.js';
import type { DeliveredCallback } from '../local-wecom/long-connection-server.js';
import { sendHttpError } from './http-errors.js';
import { findUp, pageHeaders, staticFiles } from './static-files.js';

const PAGE_DIR = findUp(path.dirname(fileURLToPath(import.meta.url)), 'public/dev-wecom');
const CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STAFF_IDS = new Set<string>(LOCAL_STAFF.map((s) => s.userId));
const GROUP_IDS = new Set<string>(LOCAL_GROUPS.map((g) => g.chatId));

const localGroup = z.string().refine((id) => GROUP_IDS.has(id), { message: '本地企业微信没有这个群', params: { en: 'No such group in the local WeCom' } });
const localStaff = wecomUserId.refine((id) => STAFF_IDS.has(id), { message: '本地企业微信没有这位员工', params: { en: 'No such staff member in the local WeCom' } });

// Within the server's body limit (256 KB), so a long text gets this route's answer.
const localMessage = z.object({
  chatId: localGroup.optional(),
  userId: localStaff,
  text: z.string().max(50_000),
  quote: z.string().max(20_000).optional(),
});

/** A click on a card's button: the card by its task_id (reference 1.11's characters and length), the button by its key (≤ 1 024 bytes, 1.14). */
const localCardClick = z.object({
  chatId: localGroup.optional(),
  userId: localStaff,
  taskId: z.string().regex(/^[0-9A-Za-z_\-@]{1,128}$/),
  eventKey: z.string().min(1).refine((key) => Buffer.byteLength(key, 'utf8') <= 1024, { message: '按钮的 key 过长', params: { en: 'The button key is too long' } }),
});

/**
 * /dev/wecom: the local WeCom in a browser. Pick a staff member and a group, type, and see the
 * bot's replies and cards as WeCom would show them (a card's buttons click as that member), the
 * group robot webhook's messages in their group, and the self-built app's private messages to the
 * chosen member. JSON under /dev/wecom/api; changes stream as server-sent events (a conversation
 * as the default event, `webhook` and `app` messages as events of those names), so the page shows a
 * reply's stream filling in and a clicked card changing in place.
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
    res.json({
      bot: { name: LOCAL_BOT_NAME, connected: wecom.connected },
      groups: LOCAL_GROUPS,
      staff: LOCAL_STAFF,
      // Everyone in the fake WeCom's directory (a second 李四 too), so every mention has a name.
      directory: wecom.directory(),
      // Whether the service sends through the local webhook and app (not when real ones are configured).
      channels: { webhook: wecom.channels.webhook, app: wecom.channels.app ? { name: LOCAL_APP.name } : null },
      conversations: wecom.conversations(),
      webhookMessages: wecom.webhookMessages(),
      appMessages: wecom.appMessages(),
    });
  });
  // A staff member's message, or their click on a card's button, as WeCom would deliver it to the bot.
  router.post('/api/messages', (req, res) => deliver(res, () => parseInput(localMessage, req.body ?? {}), (message) => wecom.send(message)));
  router.post('/api/card-clicks', (req, res) => deliver(res, () => parseInput(localCardClick, req.body ?? {}), (click) => wecom.clickCard(click)));
  /** 202 with what was delivered; 400 for input the local WeCom has no such thing for; 503 while the bot is not connected. */
  function deliver<T>(res: express.Response, parse: () => T, delivery: (input: T) => DeliveredCallback): void {
    try {
      const input = parse();
      if (!wecom.connected) {
        sendHttpError(res, 503, 'BOT_NOT_CONNECTED', { zh: '机器人尚未连上本地企业微信，请稍候再试', en: 'The bot is not connected to the local WeCom yet; try again shortly' });
        return;
      }
      res.status(202).json(delivery(input));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendHttpError(res, 400, error.code, error.text);
    }
  }
  router.get('/api/events', (req, res) => {
    pageHeaders(res, CONTENT_SECURITY_POLICY);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const stop = wecom.onChange((conversation) => res.write(`data: ${JSON.stringify(conversation)}\n\n`));
    const stopMessages = wecom.onChannelMessage((change) => res.write(`event: ${change.type}\ndata: ${JSON.stringify(change.message)}\n\n`));
    streams.add(res);
    req.on('close', () => {
      stop();
      stopMessages();
      streams.delete(res);
    });
  });
  router.use(staticFiles(PAGE_DIR, CONTENT_SECURITY_POLICY));
  // Open event streams never end by themselves: the server's shutdown would wait for them forever.
  return { router, close: () => streams.forEach((res) => res.end()) };
}
