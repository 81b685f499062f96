import type { NextFunction, Request, Response } from 'express';
import { bearerToken, type AuthenticatedActor, type TokenVerifier } from '../auth/tokens.js';
import { AppError, ErrorCode, unauthenticated } from '../domain/errors.js';
import { sendHttpError } from './http-errors.js';

const STATUS: Partial<Record<string, number>> = { [ErrorCode.UNAUTHENTICATED]: 401, [ErrorCode.FORBIDDEN]: 403, [ErrorCode.NOT_FOUND]: 404 };

/** The staff member a request's bearer token names (REST routes; GraphQL has its own context). */
export async function staffOf(req: Request, tokens: TokenVerifier): Promise<AuthenticatedActor> {
  const token = bearerToken(req.headers.authorization);
  if (token === undefined) throw unauthenticated('请先登录：需要员工令牌（Authorization: Bearer …）', 'Authentication required: send a staff bearer token');
  return tokens.verify(token);
}

/** A use case's refusal as a coded JSON error with its status; anything else goes on to the error handler. */
export function answerAppError(error: unknown, res: Response, next: NextFunction): void {
  if (!(error instanceof AppError)) return next(error);
  sendHttpError(res, STATUS[error.code] ?? 400, error.code, error.text);
}
