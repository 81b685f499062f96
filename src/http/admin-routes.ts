import type { Agenda } from 'agenda';
import { createExpressMiddleware } from 'agendash';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { bearerToken, type AuthenticatedActor, type TokenVerifier } from '../auth/tokens.js';
import { AppError, ErrorCode, forbidden, unauthenticated } from '../domain/errors.js';
import { hasRole, StaffRole } from '../domain/staff-role.js';
import type { Logger } from '../logger.js';
import type { ReminderSweep } from '../reminders/reminder-sweep.js';

export interface AdminDeps {
  readonly sweep: ReminderSweep;
  readonly agenda: Agenda;
  readonly tokens: TokenVerifier;
  readonly logger: Logger;
}

/** Agendash's path: Agenda's own dashboard of the jobs. */
export const JOBS_DASHBOARD_PATH = '/admin/jobs';

/**
 * The token of a request: `Authorization: Bearer <token>`, or HTTP Basic with the token as the
 * password. Browsers cannot send a bearer header when opening a page, so the jobs dashboard asks
 * for Basic credentials and the browser then sends them with every request of the page.
 */
function tokenOf(header: string | undefined): string | undefined {
  const basic = header && /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!basic) return bearerToken(header);
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1).trim();
  return password === '' ? undefined : password;
}

async function adminOf(req: Request, tokens: TokenVerifier): Promise<AuthenticatedActor> {
  const token = tokenOf(req.headers.authorization);
  if (token === undefined) throw unauthenticated('请先登录：需要管理员（ADMIN）令牌', 'Authentication required: send an ADMIN token');
  const actor = await tokens.verify(token);
  if (!hasRole(actor.role, StaffRole.ADMIN)) throw forbidden(`需要 ADMIN 权限，当前为 ${actor.role}`, `This needs the ADMIN role; you are ${actor.role}`);
  return actor;
}

const STATUS: Partial<Record<string, number>> = { [ErrorCode.UNAUTHENTICATED]: 401, [ErrorCode.FORBIDDEN]: 403 };

/** The error as JSON with its code and both languages; never a page or a stack trace. */
function sendError(res: Response, error: AppError): void {
  res.status(STATUS[error.code] ?? 400).json({ success: false, error: { code: error.code, message: error.message, messageZh: error.text.zh, messageEn: error.text.en } });
}

function requireAdmin(tokens: TokenVerifier, options: { challenge: boolean }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await adminOf(req, tokens);
      next();
    } catch (error) {
      if (!(error instanceof AppError)) return next(error);
      if (options.challenge && error.code === ErrorCode.UNAUTHENTICATED) {
        res.setHeader('WWW-Authenticate', 'Basic realm="Jobs dashboard: paste an ADMIN token as the password", charset="UTF-8"');
      }
      sendError(res, error);
    }
  };
}

/**
 * Admin routes: the brief's manual overdue check (`POST /api/admin/reminders/run`) and Agendash
 * at /admin/jobs, both for ADMIN tokens only.
 */
export function adminRoutes(deps: AdminDeps): Router {
  const router = express.Router();
  router.post('/api/admin/reminders/run', requireAdmin(deps.tokens, { challenge: false }), async (_req, res, next) => {
    try {
      const { overdueCount, remindersSent } = await deps.sweep.run();
      res.json({ success: true, overdue_count: overdueCount, reminders_sent: remindersSent });
    } catch (error) {
      next(error);
    }
  });
  router.use(JOBS_DASHBOARD_PATH, requireAdmin(deps.tokens, { challenge: true }), createExpressMiddleware(deps.agenda));
  return router;
}
