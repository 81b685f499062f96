import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomerStatusLink } from '../db/entities/index.js';
import type { Actor } from '../domain/ticket-event.js';
import { readStatusLinkToken, statusLinkToken, statusLinkUrl } from '../domain/status-link.js';
import { getTicket } from './ticket-queries.js';

export type StatusLinkOpening = { readonly ok: true; readonly ticketId: number } | { readonly ok: false; readonly reason: 'forged' | 'malformed' | 'revoked' };

/** The tickets' link versions, in their order: 1 until someone revokes a link. */
export async function statusLinkVersions(em: EntityManager, ticketIds: readonly number[]): Promise<number[]> {
  const rows = await em.find(CustomerStatusLink, { ticketId: { $in: [...ticketIds] } }, { fields: ['ticketId', 'version'], disableIdentityMap: true });
  const versions = new Map(rows.map((row) => [row.ticketId, row.version]));
  return ticketIds.map((id) => versions.get(id) ?? 1);
}

const versionOf = async (em: EntityManager, ticketId: number): Promise<number> => (await statusLinkVersions(em, [ticketId]))[0]!;

/** The customers' private status links: given out to staff and the customer, checked against revocations. */
export class StatusLinks {
  constructor(
    private readonly secret: string,
    private readonly baseUrl: string,
  ) {}

  /** The ticket's current link. */
  async urlFor(em: EntityManager, ticketId: number): Promise<string> {
    return this.url(ticketId, await versionOf(em, ticketId));
  }

  /** The link of a ticket at a version read already (see statusLinkVersions). */
  urlAt(ticketId: number, version: number): string {
    return this.url(ticketId, version);
  }

  /** Makes every link given out so far stop working and returns the new one (one statement: concurrent revokes each move it on). */
  async revoke(em: EntityManager, ticketId: number, actor: Actor, now: Date): Promise<string> {
    await getTicket(em, ticketId);
    const table = em.getMetadata().get(CustomerStatusLink).tableName;
    const [row] = await em.execute<{ version: number }[]>(
      `insert into "${table}" ("ticket_id", "version", "revoked_by", "revoked_at") values (?, 2, ?, ?)
       on conflict ("ticket_id") do update set "version" = "${table}"."version" + 1, "revoked_by" = excluded."revoked_by", "revoked_at" = excluded."revoked_at"
       returning "version"`,
      [ticketId, actor.userId, now],
    );
    return this.url(ticketId, Number(row!.version));
  }

  /** The ticket a token opens, or why it opens none. */
  async open(em: EntityManager, token: unknown): Promise<StatusLinkOpening> {
    const check = readStatusLinkToken(this.secret, token);
    if (!check.ok) return check;
    return check.version === (await versionOf(em, check.ticketId)) ? { ok: true, ticketId: check.ticketId } : { ok: false, reason: 'revoked' };
  }

  private url(ticketId: number, version: number): string {
    return statusLinkUrl(this.baseUrl, statusLinkToken(this.secret, ticketId, version));
  }
}
