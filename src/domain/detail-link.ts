import { signatureMatches, signText } from './signed-text.js';

/**
 * The signed 查看详情 link of a ticket card: `${APP_DOMAIN}/t/<id>?exp=<unix seconds>&sig=<base64url>`.
 * The signature is an HMAC-SHA256 over the ticket and the expiry with a key of its own (not the
 * JWT secret), so whoever holds the link may read that one ticket until it expires, and nothing
 * else; changing the id or the expiry breaks it. No I/O here: the time is passed in.
 */

/** Where the page lives under APP_DOMAIN. */
export const DETAIL_LINK_PATH = '/t/';

/** Why a link is refused. `malformed`: not a link this service makes at all (cut short, garbled). */
export type DetailLinkRefusal = 'forged' | 'expired' | 'malformed';

export type DetailLinkCheck =
  | { readonly ok: true; readonly ticketId: number; readonly expiresAt: Date }
  /** `ticketId` only when the signature holds (an expired link names its ticket truthfully). */
  | { readonly ok: false; readonly reason: DetailLinkRefusal; readonly ticketId?: number };

/** What a request to the page carries: the path's id and the query's exp and sig, as received. */
export interface DetailLinkParts {
  readonly id: unknown;
  readonly exp: unknown;
  readonly sig: unknown;
}

/** The smallest key accepted (DETAIL_LINK_SECRET is validated to this length). */
export const MIN_SECRET_LENGTH = 32;

// Ticket ids are PostgreSQL integers; expiries whole seconds. Leading zeros would give one link many spellings.
export const TICKET_ID_TEXT = /^[1-9][0-9]{0,9}$/;
const ID = TICKET_ID_TEXT;
export const MAX_ID = 2 ** 31 - 1;
const EXP = /^[1-9][0-9]{0,11}$/;
/** 32 bytes of HMAC-SHA256 in unpadded base64url. */
export const SIGNATURE_TEXT = /^[A-Za-z0-9_-]{43}$/;
const SIG = SIGNATURE_TEXT;

/** The signed text: a purpose and version first, so a signature made for anything else never fits. */
const message = (ticketId: number, expSeconds: number) => `wecom-tickets:ticket-detail:v1:${ticketId}:${expSeconds}`;

const signature = (secret: string, ticketId: number, expSeconds: number): string => signText(secret, message(ticketId, expSeconds));

const toSeconds = (at: Date): number => Math.ceil(at.getTime() / 1000);

export function checkSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`the detail-link secret must be at least ${MIN_SECRET_LENGTH} characters`);
}

/** The query of a signed link for the ticket, valid until `expiresAt` (rounded up to the second): `exp=…&sig=…`. */
export function signDetailLink(secret: string, ticketId: number, expiresAt: Date): string {
  checkSecret(secret);
  if (!Number.isInteger(ticketId) || ticketId < 1 || ticketId > MAX_ID) throw new Error(`not a ticket id: ${ticketId}`);
  const exp = toSeconds(expiresAt);
  if (!EXP.test(String(exp))) throw new Error(`not an expiry: ${expiresAt.toISOString()}`);
  return `exp=${exp}&sig=${signature(secret, ticketId, exp)}`;
}

/** The whole link under `baseUrl` (APP_DOMAIN; a trailing slash is fine). */
export function detailLinkUrl(baseUrl: string, secret: string, ticketId: number, expiresAt: Date): string {
  return `${baseUrl.replace(/\/+$/, '')}${DETAIL_LINK_PATH}${ticketId}?${signDetailLink(secret, ticketId, expiresAt)}`;
}

/**
 * Checks a link as received. The signature is checked before the expiry, so an altered expiry
 * is `forged`, never `expired`; the comparison takes the same time wherever the strings differ.
 */
export function verifyDetailLink(secret: string, parts: DetailLinkParts, now: Date): DetailLinkCheck {
  checkSecret(secret);
  const { id, exp, sig } = parts;
  if (typeof id !== 'string' || typeof exp !== 'string' || typeof sig !== 'string') return { ok: false, reason: 'malformed' };
  if (!ID.test(id) || Number(id) > MAX_ID || !EXP.test(exp) || !SIG.test(sig)) return { ok: false, reason: 'malformed' };
  const ticketId = Number(id);
  const expSeconds = Number(exp);
  if (!signatureMatches(secret, message(ticketId, expSeconds), sig)) return { ok: false, reason: 'forged' };
  const expiresAt = new Date(expSeconds * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', ticketId };
  return { ok: true, ticketId, expiresAt };
}

export interface DetailLinkPolicy {
  /** DETAIL_LINK_SECRET (at least 32 characters). */
  readonly secret: string;
  /** APP_DOMAIN. */
  readonly baseUrl: string;
  /** How long a new link is valid (DETAIL_LINK_TTL_HOURS). */
  readonly ttlMs: number;
}

/** The links as the service gives them out and checks them: one key, one lifetime, one clock. */
export class DetailLinkSigner {
  constructor(
    private readonly policy: DetailLinkPolicy,
    private readonly now: () => Date,
  ) {
    checkSecret(policy.secret);
  }

  get ttlMs(): number {
    return this.policy.ttlMs;
  }

  /** The link a card carries: valid for the configured time from now, unless `expiresAt` says otherwise. */
  urlFor(ticketId: number, expiresAt: Date = this.defaultExpiry()): string {
    return detailLinkUrl(this.policy.baseUrl, this.policy.secret, ticketId, expiresAt);
  }

  /** The link relative to the page of another ticket (`456?exp=…&sig=…`), for links between pages. */
  relativeFor(ticketId: number, expiresAt: Date): string {
    return `${ticketId}?${signDetailLink(this.policy.secret, ticketId, expiresAt)}`;
  }

  verify(parts: DetailLinkParts): DetailLinkCheck {
    return verifyDetailLink(this.policy.secret, parts, this.now());
  }

  private defaultExpiry(): Date {
    return new Date(this.now().getTime() + this.policy.ttlMs);
  }
}
