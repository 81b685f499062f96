import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import type { WeComAppClient } from './app-api.js';

const DAY_MS = 86_400_000;
const REMEMBERED = 10_000;

/**
 * A smart robot's sender ids as the directory knows them. WeCom may report `from.userid` as an
 * encrypted open_userid (reference 6), and nothing tells the two forms apart, so with the
 * self-built app every new id is asked about once (batch/openuserid_to_userid): a translation is
 * the userid, an id WeCom cannot translate is a plain userid already. Answers are remembered for a
 * day; while WeCom cannot be asked, the id is used as it came (and asked about again next time).
 */
export class SenderIds {
  private readonly known = new LRUCache<string, string>({ max: REMEMBERED, ttl: DAY_MS });
  private readonly asking = new Map<string, Promise<string>>();

  constructor(
    private readonly app: WeComAppClient | undefined,
    private readonly logger: Logger,
  ) {}

  async userIdOf(senderId: string): Promise<string> {
    if (!this.app) return senderId;
    const known = this.known.get(senderId);
    if (known !== undefined) return known;
    let asking = this.asking.get(senderId);
    if (!asking) {
      asking = this.ask(this.app, senderId).finally(() => this.asking.delete(senderId));
      this.asking.set(senderId, asking);
    }
    return asking;
  }

  private async ask(app: WeComAppClient, senderId: string): Promise<string> {
    try {
      const userId = (await app.userIdsOfOpenIds([senderId])).get(senderId) ?? senderId;
      this.known.set(senderId, userId);
      return userId;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not ask WeCom who a smart-robot sender is; using the id as it came');
      return senderId;
    }
  }
}
