import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { unauthenticated } from '../domain/errors.js';
import { isStaffRole, type StaffRole } from '../domain/staff-role.js';

/** Who is calling: the claims of a verified bearer token. */
export interface AuthenticatedActor {
  readonly userId: string;
  readonly role: StaffRole;
  readonly name: string | null;
}

const ALGORITHM = 'HS256';
const ISSUER = 'wecom-tickets';

const keyOf = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export async function signToken(secret: string, actor: AuthenticatedActor, expiresIn: string | number = '30d'): Promise<string> {
  return new SignJWT({ role: actor.role, ...(actor.name ? { name: actor.name } : {}) })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(actor.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keyOf(secret));
}

/** Verifies a token as of `now` (the service's clock). */
export async function verifyToken(secret: string, token: string, now: Date): Promise<AuthenticatedActor & { expiresAt: number }> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: [ALGORITHM], issuer: ISSUER, requiredClaims: ['sub', 'exp'], currentDate: now });
    if (!payload.sub || !isStaffRole(payload['role'])) throw unauthenticated('登录令牌缺少用户或角色信息', 'The token lacks a subject or a valid role');
    const name = typeof payload['name'] === 'string' ? payload['name'] : null;
    return { userId: payload.sub, role: payload['role'], name, expiresAt: payload.exp! * 1000 };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthenticated('登录令牌已过期，请重新获取', 'The token has expired');
    if (error instanceof errors.JOSEError) throw unauthenticated('登录令牌无效', 'The token is invalid');
    throw error;
  }
}

/** The token in an `Authorization: Bearer …` header; undefined when there is no header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('Authorization 头格式应为 "Bearer <令牌>"', 'The Authorization header must be "Bearer <token>"');
  return match[1];
}

const VERIFIED_CACHE = { max: 10_000, ttlMs: 5 * 60_000 } as const;

/**
 * Verifies bearer tokens, remembering the ones already verified (never past their expiry):
 * clients send the same token with every request, and an HMAC check per request is a
 * noticeable share of a simple read.
 */
export class TokenVerifier {
  private readonly verified = new LRUCache<string, AuthenticatedActor>({ max: VERIFIED_CACHE.max });

  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<AuthenticatedActor> {
    const known = this.verified.get(token);
    if (known) return known;
    const { expiresAt, ...actor } = await verifyToken(this.secret, token, this.clock.now());
    this.verified.set(token, actor, { ttl: Math.min(VERIFIED_CACHE.ttlMs, expiresAt - this.clock.now().getTime()) });
    return actor;
  }
}
