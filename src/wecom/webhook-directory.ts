import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { DEFAULT_CONVERSATION } from '../domain/notification.js';
import { GroupWebhook } from '../db/entities/index.js';
import type { Logger } from '../logger.js';
import type { WebhookTarget, WebhookTargetUrl } from './group-webhook.js';

/** How often an instance re-reads the webhooks (another instance may have changed them). */
const REFRESH_MS = 10_000;

type Known = WebhookTargetUrl;

/**
 * Which group robot webhook serves which group: `GROUP_WEBHOOK_URL` for the default group, and
 * one per registered group where an admin has set it. Kept in `group_webhooks` (with the keys WeCom
 * has declared dead) and in memory for routing, re-read every few seconds.
 */
export class WebhookDirectory implements WebhookTarget {
  private known = new Map<string, Known>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
    private readonly defaultUrl: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** Records the configured default webhook (a new URL revives it) and starts following changes. */
  async start(): Promise<void> {
    if (this.defaultUrl) await this.set(DEFAULT_CONVERSATION, this.defaultUrl, { keepDead: true });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'could not re-read the group webhooks')), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Whether a working webhook of its own serves the conversation. */
  serves(conversation: string): boolean {
    const known = this.known.get(conversation);
    return known !== undefined && !known.dead;
  }

  /** Whether the conversation has a webhook of its own, working or dead. */
  has(conversation: string): boolean {
    return this.known.has(conversation);
  }

  /** The conversation's own webhook, else the default group's (a deployment with webhooks only); dead ones included. */
  targetFor(conversation: string): WebhookTargetUrl | null {
    return this.known.get(conversation) ?? this.known.get(DEFAULT_CONVERSATION) ?? null;
  }

  async markDead(url: string, reason: string): Promise<void> {
    const now = this.clock.now();
    await this.em.fork().nativeUpdate(GroupWebhook, { url }, { deadAt: now, lastError: reason, updatedAt: now });
    for (const [conversation, known] of this.known) if (known.url === url) this.known.set(conversation, { url, dead: true });
  }

  /** Sets a group's webhook; the same URL again keeps its dead mark unless `keepDead` is false. */
  async set(conversation: string, url: string, options: { keepDead?: boolean } = {}): Promise<void> {
    const now = this.clock.now();
    await this.em.fork().execute(
      `insert into "group_webhooks" ("conversation", "url", "updated_at") values (?, ?, ?)
       on conflict ("conversation") do update set "url" = excluded."url", "updated_at" = excluded."updated_at",
         "dead_at" = case when ${options.keepDead ? `"group_webhooks"."url" = excluded."url"` : 'false'} then "group_webhooks"."dead_at" end,
         "last_error" = case when ${options.keepDead ? `"group_webhooks"."url" = excluded."url"` : 'false'} then "group_webhooks"."last_error" end`,
      [conversation, url, now],
    );
    await this.refresh();
  }

  /** Whether there was one. */
  async remove(conversation: string): Promise<boolean> {
    const removed = await this.em.fork().nativeDelete(GroupWebhook, { conversation });
    await this.refresh();
    return removed > 0;
  }

  list(): Promise<GroupWebhook[]> {
    return this.em.fork().find(GroupWebhook, {}, { orderBy: { conversation: 'asc' } });
  }

  private async refresh(): Promise<void> {
    const rows = await this.list();
    this.known = new Map(rows.map((row) => [row.conversation, { url: row.url, dead: row.deadAt !== null }]));
  }
}
