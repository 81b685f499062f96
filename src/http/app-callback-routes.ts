import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ChatCommands } from '../chat-adapter/chat-commands.js';
import { within, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CallbackRefused, type AppCallbackCrypto } from '../wecom/app-callback.js';
import { sendHttpError } from './http-errors.js';

export const APP_CALLBACK_PATH = '/api/wechat/app-callback';

/** WeCom waits 5 s for the answer, then retries (reference 3.5, 3.6): the reply must be out before. */
const REPLY_BUDGET_MS = 4000;
const BODY_LIMIT = '64kb';

const signedQuery = z.object({ msg_signature: z.string().min(1), timestamp: z.string().min(1), nonce: z.string().min(1) });
const verification = signedQuery.extend({ echostr: z.string().min(1) });

export interface AppCallbackDeps {
  readonly crypto: AppCallbackCrypto;
  readonly chat: ChatCommands;
  readonly agentId: number;
  /** Sends an answer that missed the reply window as a private message. */
  readonly sendLater: (userId: string, text: string) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
}

const REFUSALS = {
  query: { status: 400, code: 'BAD_REQUEST', zh: '缺少签名参数（msg_signature、timestamp、nonce）', en: 'The signature parameters (msg_signature, timestamp, nonce) are missing' },
  signature: { status: 401, code: 'INVALID_SIGNATURE', zh: '签名不正确：请求不是来自企业微信', en: 'The signature does not match: the request is not from WeCom' },
  payload: { status: 400, code: 'BAD_REQUEST', zh: '回调内容无法解析', en: 'The callback body cannot be read' },
  receiver: { status: 403, code: 'FORBIDDEN', zh: '回调不是发给本企业的', en: 'The callback is for another corp' },
} as const;

function refuse(res: Response, kind: keyof typeof REFUSALS): void {
  const { status, code, zh, en } = REFUSALS[kind];
  sendHttpError(res, status, code, { zh, en });
}

/**
 * The self-built app's encrypted callback (reference 3): GET verifies the URL, POST carries what a
 * member sends the app in a 1:1 chat. A text message runs as a chat command from its sender, once
 * per MsgId however often WeCom retries, and is answered with an encrypted passive reply within
 * WeCom's 5 s; an answer that takes longer goes as a private message instead.
 */
export function appCallbackRoutes(deps: AppCallbackDeps): Router {
  const router = express.Router();
  router.get(APP_CALLBACK_PATH, (req, res) => {
    const query = verification.safeParse(req.query);
    if (!query.success) return refuse(res, 'query');
    try {
      res.type('text/plain').send(deps.crypto.verifyUrl(query.data));
    } catch (error) {
      answerRefusal(res, error, deps.logger);
    }
  });
  router.post(APP_CALLBACK_PATH, express.text({ type: () => true, limit: BODY_LIMIT }), async (req, res, next) => {
    try {
      await receive(req, res, deps);
    } catch (error) {
      if (error instanceof CallbackRefused) return answerRefusal(res, error, deps.logger);
      next(error);
    }
  });
  return router;
}

async function receive(req: Request, res: Response, deps: AppCallbackDeps): Promise<void> {
  const query = signedQuery.safeParse(req.query);
  if (!query.success) return refuse(res, 'query');
  const message = deps.crypto.readMessage(query.data, typeof req.body === 'string' ? req.body : '');
  const from = message['FromUserName'];
  // Events (entering the app, card clicks) need no answer from this service yet.
  if (message['MsgType'] !== 'text' || !from || !message['MsgId']) {
    res.status(200).send('');
    return;
  }
  const answering = deps.chat.handle({ key: `app:${deps.agentId}:${message['MsgId']}`, sender: { userId: from }, text: message['Content'] ?? '' });
  const answer = await within(answering, REPLY_BUDGET_MS);
  if (answer) {
    res.type('application/xml').send(deps.crypto.textReply(from, answer.text, deps.clock.now()));
    return;
  }
  res.status(200).send('');
  void answering
    .then((late) => (late.duplicate ? undefined : deps.sendLater(from, late.text)))
    .catch((error: unknown) => deps.logger.error({ err: error, userId: from }, 'a late answer to an app message could not be sent'));
}

function answerRefusal(res: Response, error: unknown, logger: Logger): void {
  if (!(error instanceof CallbackRefused)) throw error;
  logger.warn({ reason: error.reason }, `app callback refused: ${error.message}`);
  refuse(res, error.reason);
}
