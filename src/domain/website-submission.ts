import { z } from 'zod';
import { submissionRefused } from './errors.js';
import { optionalText, parseInput, phoneNumber, requiredText } from './input-validation.js';
import { problemTerms } from './problem-terms.js';
import { TEXT_LIMITS } from './ticket-input.js';

/**
 * A ticket a customer submits on the website (/support or Mutation.submitTicket): the pure rules.
 * The use case (src/tickets/website-submission.ts) adds the rate limits and the duplicate lookup.
 */

/** The form's hidden field: people never see it, so only a bot fills it in. */
export const HONEYPOT_FIELD = 'website';

export interface SubmissionInput {
  readonly name?: string | null;
  readonly phone?: string | null;
  readonly company?: string | null;
  readonly product?: string | null;
  readonly problem?: string | null;
  /** The honeypot: must be empty. */
  readonly website?: string | null;
}

export interface Submission {
  readonly name: string;
  readonly phone: string;
  readonly company?: string;
  readonly product?: string;
  readonly problem: string;
}

const nullToUndefined = (v: unknown) => (v === null ? undefined : v);

const submissionSchema = z.object({
  name: z.preprocess((v) => v ?? '', requiredText(TEXT_LIMITS.customerName)),
  phone: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().min(1).pipe(phoneNumber)),
  company: z.preprocess(nullToUndefined, optionalText(TEXT_LIMITS.company)),
  product: z.preprocess(nullToUndefined, optionalText(TEXT_LIMITS.product)),
  problem: z.preprocess((v) => v ?? '', requiredText(TEXT_LIMITS.description)),
});

/** Refuses a filled honeypot (quietly: it says nothing of why a person would see it), then validates the fields. */
export function validateSubmission(input: SubmissionInput): Submission {
  if (typeof input.website === 'string' && input.website.trim() !== '') {
    throw submissionRefused(
      '提交未被受理：表单中有一个应留空的隐藏字段被填写了。如果您使用了自动填表工具，请关闭后刷新页面重新提交，或直接联系客服。',
      'The submission was not accepted: a hidden field that must stay empty was filled in. If you use an autofill tool, turn it off, reload the page and submit again, or contact support directly.',
      { field: HONEYPOT_FIELD },
    );
  }
  const { name, phone, company, product, problem } = parseInput(submissionSchema, input);
  return { name, phone, problem, ...(company ? { company } : {}), ...(product ? { product } : {}) };
}

/** The form's fields as a browser posts them (urlencoded): only strings are taken, arrays and objects are ignored. */
export function submissionFromForm(body: unknown): SubmissionInput {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string): string | undefined => (typeof fields[key] === 'string' ? (fields[key] as string) : undefined);
  return { name: text('name'), phone: text('phone'), company: text('company'), product: text('product'), problem: text('problem'), website: text(HONEYPOT_FIELD) };
}

/** How long a repeated submission (same phone, nearly the same text) returns the earlier ticket. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** Two problems are nearly the same when they share at least this share of their terms (Jaccard). */
export const DUPLICATE_TERM_OVERLAP = 0.8;

/**
 * Whether two problem descriptions say nearly the same thing: the same terms (problemTerms, so
 * punctuation, spacing, case and word order do not matter), at least DUPLICATE_TERM_OVERLAP of them
 * shared. Texts without any term are alike only when they are equal.
 */
export function isNearDuplicate(a: string, b: string): boolean {
  const left = new Set(problemTerms(a));
  const right = new Set(problemTerms(b));
  if (left.size === 0 || right.size === 0) return a.trim() === b.trim();
  let shared = 0;
  for (const term of left) if (right.has(term)) shared++;
  return shared / (left.size + right.size - shared) >= DUPLICATE_TERM_OVERLAP;
}

/** The earliest recent submission the new problem repeats, if any (candidates: the same phone's, within the window). */
export function findDuplicate<T extends { readonly description: string; readonly createdAt: Date }>(problem: string, recent: readonly T[], now: Date): T | undefined {
  return [...recent]
    .filter((t) => now.getTime() - t.createdAt.getTime() <= DUPLICATE_WINDOW_MS && isNearDuplicate(problem, t.description))
    .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())[0];
}
