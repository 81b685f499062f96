/**
 * The error vocabulary shared by every edge (GraphQL, chat, jobs). Each error carries a stable
 * machine code and a message in both Chinese (shown to staff in chat) and English.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  CONFLICT: 'CONFLICT',
  /** Too many submissions from one address or for one phone number: try again later. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A website submission that a person would not have sent (its hidden honeypot field was filled). */
  SUBMISSION_REFUSED: 'SUBMISSION_REFUSED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorMessage {
  readonly zh: string;
  readonly en: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly text: ErrorMessage,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${text.zh} (${text.en})`);
    this.name = 'AppError';
  }
}

export const badInput = (zh: string, en: string, details?: Record<string, unknown>): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, { zh, en }, details);

export const notFound = (zh: string, en: string, details?: Record<string, unknown>): AppError =>
  new AppError(ErrorCode.NOT_FOUND, { zh, en }, details);

export const invalidTransition = (zh: string, en: string, details?: Record<string, unknown>): AppError =>
  new AppError(ErrorCode.INVALID_TRANSITION, { zh, en }, details);

export const conflict = (zh: string, en: string, details?: Record<string, unknown>): AppError =>
  new AppError(ErrorCode.CONFLICT, { zh, en }, details);

export const unauthenticated = (zh: string, en: string): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, { zh, en });

export const forbidden = (zh: string, en: string): AppError =>
  new AppError(ErrorCode.FORBIDDEN, { zh, en });

export const rateLimited = (zh: string, en: string, details?: Record<string, unknown>): AppError =>
  new AppError(ErrorCode.RATE_LIMITED, { zh, en }, details);

export const submissionRefused = (zh: string, en: string, details?: Record<string, unknown>): AppError =>
  new AppError(ErrorCode.SUBMISSION_REFUSED, { zh, en }, details);
