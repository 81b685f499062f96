/** At most `limit` messages in any `windowMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAt: number };

/**
 * Per-conversation sliding windows (WeCom's smart robot: 30 a minute and 1,000 an hour per
 * conversation, replies and pushes together). Kept in memory by the one instance that holds the
 * connection; after a takeover WeCom's own refusal (45009) defers what the fresh counts let through.
 */
export class ConversationRateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly longest: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.longest = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Takes a place for one message now, or says when the next place frees up. */
  take(conversation: string, now: number): RateDecision {
    const times = (this.sent.get(conversation) ?? []).filter((t) => t > now - this.longest);
    for (const { limit, windowMs } of this.windows) {
      const inWindow = times.filter((t) => t > now - windowMs);
      if (inWindow.length >= limit) return { allowed: false, retryAt: inWindow[inWindow.length - limit]! + windowMs };
    }
    times.push(now);
    this.sent.set(conversation, times);
    return { allowed: true };
  }

  /** Counts a message that went anyway (a reply cannot wait). */
  record(conversation: string, now: number): void {
    const times = (this.sent.get(conversation) ?? []).filter((t) => t > now - this.longest);
    times.push(now);
    this.sent.set(conversation, times);
  }
}
