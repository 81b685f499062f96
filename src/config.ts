import { z } from 'zod';
import type { DeadlinePolicy } from './domain/deadline.js';
import { NotificationKind } from './domain/notification.js';
import { Priority } from './domain/priority.js';
import type { ReminderPolicy } from './domain/reminder-policy.js';

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
const hours = z.coerce.number().positive().max(24 * 365);
const optionalHours = z.preprocess((v) => (v === '' ? undefined : v), hours.optional());
/** Fractions are allowed, so a newcomer can watch reminders fire every 0.5 minutes. */
const minutes = z.coerce.number().positive('must be a positive number of minutes').max(7 * 24 * 60, 'must be at most 7 days (10080 minutes)');
const optionalMinutes = z.preprocess((v) => (v === '' ? undefined : v), minutes.optional());
const milliseconds = (min: number, max: number) =>
  z.coerce.number().int('must be a whole number of milliseconds').min(min, `must be at least ${min} ms`).max(max, `must be at most ${max} ms`);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  JWT_SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters').optional()),
  DETAIL_LINK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters').optional()),
  DETAIL_LINK_TTL_HOURS: hours.default(72),
  DEADLINE_HOURS: hours.default(24),
  DEADLINE_HOURS_URGENT: optionalHours,
  DEADLINE_HOURS_HIGH: optionalHours,
  DEADLINE_HOURS_NORMAL: optionalHours,
  DEADLINE_HOURS_LOW: optionalHours,
  LIVE_BUFFER_LIMIT_KB: z.coerce.number().int().min(16).max(1024 * 1024).default(1024),
  LIVE_REPLAY_LIMIT: z.coerce.number().int().min(1).max(100_000).default(1000),
  EVENT_LOG_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  SERVICE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  MONGODB_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// URL').optional(),
  ),
  REMINDER_INTERVAL_MINUTES: minutes.default(60),
  REMINDER_ESCALATED_INTERVAL_MINUTES: minutes.default(30),
  REMINDER_ESCALATE_AFTER: z.coerce.number().int('must be a whole number of reminders').min(1, 'must be at least 1 reminder').max(100).default(3),
  REMINDER_EARLY_WARNING_MINUTES: optionalMinutes,
  REMINDER_SCAN_MS: milliseconds(100, 60_000).default(200),
  REMINDER_CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1').max(1000).default(200),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1, 'must be at least 1 attempt').max(50).default(8),
  OUTBOX_RETRY_BASE_MS: milliseconds(10, 3_600_000).default(1000),
  OUTBOX_RETRY_MAX_MS: milliseconds(10, 24 * 3_600_000).default(300_000),
  OUTBOX_SEND_TIMEOUT_MS: milliseconds(100, 300_000).default(10_000),
  OUTBOX_POLL_MS: milliseconds(50, 60_000).default(1000),
  DEV_CHANNEL_ACK_DELAY_MS: milliseconds(0, 600_000).default(0),
  SUPPORT_IP_LIMIT: z.coerce.number().int().min(1, 'must be at least 1 submission').max(10_000).default(5),
  SUPPORT_IP_WINDOW_MINUTES: minutes.default(10),
  SUPPORT_PHONE_LIMIT: z.coerce.number().int().min(1, 'must be at least 1 submission').max(10_000).default(3),
  SUPPORT_PHONE_WINDOW_MINUTES: minutes.default(60),
  TRUST_PROXY: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^(\d{1,2}|loopback|linklocal|uniquelocal|[0-9a-fA-F.:/, ]+)$/, 'must be a hop count (1), loopback, linklocal, uniquelocal or addresses/subnets')
      .transform((v) => (/^\d+$/.test(v) ? Number(v) : v))
      .optional(),
  ),
  GRAPHQL_IDE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['on', 'off'], 'must be on or off').optional()),
  APP_DOMAIN: z.url().default('http://localhost:4000'),
  CORP_ID: optionalString,
  CORP_SECRET: optionalString,
  AGENT_ID: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  GROUP_WEBHOOK_URL: optionalUrl,
  WECOM_BOT_ID: optionalString,
  WECOM_BOT_SECRET: optionalString,
  WECOM_BOT_WS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }).default('wss://openws.work.weixin.qq.com')),
  WECOM_BOT_NAMES: z.string().default('工单助手'),
  WECOM_DEFAULT_CHAT_ID: optionalString,
  LOCAL_WECOM: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['on', 'off'], 'must be on or off').optional()),
  WECOM_API_BASE: z.url().default('https://qyapi.weixin.qq.com'),
  WECOM_CALLBACK_TOKEN: optionalString,
  WECOM_CALLBACK_AES_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey from the admin console').optional()),
  WECOM_WEBHOOK_KINDS: z
    .string()
    .default('DEADLINE_WARNING,REMINDER,ESCALATION')
    .transform((list) => list.split(',').map((kind) => kind.trim()).filter(Boolean))
    .pipe(z.array(z.enum(NotificationKind, `must list message kinds (${Object.values(NotificationKind).join(', ')})`))),
});

export type Env = z.infer<typeof envSchema>;

/** Every variable the service reads (documented in .env.example). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly database: { readonly url?: string; readonly poolMax: number };
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  /** Absent only outside production: a development secret is then generated under dataDir. */
  readonly jwtSecret?: string;
  /** The cards' signed 查看详情 links: their own key (absent: generated outside production, links off in production; see detailLinkSecretFor) and how long a link is valid. */
  readonly detailLinks: { readonly secret?: string; readonly ttlMs: number };
  readonly deadline: DeadlinePolicy;
  readonly live: {
    /** Bytes of updates a WebSocket may leave unread before it is disconnected as too slow. */
    readonly bufferLimitBytes: number;
    /** Missed updates a reconnecting subscriber may have replayed. */
    readonly replayLimit: number;
    /** How often the event log is read without a notification. */
    readonly pollIntervalMs: number;
  };
  /** all: API and background work; api: only the API; worker: only jobs and deliveries (and health checks). */
  readonly role: 'all' | 'api' | 'worker';
  readonly reminders: {
    readonly policy: ReminderPolicy;
    /** Where Agenda keeps its jobs: MongoDB when set, else the service's PostgreSQL. */
    readonly mongodbUrl?: string;
    /** How often Agenda looks for deadline jobs coming due. */
    readonly scanIntervalMs: number;
    /** Deadline jobs one instance runs at once. */
    readonly concurrency: number;
  };
  readonly outbox: {
    readonly maxAttempts: number;
    /** The first retry waits about this long; each next one twice as long (with jitter), up to retryMaxMs. */
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    /** A channel that has not answered after this long has failed. */
    readonly sendTimeoutMs: number;
    /** How often the outbox is read without being woken (safety net). */
    readonly pollIntervalMs: number;
  };
  readonly devChannel: {
    /** How long the development channel takes to acknowledge a message (simulates a slow chat service). */
    readonly ackDelayMs: number;
  };
  /** Website submissions (/support, Mutation.submitTicket): at most so many per client address and per phone number in a window, counted in PostgreSQL across instances. */
  readonly support: {
    readonly perIp: { readonly points: number; readonly durationSeconds: number };
    readonly perPhone: { readonly points: number; readonly durationSeconds: number };
  };
  /** Express's `trust proxy`: which proxies' X-Forwarded-For tells the client address (req.ip); unset: the connection's own address. */
  readonly trustProxy?: string | number;
  /** GraphiQL on GET /graphql in a browser: on outside production unless GRAPHQL_IDE=off; in production only with GRAPHQL_IDE=on. */
  readonly graphqlIde: boolean;
  readonly appDomain: string;
  readonly wecom: {
    readonly corpId?: string;
    readonly corpSecret?: string;
    readonly agentId?: number;
    /** The default group's robot webhook (群机器人). */
    readonly groupWebhookUrl?: string;
    /** Where a group has both the smart robot and a webhook, these kinds go by webhook. */
    readonly webhookKinds: readonly NotificationKind[];
  };
  /** The self-built app (自建应用): private messages and the staff directory; absent unless CORP_ID, CORP_SECRET and AGENT_ID are all set. */
  readonly app?: {
    readonly corpId: string;
    readonly secret: string;
    readonly agentId: number;
    readonly apiBase: string;
    /** The encrypted callback for what members send the app (both Token and EncodingAESKey from the admin console). */
    readonly callback?: { readonly token: string; readonly encodingAESKey: string };
  };
  /** The smart robot (智能机器人) over its long connection; absent unless both id and secret are set. */
  readonly smartRobot?: { readonly botId: string; readonly secret: string; readonly wsUrl: string };
  readonly chat: {
    /** The bot's display names in groups, removed from "@工单助手 /创建工单 …" before the command is read. */
    readonly botNames: readonly string[];
    /** The group that hears about tickets created outside a chat (API, portal); WeCom chatid. */
    readonly defaultChatId?: string;
  };
  /**
   * The local WeCom (a fake long-connection server and the /dev/wecom page) for trying the chat
   * without a tenant: on by default in development when no smart robot is configured, never in production.
   */
  readonly localWecom: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MINUTE_MS = 60_000;

function describe(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0]);
  const value = env[name];
  // Secrets and URLs with credentials in them are never echoed.
  const hidden = name.includes('SECRET') || /:\/\/[^/\s]*@/.test(value ?? '');
  return `${name}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(hidden ? '***' : value)})`}`;
}

/** Reads and validates the environment once at start; every bad value is reported, not just the first. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => describe(i, env)));
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET_KEY) {
    throw new ConfigError(['JWT_SECRET_KEY: required in production (at least 32 characters)']);
  }
  if (e.NODE_ENV === 'production' && !e.DETAIL_LINK_SECRET) {
    throw new ConfigError(['DETAIL_LINK_SECRET: required in production (at least 32 characters, not the JWT secret)']);
  }
  if (e.DETAIL_LINK_SECRET !== undefined && e.DETAIL_LINK_SECRET === e.JWT_SECRET_KEY) {
    throw new ConfigError(['DETAIL_LINK_SECRET: must differ from JWT_SECRET_KEY (a key of its own)']);
  }
  if ((e.WECOM_BOT_ID === undefined) !== (e.WECOM_BOT_SECRET === undefined)) {
    throw new ConfigError([`${e.WECOM_BOT_ID === undefined ? 'WECOM_BOT_ID' : 'WECOM_BOT_SECRET'}: required with ${e.WECOM_BOT_ID === undefined ? 'WECOM_BOT_SECRET' : 'WECOM_BOT_ID'} (the smart robot needs both)`]);
  }
  const appSettings = [e.CORP_ID, e.CORP_SECRET, e.AGENT_ID];
  if (appSettings.some((v) => v !== undefined) && appSettings.some((v) => v === undefined)) {
    throw new ConfigError(['CORP_ID, CORP_SECRET, AGENT_ID: the self-built app needs all three (or none)']);
  }
  if ((e.WECOM_CALLBACK_TOKEN === undefined) !== (e.WECOM_CALLBACK_AES_KEY === undefined) || (e.WECOM_CALLBACK_TOKEN !== undefined && appSettings.includes(undefined))) {
    throw new ConfigError(['WECOM_CALLBACK_TOKEN, WECOM_CALLBACK_AES_KEY: the app callback needs both, and the self-built app (CORP_ID, CORP_SECRET, AGENT_ID)']);
  }
  const callback = e.WECOM_CALLBACK_TOKEN && e.WECOM_CALLBACK_AES_KEY ? { token: e.WECOM_CALLBACK_TOKEN, encodingAESKey: e.WECOM_CALLBACK_AES_KEY } : undefined;
  const app = e.CORP_ID && e.CORP_SECRET && e.AGENT_ID ? { corpId: e.CORP_ID, secret: e.CORP_SECRET, agentId: e.AGENT_ID, apiBase: e.WECOM_API_BASE, callback } : undefined;
  const smartRobot = e.WECOM_BOT_ID && e.WECOM_BOT_SECRET ? { botId: e.WECOM_BOT_ID, secret: e.WECOM_BOT_SECRET, wsUrl: e.WECOM_BOT_WS_URL } : undefined;
  // The local WeCom stands in for a whole tenant: never beside real WeCom credentials, never in production.
  const realWecom = smartRobot ? 'WECOM_BOT_ID' : app ? 'CORP_ID' : e.GROUP_WEBHOOK_URL ? 'GROUP_WEBHOOK_URL' : undefined;
  if (e.LOCAL_WECOM === 'on' && (e.NODE_ENV === 'production' || realWecom)) {
    throw new ConfigError([`LOCAL_WECOM: the local WeCom is for development only; it cannot be on ${realWecom ? `with ${realWecom} set` : 'in production'}`]);
  }
  if (e.OUTBOX_RETRY_MAX_MS < e.OUTBOX_RETRY_BASE_MS) {
    throw new ConfigError([`OUTBOX_RETRY_MAX_MS: must not be less than OUTBOX_RETRY_BASE_MS (${e.OUTBOX_RETRY_BASE_MS}) (got "${e.OUTBOX_RETRY_MAX_MS}")`]);
  }
  const byPriority = Object.entries({
    [Priority.URGENT]: e.DEADLINE_HOURS_URGENT,
    [Priority.HIGH]: e.DEADLINE_HOURS_HIGH,
    [Priority.NORMAL]: e.DEADLINE_HOURS_NORMAL,
    [Priority.LOW]: e.DEADLINE_HOURS_LOW,
  }).filter((entry): entry is [Priority, number] => entry[1] !== undefined);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    dataDir: e.DATA_DIR,
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT,
    jwtSecret: e.JWT_SECRET_KEY,
    detailLinks: { secret: e.DETAIL_LINK_SECRET, ttlMs: e.DETAIL_LINK_TTL_HOURS * 3_600_000 },
    deadline: { defaultHours: e.DEADLINE_HOURS, hoursByPriority: Object.fromEntries(byPriority) },
    live: { bufferLimitBytes: e.LIVE_BUFFER_LIMIT_KB * 1024, replayLimit: e.LIVE_REPLAY_LIMIT, pollIntervalMs: e.EVENT_LOG_POLL_MS },
    role: e.SERVICE_ROLE,
    reminders: {
      policy: {
        intervalMs: e.REMINDER_INTERVAL_MINUTES * MINUTE_MS,
        escalatedIntervalMs: e.REMINDER_ESCALATED_INTERVAL_MINUTES * MINUTE_MS,
        escalateAfter: e.REMINDER_ESCALATE_AFTER,
        earlyWarningMs: e.REMINDER_EARLY_WARNING_MINUTES === undefined ? null : e.REMINDER_EARLY_WARNING_MINUTES * MINUTE_MS,
      },
      mongodbUrl: e.MONGODB_URL,
      scanIntervalMs: e.REMINDER_SCAN_MS,
      concurrency: e.REMINDER_CONCURRENCY,
    },
    outbox: {
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: e.OUTBOX_RETRY_BASE_MS,
      retryMaxMs: e.OUTBOX_RETRY_MAX_MS,
      sendTimeoutMs: e.OUTBOX_SEND_TIMEOUT_MS,
      pollIntervalMs: e.OUTBOX_POLL_MS,
    },
    devChannel: { ackDelayMs: e.DEV_CHANNEL_ACK_DELAY_MS },
    support: {
      perIp: { points: e.SUPPORT_IP_LIMIT, durationSeconds: Math.round(e.SUPPORT_IP_WINDOW_MINUTES * 60) },
      perPhone: { points: e.SUPPORT_PHONE_LIMIT, durationSeconds: Math.round(e.SUPPORT_PHONE_WINDOW_MINUTES * 60) },
    },
    trustProxy: e.TRUST_PROXY,
    graphqlIde: e.GRAPHQL_IDE === undefined ? e.NODE_ENV !== 'production' : e.GRAPHQL_IDE === 'on',
    appDomain: e.APP_DOMAIN,
    wecom: { corpId: e.CORP_ID, corpSecret: e.CORP_SECRET, agentId: e.AGENT_ID, groupWebhookUrl: e.GROUP_WEBHOOK_URL, webhookKinds: e.WECOM_WEBHOOK_KINDS },
    app,
    smartRobot,
    chat: {
      botNames: e.WECOM_BOT_NAMES.split(',').map((name) => name.trim()).filter(Boolean),
      defaultChatId: e.WECOM_DEFAULT_CHAT_ID,
    },
    localWecom: realWecom === undefined && (e.LOCAL_WECOM === 'on' || (e.LOCAL_WECOM === undefined && e.NODE_ENV === 'development')),
  };
}
