import { DEFAULT_CONVERSATION, type NotificationKind } from '../domain/notification.js';
import type { NotificationRecord } from '../domain/records.js';
import type { Channel } from './channel.js';

export interface ChannelRoutes {
  /** The smart robot: groups where someone talked to it, and 1:1 chats. */
  readonly smartRobot?: Channel;
  /** The self-built app: private messages to one person. */
  readonly app?: Channel;
  /** The group robot webhooks, and which conversations have one. */
  readonly webhook?: {
    readonly channel: Channel;
    /** A working webhook of the conversation's own. */
    serves(conversation: string): boolean;
    /** A webhook of its own, working or dead. */
    has(conversation: string): boolean;
  };
  /** Where both serve a group, these kinds go by webhook (its mentions are confirmed to notify). */
  readonly webhookKinds: ReadonlySet<NotificationKind>;
  /** With no WeCom channel configured: the development channel. */
  readonly fallback: Channel;
}

/**
 * Which channel carries a message: a group's own webhook for the kinds configured (reminders by
 * default), the smart robot for the rest, a webhook alone where there is no bot; private messages
 * by the self-built app, else the smart robot's 1:1 chat; else the development channel.
 */
export function routeMessage(routes: ChannelRoutes, message: Pick<NotificationRecord, 'conversation' | 'kind'>): Channel {
  const { smartRobot, webhook } = routes;
  if (message.conversation.startsWith('user:')) return routes.app ?? smartRobot ?? routes.fallback;
  if (webhook?.serves(message.conversation) && (!smartRobot || routes.webhookKinds.has(message.kind))) return webhook.channel;
  if (smartRobot) return smartRobot;
  // Without a bot a webhook carries everything, a dead one too: its messages become dead letters
  // for an admin, rather than going unseen to the development channel.
  if (webhook && (webhook.has(message.conversation) || webhook.has(DEFAULT_CONVERSATION))) return webhook.channel;
  return routes.fallback;
}
