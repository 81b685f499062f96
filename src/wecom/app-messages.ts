import { fitBytes } from '../chat/byte-limit.js';
import type { Clock } from '../clock.js';
import { DeliveryChannel } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import type { Logger } from '../logger.js';
import { DeliveryDeferred, PermanentDeliveryError, type Channel } from '../notifications/channel.js';
import { WeComApiError, type WeComAppClient } from './app-api.js';

/** Reference 5.2: treat message/send content as 2,048 bytes (unconfirmed; the safe reading). */
export const APP_MESSAGE_MAX_BYTES = 2048;
/** WeCom drops a repeat of the same content to the same person within this time (reference 5.2): a safety net under the outbox's keys. */
const DUPLICATE_CHECK_SECONDS = 1800;
const RETRY_LATER: ReadonlyMap<number, number> = new Map([
  [-1, 5000],
  [45033, 5000],
  [45009, 60_000],
]);

/** A plain text message to one person, outside the outbox (an answer that missed its reply window). */
export async function sendPrivateText(client: WeComAppClient, userId: string, text: string): Promise<void> {
  await client.call('/cgi-bin/message/send', { body: { touser: userId, msgtype: 'text', agentid: client.agentId, text: { content: fitBytes(text, APP_MESSAGE_MAX_BYTES) } } });
}

/**
 * Private messages from the self-built app (自建应用) to one person (`user:<userid>` conversations):
 * the assignee on assignment, the leads on escalation. Markdown, within the byte limit.
 */
export class AppMessageChannel implements Channel {
  readonly name = DeliveryChannel.APP_MESSAGE;

  constructor(
    private readonly client: WeComAppClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async send(message: NotificationRecord, signal: AbortSignal): Promise<void> {
    if (!message.conversation.startsWith('user:')) throw new PermanentDeliveryError(`the app messages people, not ${message.conversation}`);
    const userId = message.conversation.slice('user:'.length);
    try {
      const answer = await this.client.call<{ errcode?: number; invaliduser?: string }>('/cgi-bin/message/send', {
        body: {
          touser: userId,
          msgtype: 'markdown',
          agentid: this.client.agentId,
          markdown: { content: fitBytes(message.text, APP_MESSAGE_MAX_BYTES) },
          enable_duplicate_check: 1,
          duplicate_check_interval: DUPLICATE_CHECK_SECONDS,
        },
        signal,
      });
      if (answer.invaliduser) throw new PermanentDeliveryError(`WeCom does not know ${answer.invaliduser} (outside the app's visible range?)`);
    } catch (error) {
      if (!(error instanceof WeComApiError)) throw error;
      const wait = RETRY_LATER.get(error.errcode);
      if (wait !== undefined) throw new DeliveryDeferred(new Date(this.clock.now().getTime() + wait), error.message);
      this.logger.error({ userId, errcode: error.errcode }, 'WeCom refused a private message');
      throw new PermanentDeliveryError(error.message, { cause: error });
    }
  }
}
