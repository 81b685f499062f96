import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `message` with `secret`, as unpadded base64url (43 characters). */
export const signText = (secret: string, message: string): string => createHmac('sha256', secret).update(message).digest('base64url');

/**
 * Whether `signature` is that of `message`. Compared as text, not as decoded bytes: base64url's
 * last character carries spare bits, and decoding would accept several spellings of one
 * signature; the comparison takes the same time wherever the strings differ.
 */
export function signatureMatches(secret: string, message: string, signature: string): boolean {
  const expected = Buffer.from(signText(secret, message), 'latin1');
  const given = Buffer.from(signature, 'latin1');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
