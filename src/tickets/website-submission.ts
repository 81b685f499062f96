import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Clock } from '../clock.js';
import { withPooledAdvisoryLock } from '../db/advisory-lock.js';
import { rateLimited } from '../domain/errors.js';
import { WEBSITE_ACTOR } from '../domain/ticket-event.js';
import type { TicketStatus } from '../domain/ticket-status.js';
import { DUPLICATE_WINDOW_MS, findDuplicate, validateSubmission, type Submission, type SubmissionInput } from '../domain/website-submission.js';
import type { Logger } from '../logger.js';
import type { TicketService } from './ticket-service.js';

/** What a customer may see of the ticket they submitted: never staff data. */
export interface SubmittedTicket {
  readonly id: number;
  readonly status: TicketStatus;
  readonly createdAt: Date;
  /** True when this was a repeat of a submission moments ago: the earlier ticket, not a new one. */
  readonly duplicate: boolean;
}

/** At most `points` submissions in `durationSeconds` (a fixed window from the first one). */
export interface SubmissionLimit {
  readonly points: number;
  readonly durationSeconds: number;
}

export interface SubmissionLimits {
  readonly perIp: SubmissionLimit;
  readonly perPhone: SubmissionLimit;
}

/** Where the counts are kept: every instance shares them. */
export interface SubmissionCounter {
  /** Counts one submission for `key`; how long until the next is allowed when there is no room left. */
  take(kind: 'ip' | 'phone', key: string): Promise<{ readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number }>;
}

/** The table Migration20261204050000 creates, in rate-limiter-flexible's layout. */
export const RATE_LIMIT_TABLE = 'website_rate_limits';

/** rate-limiter-flexible's PostgreSQL store on the service's database (the table exists: the library never creates it). */
export class PostgresSubmissionCounter implements SubmissionCounter {
  private readonly limiters: Record<'ip' | 'phone', RateLimiterPostgres>;

  constructor(pool: pg.Pool, limits: SubmissionLimits) {
    const limiter = (keyPrefix: string, { points, durationSeconds }: SubmissionLimit) =>
      new RateLimiterPostgres({ storeClient: pool, tableName: RATE_LIMIT_TABLE, tableCreated: true, keyPrefix, points, duration: durationSeconds });
    this.limiters = { ip: limiter('support-ip', limits.perIp), phone: limiter('support-phone', limits.perPhone) };
  }

  async take(kind: 'ip' | 'phone', key: string) {
    try {
      await this.limiters[kind].consume(key);
      return { allowed: true } as const;
    } catch (rejection) {
      // The library rejects with a RateLimiterRes when there is no room, with an Error when the store fails.
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext } as const;
      throw rejection;
    }
  }
}

const minutesText = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

function tooMany(kind: 'ip' | 'phone', retryAfterMs: number) {
  const minutes = minutesText(retryAfterMs);
  const details = { limit: kind, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
  return kind === 'ip'
    ? rateLimited(`提交过于频繁：此网络近期提交的工单已达上限，请 ${minutes} 分钟后再试。急事请直接联系客服。`, `Too many submissions from this network: try again in ${minutes} min, or contact support directly if it is urgent.`, details)
    : rateLimited(`此手机号近期提交的工单已达上限，请 ${minutes} 分钟后再试；我们已收到您之前的工单，会尽快处理。`, `Too many tickets for this phone number: try again in ${minutes} min; your earlier tickets have been received and will be handled.`, details);
}

export interface WebsiteSubmissionDeps {
  readonly tickets: TicketService;
  /** The root EntityManager (reads fork it). */
  readonly em: EntityManager;
  readonly counter: SubmissionCounter;
  /** A connection per submission holds the phone's advisory lock, so a repeat posted at the same moment (double click, two instances) finds the first. */
  readonly lockPool: pg.Pool;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * A ticket from a customer on the website, the one place for its rules (the /support form and
 * Mutation.submitTicket both come here): the honeypot and the fields, the per-IP limit, a repeat
 * of the same phone's problem within minutes answered with the earlier ticket, the per-phone limit,
 * then the staff's own use case (TicketService.createTicket) as the website actor, the customer
 * found by phone. Without a source chat, its card goes to the default group.
 */
export class WebsiteSubmissions {
  constructor(private readonly deps: WebsiteSubmissionDeps) {}

  async submit(input: SubmissionInput, from: { readonly ip: string }): Promise<SubmittedTicket> {
    const submission = validateSubmission(input);
    const byIp = await this.deps.counter.take('ip', from.ip);
    if (!byIp.allowed) throw tooMany('ip', byIp.retryAfterMs);
    return withPooledAdvisoryLock(this.deps.lockPool, `wecom-tickets:website:${submission.phone}`, () => this.submitUnderLock(submission));
  }

  private async submitUnderLock(submission: Submission): Promise<SubmittedTicket> {
    const now = this.deps.clock.now();
    const earlier = findDuplicate(submission.problem, await this.recentFrom(submission.phone, now), now);
    if (earlier) {
      this.deps.logger.info({ ticketId: earlier.id }, 'website submission repeated an earlier one');
      return { id: earlier.id, status: earlier.status, createdAt: earlier.createdAt, duplicate: true };
    }
    const byPhone = await this.deps.counter.take('phone', submission.phone);
    if (!byPhone.allowed) throw tooMany('phone', byPhone.retryAfterMs);
    const { ticket } = await this.deps.tickets.createTicket(WEBSITE_ACTOR, {
      customerName: submission.name,
      customerPhone: submission.phone,
      company: submission.company,
      product: submission.product,
      description: submission.problem,
    });
    return { id: ticket.id, status: ticket.status, createdAt: ticket.createdAt, duplicate: false };
  }

  /** The website's tickets for this phone in the duplicate window. */
  private async recentFrom(phone: string, now: Date) {
    const rows = await this.deps.em.fork().execute<{ id: number; description: string; status: TicketStatus; created_at: Date }[]>(
      `select t."id", t."description", t."status", t."created_at" from "tickets" t join "customers" c on c."id" = t."customer_id"
        where c."phone" = ? and t."created_by" = ? and t."created_at" >= ? order by t."created_at" limit 20`,
      [phone, WEBSITE_ACTOR.userId, new Date(now.getTime() - DUPLICATE_WINDOW_MS)],
    );
    return rows.map((r) => ({ id: Number(r.id), description: r.description, status: r.status, createdAt: new Date(r.created_at) }));
  }

  /** Products named on earlier tickets, most used first: the form's choices. */
  async knownProducts(limit = 50): Promise<string[]> {
    const rows = await this.deps.em.fork().execute<{ product: string }[]>(
      `select "product" from "tickets" where "product" is not null and "product" <> '' group by "product" order by count(*) desc, "product" limit ?`,
      [limit],
    );
    return rows.map((r) => r.product);
  }
}
