import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { TokenVerifier } from '../auth/tokens.js';
import type { ChatCommands } from '../chat-adapter/chat-commands.js';
import { forbidden } from '../domain/errors.js';
import { parseInput, wecomUserId } from '../domain/input-validation.js';
import { hasRole, StaffRole } from '../domain/staff-role.js';
import { answerAppError, staffOf } from './staff-routes.js';

/** Longest message text accepted (WeCom's own text messages are far shorter). */
const MAX_CONTENT = 100_000;

/** The brief's message, plus what a relay may add: the WeCom MsgId (processed once) and the group it came from. */
const workMessage = z.object({
  ToUserName: z.string().max(128).optional(),
  FromUserName: wecomUserId,
  MsgType: z.string().max(32),
  Content: z.string().max(MAX_CONTENT),
  MsgId: z.union([z.string().min(1).max(128), z.number().int().nonnegative()]).optional(),
  ChatId: z.string().trim().min(1).max(128).optional(),
});


/**
 * `POST /api/wechat/work-message`: the brief's JSON endpoint for relays and scripts. It runs the
 * message as a command from `FromUserName`, as the smart robot would, and answers in the brief's
 * shape. Unlike the brief, it needs a staff token: anyone may send as themselves, an ADMIN (a relay)
 * as anyone.
 */
export function chatRelayRoutes(deps: { readonly chat: ChatCommands; readonly tokens: TokenVerifier }): Router {
  const router = express.Router();
  router.post('/api/wechat/work-message', async (req, res, next) => {
    try {
      const caller = await staffOf(req, deps.tokens);
      const message = parseInput(workMessage, req.body ?? {});
      if (message.FromUserName !== caller.userId && !hasRole(caller.role, StaffRole.ADMIN)) {
        throw forbidden(`只能以自己的身份发送（令牌属于 ${caller.userId}）；代他人转发需要 ADMIN 令牌`, `You may only send as yourself (${caller.userId}); relaying for others needs an ADMIN token`);
      }
      if (message.MsgType !== 'text') {
        res.json({ type: 'command_response', response: '暂只支持文本消息', data: { handled: false } });
        return;
      }
      const answer = await deps.chat.handle({
        key: message.MsgId === undefined ? `relay:${randomUUID()}` : `relay:${message.ToUserName ?? ''}:${message.MsgId}`,
        chatId: message.ChatId,
        sender: { userId: message.FromUserName },
        text: message.Content,
      });
      res.json({ type: 'command_response', response: answer.text, data: { handled: answer.handled, ...(answer.ticketId === undefined ? {} : { ticket_id: answer.ticketId }) } });
    } catch (error) {
      answerAppError(error, res, next);
    }
  });
  return router;
}
