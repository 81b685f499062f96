import { z } from 'zod';
import { parseInput, requiredText } from './input-validation.js';
import { TEXT_LIMITS } from './ticket-input.js';

/** Who may read a comment on a ticket. */
export enum CommentVisibility {
  /** A reply to the customer: shown on their status page. */
  PUBLIC = 'PUBLIC',
  /** A note among staff: never shown to the customer. */
  INTERNAL = 'INTERNAL',
}

/** A comment as the audit trail keeps it: a COMMENTED event, its visibility in `toValue`, its body in `note`. */
export interface TicketComment {
  readonly id: string;
  readonly ticketId: number;
  readonly visibility: CommentVisibility;
  readonly body: string;
  readonly authorId: string;
  readonly authorName: string | null;
  readonly createdAt: Date;
}

const commentSchema = z.object({ body: requiredText(TEXT_LIMITS.note) });

/** The body trimmed; refused when empty or longer than a note may be. */
export const validateCommentBody = (body: string): string => parseInput(commentSchema, { body }).body;

export const isCommentVisibility = (value: string | null): value is CommentVisibility => value === CommentVisibility.PUBLIC || value === CommentVisibility.INTERNAL;
