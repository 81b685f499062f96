import got from 'got';
import { fitBytes } from '../chat/byte-limit.js';
import type { Clock } from '../clock.js';
import { DeliveryChannel } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import type { Logger } from '../logger.js';
import { DeliveryDeferred, PermanentDeliveryError, type Channel } from '../notifications/channel.js';
import { ConversationRateLimiter } from '../notifications/rate-limit.js';

/** Protocol reference 4.2: text content and markdown content, in UTF-8 bytes. */
export const WEBHOOK_TEXT_MAX_BYTES = 2048;
export const WEBHOOK_MARKDOWN_MAX_BYTES = 4096;

/** Reference 4.3: 20 messages a minute per robot, failures included. */
const PER_MINUTE = 20;
const MINUTE_MS = 60_000;
/** Reference 4.4: codes that mean the key is gone (robot removed from the group, or disabled). */
const DEAD_KEY_CODES = new Set([93000, 93004]);
const RATE_LIMITED = 45009;
const BUSY_CODES = new Set([-1, 45033]);
const BUSY_RETRY_MS = 5000;

interface WebhookAnswer {
  readonly errcode: number;
  readonly errmsg?: string;
}

/** The request body for a message: text with real mentions when it calls people, markdown otherwise (reference 4.2, 6). */
export function webhookBody(message: Pick<NotificationRecord, 'text' | 'mentions' | 'mentionAll'>): Record<string, unknown> {
  if (message.mentions.length === 0 && !message.mentionAll) {
    return { msgtype: 'markdown', markdown: { content: fitBytes(message.text, WEBHOOK_MARKDOWN_MAX_BYTES) } };
  }
  // Markdown cannot @all; text can, with mentioned_list, and its mentions are confirmed to notify.
  const plain = message.text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/^> /gm, '');
  const mentioned = [...message.mentions, ...(message.mentionAll ? ['@all'] : [])];
  return { msgtype: 'text', text: { content: fitBytes(plain, WEBHOOK_TEXT_MAX_BYTES), mentioned_list: mentioned } };
}

/** Where a webhook lives: the key is its only credential, so only this much of it is ever logged. */
export const webhookLabel = (url: string): string => {
  const key = new URL(url).searchParams.get('key') ?? '';
  return `webhook …${key.slice(-4)}`;
};

export interface WebhookTargetUrl {
  readonly url: string;
  /** WeCom said the key is gone. */
  readonly dead: boolean;
}

export interface WebhookTarget {
  /** The webhook for a conversation, or null when none serves it. */
  targetFor(conversation: string): WebhookTargetUrl | null;
  /** The key answered that it is gone: stop using it and tell the admins. */
  markDead(url: string, reason: string): Promise<void>;
}

/**
 * The group robot webhook (群机器人): push-only messages to the group it belongs to, with
 * confirmed @-mentions and @all. Each robot takes 20 messages a minute: the channel defers what
 * is over (the dispatcher keeps it in the outbox), retries WeCom's busy answers, and a key WeCom
 * calls invalid is dead (admins see it; the messages become dead letters an admin can resend).
 */
export class GroupWebhookChannel implements Channel {
  readonly name = DeliveryChannel.GROUP_WEBHOOK;
  private readonly limiter = new ConversationRateLimiter([{ limit: PER_MINUTE, windowMs: MINUTE_MS }]);

  constructor(
    private readonly targets: WebhookTarget,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async send(message: NotificationRecord, signal: AbortSignal): Promise<void> {
    const target = this.targets.targetFor(message.conversation);
    if (target === null) throw new PermanentDeliveryError(`no group webhook serves ${message.conversation}`);
    const { url } = target;
    // A dead key's messages wait as dead letters for an admin to replace the webhook and resend them.
    if (target.dead) throw new PermanentDeliveryError(`${webhookLabel(url)} is gone (WeCom said so before): replace it with setGroupWebhook`);
    const now = this.clock.now().getTime();
    const decision = this.limiter.take(url, now);
    if (!decision.allowed) throw new DeliveryDeferred(new Date(decision.retryAt), `rate limit of ${webhookLabel(url)}`);
    const answer = await this.post(url, webhookBody(message), signal);
    if (answer.errcode === 0) return;
    const reason = `${webhookLabel(url)} answered ${answer.errcode} ${answer.errmsg ?? ''}`.trim();
    if (DEAD_KEY_CODES.has(answer.errcode)) {
      await this.targets.markDead(url, reason);
      this.logger.error({ conversation: message.conversation, errcode: answer.errcode }, 'a group webhook is gone: remove or replace it');
      throw new PermanentDeliveryError(reason);
    }
    if (answer.errcode === RATE_LIMITED) throw new DeliveryDeferred(new Date(now + MINUTE_MS), reason);
    if (BUSY_CODES.has(answer.errcode)) throw new DeliveryDeferred(new Date(now + BUSY_RETRY_MS), reason);
    throw new PermanentDeliveryError(reason);
  }

  private async post(url: string, body: Record<string, unknown>, signal: AbortSignal): Promise<WebhookAnswer> {
    try {
      // WeCom answers errors with HTTP 200 too (reference 4.1): the body decides.
      return await got.post(url, { json: body, signal, retry: { limit: 0 }, throwHttpErrors: false }).json<WebhookAnswer>();
    } catch (error) {
      throw new Error(`${webhookLabel(url)} did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
