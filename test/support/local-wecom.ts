import type { FakeWeComLongConnection } from '../../src/local-wecom/long-connection-server.js';

/** The service's settings for a smart robot connected to a fake long-connection server, with quick polling and retries. */
export const smartRobotEnv = (fake: FakeWeComLongConnection, bot: { id: string; secret: string; defaultChatId: string }, extra: Record<string, string> = {}) => ({
  WECOM_BOT_ID: bot.id,
  WECOM_BOT_SECRET: bot.secret,
  WECOM_BOT_WS_URL: fake.url,
  WECOM_DEFAULT_CHAT_ID: bot.defaultChatId,
  OUTBOX_POLL_MS: '100',
  EVENT_LOG_POLL_MS: '100',
  OUTBOX_RETRY_BASE_MS: '100',
  OUTBOX_RETRY_MAX_MS: '500',
  ...extra,
});
