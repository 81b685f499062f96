import { checkSecret, MAX_ID, SIGNATURE_TEXT, TICKET_ID_TEXT } from './detail-link.js';
import { signatureMatches, signText } from './signed-text.js';

/**
 * The customer's private status link: `${APP_DOMAIN}/support/status/<id>.<version>.<signature>`.
 * It never expires; staff revoke it by moving the ticket's link to the next version, which makes
 * every earlier link `revoked`. The HMAC (DETAIL_LINK_SECRET) covers a purpose of its own, so a
 * staff detail link's signature never fits here, nor the other way round. No I/O.
 */

export const STATUS_LINK_PATH = '/support/status/';

export type StatusLinkCheck =
  | { readonly ok: true; readonly ticketId: number; readonly version: number }
  | { readonly ok: false; readonly reason: 'forged' | 'malformed' };

const VERSION_TEXT = /^[1-9][0-9]{0,8}$/;
const message = (ticketId: number, version: number) => `wecom-tickets:customer-status:v1:${ticketId}:${version}`;

/** The token a status link ends in. */
export function statusLinkToken(secret: string, ticketId: number, version: number): string {
  checkSecret(secret);
  if (!Number.isInteger(ticketId) || ticketId < 1 || ticketId > MAX_ID) throw new Error(`not a ticket id: ${ticketId}`);
  if (!VERSION_TEXT.test(String(version))) throw new Error(`not a link version: ${version}`);
  return `${ticketId}.${version}.${signText(secret, message(ticketId, version))}`;
}

export const statusLinkUrl = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/+$/, '')}${STATUS_LINK_PATH}${token}`;

/** Checks a token as received (whether its version is still the ticket's is for the caller to check). */
export function readStatusLinkToken(secret: string, token: unknown): StatusLinkCheck {
  checkSecret(secret);
  if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
  const [id, version, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !id || !version || !signature) return { ok: false, reason: 'malformed' };
  if (!TICKET_ID_TEXT.test(id) || Number(id) > MAX_ID || !VERSION_TEXT.test(version) || !SIGNATURE_TEXT.test(signature)) return { ok: false, reason: 'malformed' };
  const ticketId = Number(id);
  if (!signatureMatches(secret, message(ticketId, Number(version)), signature)) return { ok: false, reason: 'forged' };
  return { ok: true, ticketId, version: Number(version) };
}
