/**
 * A local stand-in for WeCom's HTTP API (https://qyapi.weixin.qq.com), for offline tests and local
 * development: the self-built app API (access token, message/send, template card updates, appchat,
 * directory reads, openuserid_to_userid) and the group robot webhook. It follows
 * /work/shared/wecom-protocol.md §4–§6 and §7.3 B (cited below as §x.y) and answers like WeCom does:
 * HTTP 200 with `{errcode, errmsg}` JSON, errors included. Where WeCom's behaviour or an error code is
 * unconfirmed, the choice made here is marked "unconfirmed" or "global table" (a code from WeCom's global
 * error table, D-90455, that the reference does not list for that case).
 *
 * Mirrors the fake long connection (long-connection-server.ts): `start`/`url`/`close`, everything recorded,
 * `waitFor…`, `onChange`, fault switches, and `close()` leaves no timer or socket behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DEPARTMENTS, DEFAULT_DIRECTORY, type DirectoryDepartment, type DirectoryMember } from './directory-fixture.js';

export { DEFAULT_DEPARTMENTS, DEFAULT_DIRECTORY, type DirectoryDepartment, type DirectoryMember } from './directory-fixture.js';

// ---------------------------------------------------------------------------------------------------------
// Protocol vocabulary
// ---------------------------------------------------------------------------------------------------------

/** The errcodes this fake answers with. */
export const ApiErrorCode = {
  ok: 0,
  /** System busy (§4.4, §5.6); only ever injected. */
  systemBusy: -1,
  /** Invalid secret / credential (§5.1: "also 40001"); see `invalidSecretErrcode`. */
  invalidCredential: 40001,
  /** Invalid userid (§4.4, §5.6): user/get with a malformed userid. */
  invalidUserId: 40003,
  /** Invalid media type for upload_media (global table). */
  invalidMediaType: 40004,
  /** Invalid file size for upload_media (global table). */
  invalidFileSize: 40006,
  /** Bad or missing media_id (§4.4). */
  invalidMediaId: 40007,
  /** Invalid msgtype (§4.4, §5.6); the webhook also answers it for malformed JSON (§4.4). */
  invalidMessageType: 40008,
  /** gettoken with a wrong corpid (global table; the reference names no code). */
  invalidCorpId: 40013,
  /** Unknown or revoked access_token (§5.1, §5.6). */
  invalidAccessToken: 40014,
  /** More than 1 000 userids in touser (§5.2 limit, §5.6 code). */
  invalidUserList: 40031,
  /** agentid missing or not an app of this corp (§5.6). */
  invalidAgentId: 40056,
  /** Any other malformed or out-of-range field (§4.4). */
  invalidParameter: 40058,
  /** Default answer to a wrong secret: the official example of §5.1. */
  invalidSecret: 40091,
  /** No access_token in the query (§5.1, §5.6). */
  missingAccessToken: 41001,
  /** gettoken without corpid (global table). */
  missingCorpId: 41002,
  /** gettoken without corpsecret (global table). */
  missingSecret: 41004,
  /** upload_media without a `media` part (global table). */
  missingMedia: 41005,
  /** user/get without userid (global table). */
  missingUserId: 41009,
  /** access_token past its expires_in (§5.1, §5.6). */
  accessTokenExpired: 42001,
  /** Wrong HTTP method (WeChat global table; unconfirmed for WeCom). */
  requireGet: 43001,
  requirePost: 43002,
  /** Empty text/markdown content (§4.4, §5.6). */
  emptyContent: 44004,
  /** Content over its byte limit (§4.2, §4.4, §5.2, §5.6). */
  contentTooLarge: 45002,
  /** Rate limit (§4.3, §5.5). */
  frequencyLimit: 45009,
  /** Concurrency limit (§5.5); only ever injected. */
  concurrencyLimit: 45033,
  /** Body is not JSON, on the app API (global table "data format error"; the webhook uses 40008 per §4.4). */
  invalidJson: 47001,
  /** Interactive template card from an app without a callback URL (§5.3 rule, §5.6 code; code unconfirmed). */
  apiForbidden: 48002,
  /** Member outside the app's visible range (global table; §6 states the rule). */
  noPrivilege: 60011,
  /** userid not in the directory (global table). */
  userNotFound: 60111,
  /** Unknown department_id (global table). */
  invalidDepartment: 60123,
  /** Every recipient invalid (§5.2). */
  allRecipientsInvalid: 81013,
  /** Malformed or already used chatid on appchat/create (§5.6; "already used" code unconfirmed). */
  invalidChatId: 86001,
  /** chatid unknown or created by another app (§5.4, §7.3 B). */
  chatNotFound: 86003,
  /** A userlist/owner entry that is no valid member (§5.6). */
  invalidChatMember: 86216,
  /** Unknown or removed webhook key (§4.4). */
  invalidWebhookKey: 93000,
  /** agentid of another app than the token's (§5.6). */
  tokenOfAnotherApp: 301002,
  /** Unknown API path: a fake-only code (real WeCom's answer is not documented). */
  unknownApi: 404,
} as const;

/** Text and markdown of message/send: 2 048 bytes, unconfirmed for message/send (§5.2, §8.9). */
const APP_TEXT_MAX_BYTES = 2_048;
/** appchat text (§5.4). */
const APPCHAT_TEXT_MAX_BYTES = 2_048;
/** Webhook text 2 048 bytes, markdown and markdown_v2 4 096 bytes (§4.2). */
const WEBHOOK_TEXT_MAX_BYTES = 2_048;
const WEBHOOK_MARKDOWN_MAX_BYTES = 4_096;
const WEBHOOK_IMAGE_MAX_BYTES = 2 * 1024 * 1024; // §4.2
const WEBHOOK_FILE_MAX_BYTES = 20 * 1024 * 1024; // §4.1
const WEBHOOK_FILE_MIN_BYTES = 6; // "> 5 bytes" (§4.1)
const WEBHOOK_VOICE_MAX_BYTES = 2 * 1024 * 1024; // §4.1
const WEBHOOK_MEDIA_LIFETIME_MS = 3 * 24 * 3_600_000; // §4.1
/** News article title ≤ 128 bytes, description ≤ 512 bytes, 1–8 articles (§4.2); also applied to textcard (assumption). */
const TITLE_MAX_BYTES = 128;
const DESCRIPTION_MAX_BYTES = 512;
const MAX_ARTICLES = 8;
const MAX_TOUSER = 1_000; // §5.2
const MAX_PARTY_OR_TAG = 100; // §5.2
const MAX_OPEN_USERIDS = 1_000; // §6
const DUPLICATE_CHECK_DEFAULT_S = 1_800; // §5.2
const DUPLICATE_CHECK_MAX_S = 14_400; // §5.2 "max 4 h"
const RESPONSE_CODE_LIFETIME_MS = 72 * 3_600_000; // §5.3
const RECALL_WINDOW_MS = 24 * 3_600_000; // §5.2
const TASK_ID_MAX_BYTES = 128; // §7.2
const TASK_ID_PATTERN = /^[0-9A-Za-z_\-@]+$/; // §7.2
const CHATID_PATTERN = /^[0-9a-zA-Z]{1,32}$/; // §5.4
const CHAT_NAME_MAX_CHARS = 50; // §5.4 (longer names are truncated, as WeCom's page says)
const CHAT_MIN_MEMBERS = 2; // §5.4
const CHAT_MAX_MEMBERS = 2_000; // §5.4
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const APP_MSGTYPES = ['text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown', 'miniprogram_notice', 'template_card'] as const; // §5.2
const APPCHAT_MSGTYPES = ['text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown'] as const; // §5.4
const WEBHOOK_MSGTYPES = ['text', 'markdown', 'markdown_v2', 'image', 'news', 'file', 'voice', 'template_card'] as const; // §4.2
const ALL_CARD_TYPES = ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'] as const; // §5.3
const WEBHOOK_CARD_TYPES = ['text_notice', 'news_notice'] as const; // §4.2
/** Cards that get a response_code and need the app's callback URL (§5.3). */
const INTERACTIVE_CARD_TYPES: readonly string[] = ['button_interaction', 'vote_interaction', 'multiple_interaction'];

export type JsonObject = { [key: string]: unknown };

export interface FakeAppConfig {
  agentId: number;
  secret: string;
  /** Members the app may see and message (§5.2, §6); all members when absent. Case-insensitive. */
  visibleUserIds?: string[];
  /** Whether the app has a callback URL configured: interactive template cards need one (§5.3). Default true. */
  callbackConfigured?: boolean;
}

export interface FakeWeComHttpApiOptions {
  corpId: string;
  apps: FakeAppConfig[];
  webhookKeys?: string[];
  /** expires_in of every new token (§5.1); default 7 200. */
  tokenExpiresInSeconds?: number;
  now?: () => Date;
  directory?: readonly DirectoryMember[];
  departments?: readonly DirectoryDepartment[];
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** §5.1 shows 40091 for a bad secret and says 40001 also occurs; default 40091. */
  invalidSecretErrcode?: 40001 | 40091;
  /** Webhook messages per robot per minute (§4.3); default 20. */
  webhookPerMinute?: number;
  /** Sliding 60 s window (default) or calendar minutes; WeCom's choice is unknown (§4.3, §8.10). */
  webhookWindow?: 'sliding' | 'fixed';
  /** App messages one member receives from one app per minute / hour; excess is dropped silently (§5.5). */
  memberMessagesPerMinute?: number;
  memberMessagesPerHour?: number;
}

/**
 * `errcode`: HTTP 200 with that errcode. `status`: that HTTP status with `body` (default a short HTML page).
 * `hang`: never answer (the socket stays open until the client gives up or `close()`).
 * `delayMs`: answer normally after a delay.
 */
export type Fault = { errcode: number; errmsg?: string } | { status: number; body?: string } | { hang: true } | { delayMs: number };

export interface FaultScope {
  /** `/cgi-bin/message/send`, `message/send` (same thing) or a RegExp on the path; every path when absent. */
  path?: string | RegExp;
}

export interface RecordedRequest {
  /** 1, 2, … in arrival order. */
  id: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or the raw text when it is not JSON, or a summary of a multipart upload; undefined when empty. */
  body: unknown;
  at: Date;
  /** Set once answered; absent while hanging. */
  status?: number;
  response?: unknown;
  fault?: Fault;
}

/** One app message as one member received it (§5.2). */
export interface AppMessage {
  msgid: string;
  agentId: number;
  userId: string;
  msgtype: string;
  /** Readable text: text/markdown content, textcard title and description, card title, media_id, article titles. */
  content: string;
  /** The `<msgtype>` object as sent; for template cards the card as currently shown (after updates). */
  payload: JsonObject;
  safe: boolean;
  enableIdTrans: boolean;
  /** Interactive template cards only (§5.3). */
  responseCode?: string;
  /** Set by update_template_card with `button.replace_name` (§5.3). */
  replaceName?: string;
  updatedAt?: Date;
  recalled: boolean;
  at: Date;
}

/** A send WeCom accepted (errcode 0) but did not deliver to `userId`. */
export interface DroppedAppMessage {
  /** `duplicate`: enable_duplicate_check found the same message within the interval (§5.2).
   *  `member-limit`: the member's 30/min or 1 000/h quota for this app was used up (§5.5). */
  reason: 'duplicate' | 'member-limit';
  msgid: string;
  agentId: number;
  userId: string;
  msgtype: string;
  at: Date;
  /** For duplicates: the msgid of the message it repeated. */
  duplicateOf?: string;
}

export interface WebhookMessage {
  key: string;
  msgtype: string;
  /** text/markdown content, article titles, card title, media_id, or the image md5. */
  content: string;
  payload: JsonObject;
  /** `text.mentioned_list` as sent (may contain "@all"). */
  mentionedList: string[];
  /** `text.mentioned_mobile_list` as sent. */
  mentionedMobileList: string[];
  /** `<@userid>` found in text and markdown content (not markdown_v2, which has no mentions, §4.2). */
  inlineMentions: string[];
  /** Every userid the message @-mentions: the list, mobiles resolved through the directory, inline mentions. */
  mentionedUserIds: string[];
  mentionsAll: boolean;
  /** Mentioned userids or mobiles not in the directory (whether WeCom refuses them is unconfirmed, §4.4). */
  unknownMentions: string[];
  at: Date;
}

export interface AppChat {
  chatid: string;
  name: string;
  owner: string;
  userlist: string[];
  agentId: number;
  createdAt: Date;
}

export interface AppChatMessage {
  chatid: string;
  agentId: number;
  msgtype: string;
  content: string;
  payload: JsonObject;
  mentionedList: string[];
  inlineMentions: string[];
  safe: boolean;
  at: Date;
}

export type FakeApiChange =
  | { type: 'request'; request: RecordedRequest }
  | { type: 'appMessage'; message: AppMessage }
  | { type: 'cardUpdated'; message: AppMessage }
  | { type: 'webhookMessage'; message: WebhookMessage }
  | { type: 'appChat'; chat: AppChat }
  | { type: 'appChatMessage'; message: AppChatMessage };

export type FakeApiListener = (change: FakeApiChange) => void;

// ---------------------------------------------------------------------------------------------------------
// Internal state
// ---------------------------------------------------------------------------------------------------------

interface Settings {
  corpId: string;
  host: string;
  now: () => Date;
  tokenExpiresInSeconds: number;
  invalidSecretErrcode: number;
  webhookPerMinute: number;
  webhookWindow: 'sliding' | 'fixed';
  memberPerMinute: number;
  memberPerHour: number;
}

interface App {
  agentId: number;
  secret: string;
  visible?: Set<string>;
  callbackConfigured: boolean;
}

interface IssuedToken {
  token: string;
  agentId: number;
  expiresAt: number;
  revoked: boolean;
}

interface FaultRule {
  fault: Fault;
  path?: string | RegExp;
  remaining: number;
}

interface SentCard {
  msgid: string;
  agentId: number;
  /** The delivered copies, one per member (mutated by updates). */
  copies: AppMessage[];
}

interface ResponseCode {
  msgid: string;
  issuedAt: number;
  used: boolean;
}

interface SendRecord {
  msgid: string;
  key: string;
  at: number;
}

interface WebhookMedia {
  key: string;
  type: 'file' | 'voice';
  createdAt: number;
}

interface Waiter {
  kind: 'request' | 'appMessage' | 'webhookMessage';
  matches: (value: never) => boolean;
  settle: (value: unknown) => void;
  fail: (error: Error) => void;
}

interface Context {
  record: RecordedRequest;
  query: Record<string, string>;
  raw: Buffer;
  contentType: string;
}

type Handler = (context: Context) => JsonObject | Promise<JsonObject>;

interface Route {
  method: 'GET' | 'POST';
  handle: Handler;
}

/** Thrown by a handler; becomes `{errcode, errmsg, ...extra}` with HTTP 200. */
class ApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
    readonly extra: JsonObject = {},
  ) {
    super(errmsg);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------

export class FakeWeComHttpApi {
  /** Every request received, oldest first; `status`/`response` are filled in when answered. */
  readonly requests: RecordedRequest[] = [];

  private readonly apps = new Map<number, App>();
  private readonly appsBySecret = new Map<string, App>();
  private readonly members = new Map<string, DirectoryMember>();
  private readonly membersByOpenId = new Map<string, DirectoryMember>();
  private readonly departments: readonly DirectoryDepartment[];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly currentTokens = new Map<number, IssuedToken>();
  private readonly gettokenCounts = new Map<number, number>();
  private totalGettokenCalls = 0;
  private readonly appMessageLog: AppMessage[] = [];
  private readonly droppedLog: DroppedAppMessage[] = [];
  private readonly sendHistory: SendRecord[] = [];
  private readonly memberQuota = new Map<string, number[]>();
  private readonly taskIds = new Map<number, Set<string>>();
  private readonly cards = new Map<string, SentCard>();
  private readonly responseCodes = new Map<string, ResponseCode>();
  private readonly messagesById = new Map<string, { agentId: number; at: number; copies: AppMessage[] }>();
  private readonly chats = new Map<string, AppChat>();
  private readonly chatMessageLog: AppChatMessage[] = [];
  private readonly webhookKeys = new Map<string, { active: boolean; sends: number[] }>();
  private readonly webhookLog: WebhookMessage[] = [];
  private readonly webhookMedia = new Map<string, WebhookMedia>();
  private readonly faults: FaultRule[] = [];
  private readonly listeners = new Set<FakeApiListener>();
  private readonly waiters = new Set<Waiter>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly routes: Record<string, Route>;
  private requestCount = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly settings: Settings,
    options: FakeWeComHttpApiOptions,
  ) {
    for (const config of options.apps) {
      const app: App = {
        agentId: config.agentId,
        secret: config.secret,
        callbackConfigured: config.callbackConfigured ?? true,
        ...(config.visibleUserIds ? { visible: new Set(config.visibleUserIds.map((id) => id.toLowerCase())) } : {}),
      };
      this.apps.set(app.agentId, app);
      this.appsBySecret.set(app.secret, app);
    }
    for (const member of options.directory ?? DEFAULT_DIRECTORY) {
      this.members.set(member.userid.toLowerCase(), member);
      this.membersByOpenId.set(member.open_userid, member);
    }
    this.departments = options.departments ?? DEFAULT_DEPARTMENTS;
    for (const key of options.webhookKeys ?? []) this.addWebhookKey(key);
    this.routes = {
      '/cgi-bin/gettoken': { method: 'GET', handle: (c) => this.gettoken(c) },
      '/cgi-bin/getcallbackip': { method: 'GET', handle: (c) => this.getCallbackIp(c) },
      '/cgi-bin/message/send': { method: 'POST', handle: (c) => this.messageSend(c) },
      '/cgi-bin/message/update_template_card': { method: 'POST', handle: (c) => this.updateTemplateCard(c) },
      '/cgi-bin/message/recall': { method: 'POST', handle: (c) => this.recall(c) },
      '/cgi-bin/appchat/create': { method: 'POST', handle: (c) => this.appchatCreate(c) },
      '/cgi-bin/appchat/send': { method: 'POST', handle: (c) => this.appchatSend(c) },
      '/cgi-bin/appchat/get': { method: 'GET', handle: (c) => this.appchatGet(c) },
      '/cgi-bin/user/get': { method: 'GET', handle: (c) => this.userGet(c) },
      '/cgi-bin/user/simplelist': { method: 'GET', handle: (c) => this.userList(c, false) },
      '/cgi-bin/user/list': { method: 'GET', handle: (c) => this.userList(c, true) },
      '/cgi-bin/batch/openuserid_to_userid': { method: 'POST', handle: (c) => this.openUseridToUserid(c) },
      '/cgi-bin/webhook/send': { method: 'POST', handle: (c) => this.webhookSend(c) },
      '/cgi-bin/webhook/upload_media': { method: 'POST', handle: (c) => this.webhookUpload(c) },
    };
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void this.receive(request, response);
    });
  }

  static async start(options: FakeWeComHttpApiOptions): Promise<FakeWeComHttpApi> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FakeWeComHttpApi(server, {
      corpId: options.corpId,
      host,
      now: options.now ?? (() => new Date()),
      tokenExpiresInSeconds: options.tokenExpiresInSeconds ?? 7_200,
      invalidSecretErrcode: options.invalidSecretErrcode ?? ApiErrorCode.invalidSecret,
      webhookPerMinute: options.webhookPerMinute ?? 20,
      webhookWindow: options.webhookWindow ?? 'sliding',
      memberPerMinute: options.memberMessagesPerMinute ?? 30,
      memberPerHour: options.memberMessagesPerHour ?? 1_000,
    }, options);
  }

  /** Base URL, e.g. `http://127.0.0.1:PORT`; clients append `/cgi-bin/…`. */
  get url(): string {
    return `http://${this.settings.host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** The webhook URL a group robot with `key` would have (§4.1). */
  webhookUrl(key: string): string {
    return `${this.url}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
  }

  /** Closes every socket (hanging requests included) and the server; no timer of the fake survives this. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters) waiter.fail(new Error('fake WeCom HTTP API closed'));
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closing;
  }

  // ---- tokens -------------------------------------------------------------------------------------------

  /** Every GET /cgi-bin/gettoken received, whatever its answer: assert that clients cache tokens (§5.1). */
  get gettokenCalls(): number {
    return this.totalGettokenCalls;
  }

  /** gettoken calls made with the secret of app `agentId`. */
  gettokenCallsFor(agentId: number): number {
    return this.gettokenCounts.get(agentId) ?? 0;
  }

  /** Invalidates every issued token (of one app, or all): the next call with one answers 40014 (§5.1 "may invalidate early"). */
  revokeTokens(agentId?: number): void {
    for (const token of this.tokens.values()) if (agentId === undefined || token.agentId === agentId) token.revoked = true;
  }

  /** A valid token for an app without a gettoken call (not counted), for tests of other endpoints. */
  issueToken(agentId: number): string {
    const app = this.apps.get(agentId);
    if (!app) throw new Error(`fake WeCom: no app ${agentId}`);
    return this.currentToken(app).token;
  }

  // ---- webhook keys -------------------------------------------------------------------------------------

  addWebhookKey(key: string): void {
    const existing = this.webhookKeys.get(key);
    if (existing) existing.active = true;
    else this.webhookKeys.set(key, { active: true, sends: [] });
  }

  /** The robot is removed from its group: the key answers 93000 from now on (§4.4). */
  killKey(key: string): void {
    const state = this.webhookKeys.get(key);
    if (state) state.active = false;
  }

  // ---- fault injection ----------------------------------------------------------------------------------

  /** The next `count` matching requests get `fault` instead of their answer (queued before `setFault` faults). */
  failNext(count: number, fault: Fault, scope: FaultScope = {}): void {
    if (count > 0) this.faults.push({ fault, remaining: count, ...(scope.path === undefined ? {} : { path: scope.path }) });
  }

  /** Every matching request gets `fault` until `clearFaults()` (or `setFault(undefined)`). */
  setFault(fault: Fault | undefined, scope: FaultScope = {}): void {
    if (fault === undefined) {
      this.clearFaults();
      return;
    }
    this.faults.push({ fault, remaining: Number.POSITIVE_INFINITY, ...(scope.path === undefined ? {} : { path: scope.path }) });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  // ---- directory and test helpers -----------------------------------------------------------------------

  get directory(): DirectoryMember[] {
    return [...this.members.values()].map((member) => structuredClone(member));
  }

  /**
   * What a click on a sent interactive card yields: a fresh one-shot response_code (§5.3 "a fresh one with
   * each click callback"), to put in a `template_card_event` callback posted with AppCallbackPoster.
   */
  cardClickResponseCode(msgid: string): string {
    if (!this.cards.has(msgid)) throw new Error(`fake WeCom: no interactive card with msgid ${msgid}`);
    return this.newResponseCode(msgid);
  }

  // ---- observation --------------------------------------------------------------------------------------

  /** Delivered app messages, of one member (case-insensitive) or all, oldest first. */
  appMessages(userId?: string): AppMessage[] {
    const id = userId?.toLowerCase();
    return this.appMessageLog.filter((message) => id === undefined || message.userId === id).map((message) => structuredClone(message));
  }

  /** Sends that were accepted with errcode 0 but not delivered (duplicates, member quota). */
  droppedAppMessages(): DroppedAppMessage[] {
    return this.droppedLog.map((dropped) => structuredClone(dropped));
  }

  webhookMessages(key?: string): WebhookMessage[] {
    return this.webhookLog.filter((message) => key === undefined || message.key === key).map((message) => structuredClone(message));
  }

  appChats(): AppChat[] {
    return [...this.chats.values()].map((chat) => structuredClone(chat));
  }

  appChatMessages(chatid?: string): AppChatMessage[] {
    return this.chatMessageLog.filter((message) => chatid === undefined || message.chatid === chatid).map((message) => structuredClone(message));
  }

  /** Resolves with the first answered request (already or in future) that matches. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 5_000): Promise<RecordedRequest> {
    return this.waitFor('request', this.requests.filter((request) => request.status !== undefined), predicate, timeoutMs);
  }

  waitForAppMessage(predicate: (message: AppMessage) => boolean, timeoutMs = 5_000): Promise<AppMessage> {
    return this.waitFor('appMessage', this.appMessageLog, predicate, timeoutMs);
  }

  waitForWebhookMessage(predicate: (message: WebhookMessage) => boolean, timeoutMs = 5_000): Promise<WebhookMessage> {
    return this.waitFor('webhookMessage', this.webhookLog, predicate, timeoutMs);
  }

  /** Calls `listener` with a snapshot of every change (requests answered, messages, cards); returns the unsubscribe function. */
  onChange(listener: FakeApiListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- HTTP plumbing ------------------------------------------------------------------------------------

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    let raw: Buffer;
    try {
      raw = await readBody(request);
    } catch {
      response.destroy();
      return;
    }
    if (this.closed) {
      response.destroy();
      return;
    }
    const contentType = String(request.headers['content-type'] ?? '');
    const record: RecordedRequest = {
      id: (this.requestCount += 1),
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: describeBody(raw, contentType),
      at: this.now(),
    };
    this.requests.push(record);
    if (record.path === '/cgi-bin/gettoken') this.countGettoken(record.query);
    const context: Context = { record, query: record.query, raw, contentType };
    const fault = this.takeFault(record.path);
    if (!fault) return this.answer(context, response);
    record.fault = fault;
    if ('hang' in fault) {
      this.hanging.add(response);
      response.on('close', () => this.hanging.delete(response));
      this.emit({ type: 'request', request: structuredClone(record) });
      return;
    }
    if ('delayMs' in fault) {
      this.later(fault.delayMs, () => void this.answer(context, response));
      return;
    }
    if ('status' in fault) {
      const body = fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`;
      return this.respond(record, response, fault.status, body, 'text/html; charset=UTF-8');
    }
    return this.respondJson(record, response, { errcode: fault.errcode, errmsg: fault.errmsg ?? defaultErrmsg(fault.errcode) });
  }

  private async answer(context: Context, response: ServerResponse): Promise<void> {
    const { record } = context;
    const route = this.routes[record.path];
    if (!route) {
      return this.respond(record, response, 404, JSON.stringify({ errcode: ApiErrorCode.unknownApi, errmsg: `unknown api: ${record.path}` }), 'application/json; charset=UTF-8');
    }
    if (record.method !== route.method) {
      const errcode = route.method === 'GET' ? ApiErrorCode.requireGet : ApiErrorCode.requirePost;
      return this.respondJson(record, response, { errcode, errmsg: `require ${route.method} method` });
    }
    try {
      const body = await route.handle(context);
      this.respondJson(record, response, { errcode: ApiErrorCode.ok, errmsg: 'ok', ...body });
    } catch (error) {
      if (error instanceof ApiError) {
        this.respondJson(record, response, { errcode: error.errcode, errmsg: error.message, ...error.extra });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.respond(record, response, 500, JSON.stringify({ errcode: ApiErrorCode.systemBusy, errmsg: `fake WeCom bug: ${message}` }), 'application/json; charset=UTF-8');
    }
  }

  private respondJson(record: RecordedRequest, response: ServerResponse, body: JsonObject): void {
    this.respond(record, response, 200, JSON.stringify(body), 'application/json; charset=UTF-8', body);
  }

  private respond(record: RecordedRequest, response: ServerResponse, status: number, text: string, contentType: string, parsed?: unknown): void {
    record.status = status;
    record.response = parsed ?? text;
    if (!response.destroyed && !response.writableEnded) {
      response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
      response.end(text);
    }
    this.emit({ type: 'request', request: structuredClone(record) });
    this.notifyWaiters('request', record);
  }

  private takeFault(path: string): Fault | undefined {
    const rule = this.faults.find((candidate) => pathMatches(candidate.path, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.faults.splice(this.faults.indexOf(rule), 1);
    return rule.fault;
  }

  // ---- gettoken (§5.1) ----------------------------------------------------------------------------------

  private countGettoken(query: Record<string, string>): void {
    this.totalGettokenCalls += 1;
    const app = query.corpsecret === undefined ? undefined : this.appsBySecret.get(query.corpsecret);
    if (app) this.gettokenCounts.set(app.agentId, this.gettokenCallsFor(app.agentId) + 1);
  }

  private gettoken({ query }: Context): JsonObject {
    if (!query.corpid) throw new ApiError(ApiErrorCode.missingCorpId, 'corpid missing');
    if (query.corpid !== this.settings.corpId) throw new ApiError(ApiErrorCode.invalidCorpId, 'invalid corpid');
    if (!query.corpsecret) throw new ApiError(ApiErrorCode.missingSecret, 'corpsecret missing');
    const app = this.appsBySecret.get(query.corpsecret);
    if (!app) {
      const errcode = this.settings.invalidSecretErrcode;
      throw new ApiError(errcode, errcode === ApiErrorCode.invalidSecret ? 'secret is invalid' : 'invalid credential');
    }
    const token = this.currentToken(app);
    // Within validity the same token comes back (§5.1); expires_in is what is left of it (unconfirmed detail).
    return { access_token: token.token, expires_in: Math.ceil((token.expiresAt - this.nowMs()) / 1_000) };
  }

  private currentToken(app: App): IssuedToken {
    const current = this.currentTokens.get(app.agentId);
    if (current && !current.revoked && current.expiresAt > this.nowMs()) return current;
    const token: IssuedToken = {
      token: randomBytes(48).toString('base64url'),
      agentId: app.agentId,
      expiresAt: this.nowMs() + this.settings.tokenExpiresInSeconds * 1_000,
      revoked: false,
    };
    this.tokens.set(token.token, token);
    this.currentTokens.set(app.agentId, token);
    return token;
  }

  /** The app whose token is in the query: 41001 missing, 40014 unknown or revoked, 42001 expired (§5.1). */
  private authenticate(query: Record<string, string>): App {
    const value = query.access_token;
    if (!value) throw new ApiError(ApiErrorCode.missingAccessToken, 'access_token missing');
    const token = this.tokens.get(value);
    if (!token || token.revoked) throw new ApiError(ApiErrorCode.invalidAccessToken, 'invalid access_token');
    if (token.expiresAt <= this.nowMs()) throw new ApiError(ApiErrorCode.accessTokenExpired, 'access_token expired');
    const app = this.apps.get(token.agentId);
    if (!app) throw new ApiError(ApiErrorCode.invalidAccessToken, 'invalid access_token');
    return app;
  }

  /** `agentid` must name an app of the corp (40056) and be the token's own app (301002), §5.6. */
  private checkAgent(app: App, agentid: unknown): void {
    const agentId = typeof agentid === 'string' && /^\d+$/.test(agentid) ? Number(agentid) : agentid;
    if (typeof agentId !== 'number' || !this.apps.has(agentId)) throw new ApiError(ApiErrorCode.invalidAgentId, `invalid agentid: ${String(agentid)}`);
    if (agentId !== app.agentId) throw new ApiError(ApiErrorCode.tokenOfAnotherApp, `access_token belongs to another app (agentid ${app.agentId})`);
  }

  private getCallbackIp({ query }: Context): JsonObject {
    this.authenticate(query);
    return { ip_list: ['127.0.0.1'] }; // §3.1
  }

  // ---- message/send (§5.2) ------------------------------------------------------------------------------

  private messageSend(context: Context): JsonObject {
    const app = this.authenticate(context.query);
    const body = appJson(context);
    this.checkAgent(app, body.agentid);
    const msgtype = oneOf(body.msgtype, APP_MSGTYPES);
    const payload = validateAppPayload(body, msgtype);
    const card = msgtype === 'template_card' ? this.checkAppCard(app, payload) : undefined;
    const recipients = this.resolveRecipients(app, body);
    const answerFields = invalidFields(recipients);
    if (recipients.users.length === 0) throw new ApiError(ApiErrorCode.allRecipientsInvalid, 'user & party & tag all invalid', answerFields);

    const now = this.nowMs();
    const msgid = newMsgId();
    const duplicateKey = hash(JSON.stringify([app.agentId, recipients.users.map((user) => user.userid.toLowerCase()).sort(), msgtype, payload, body.safe ?? 0]));
    if (body.enable_duplicate_check === 1 || body.enable_duplicate_check === '1') {
      const interval = Math.min(positiveInt(body.duplicate_check_interval) ?? DUPLICATE_CHECK_DEFAULT_S, DUPLICATE_CHECK_MAX_S) * 1_000;
      const previous = this.sendHistory.findLast((sent) => sent.key === duplicateKey && now - sent.at < interval);
      if (previous) {
        // Suppressed: errcode 0 and nothing delivered (§5.2). Which msgid WeCom returns is unconfirmed; the
        // original's, so the caller's bookkeeping stays consistent.
        for (const user of recipients.users) this.drop({ reason: 'duplicate', msgid: previous.msgid, agentId: app.agentId, userId: user.userid, msgtype, duplicateOf: previous.msgid });
        return { ...answerFields, msgid: previous.msgid };
      }
    }
    this.sendHistory.push({ msgid, key: duplicateKey, at: now });
    this.sendHistory.splice(0, this.sendHistory.findIndex((sent) => now - sent.at < DUPLICATE_CHECK_MAX_S * 1_000));

    if (card?.taskId !== undefined) this.taskIdsOf(app).add(card.taskId);
    const responseCode = card?.interactive ? this.newResponseCode(msgid) : undefined;
    const copies: AppMessage[] = [];
    for (const user of recipients.users) {
      const userId = user.userid.toLowerCase();
      if (!this.takeMemberQuota(app.agentId, userId, now)) {
        this.drop({ reason: 'member-limit', msgid, agentId: app.agentId, userId, msgtype });
        continue;
      }
      const message: AppMessage = {
        msgid,
        agentId: app.agentId,
        userId,
        msgtype,
        content: readableContent(msgtype, payload),
        payload: structuredClone(payload),
        safe: body.safe === 1,
        enableIdTrans: body.enable_id_trans === 1,
        ...(responseCode === undefined ? {} : { responseCode }),
        recalled: false,
        at: new Date(now),
      };
      copies.push(message);
      this.appMessageLog.push(message);
      this.emit({ type: 'appMessage', message: structuredClone(message) });
      this.notifyWaiters('appMessage', message);
    }
    this.messagesById.set(msgid, { agentId: app.agentId, at: now, copies });
    if (card?.interactive) this.cards.set(msgid, { msgid, agentId: app.agentId, copies });
    return { ...answerFields, msgid, ...(responseCode === undefined ? {} : { response_code: responseCode }) };
  }

  /** Card rules of §5.3 and §7.2 on top of the structural ones; returns what the send needs to know. */
  private checkAppCard(app: App, card: JsonObject): { interactive: boolean; taskId?: string } {
    const checked = validateCard(card, ALL_CARD_TYPES, false);
    const needsCallback = checked.interactive || isObject(card.action_menu);
    if (needsCallback && !app.callbackConfigured) {
      throw new ApiError(ApiErrorCode.apiForbidden, 'interactive template cards need the app to have a callback url');
    }
    if (checked.taskId !== undefined && this.taskIdsOf(app).has(checked.taskId)) {
      throw new ApiError(ApiErrorCode.invalidParameter, `task_id already used: ${checked.taskId}`);
    }
    return checked;
  }

  private taskIdsOf(app: App): Set<string> {
    let set = this.taskIds.get(app.agentId);
    if (!set) this.taskIds.set(app.agentId, (set = new Set()));
    return set;
  }

  /** touser ("a|b" or "@all"), toparty and totag → visible active members; the rest is reported invalid (§5.2). */
  private resolveRecipients(app: App, body: JsonObject): Recipients {
    const touser = splitIds(body.touser, 'touser');
    const toparty = splitIds(body.toparty, 'toparty');
    const totag = splitIds(body.totag, 'totag');
    if (touser.length > MAX_TOUSER) throw new ApiError(ApiErrorCode.invalidUserList, `invalid userid list: more than ${MAX_TOUSER} userids`);
    if (toparty.length > MAX_PARTY_OR_TAG || totag.length > MAX_PARTY_OR_TAG) throw new ApiError(ApiErrorCode.invalidParameter, `at most ${MAX_PARTY_OR_TAG} parties and tags`);
    const result: Recipients = { users: [], invalidUsers: [], invalidParties: [], invalidTags: [] };
    const chosen = new Map<string, DirectoryMember>();
    if (touser.includes('@all')) {
      for (const member of this.members.values()) if (this.canSee(app, member)) chosen.set(member.userid.toLowerCase(), member);
      result.users = [...chosen.values()];
      return result; // toparty/totag are ignored with @all (§5.2)
    }
    for (const id of touser) {
      const member = this.members.get(id.toLowerCase());
      if (member && this.canSee(app, member)) chosen.set(id.toLowerCase(), member);
      else if (!result.invalidUsers.includes(id.toLowerCase())) result.invalidUsers.push(id.toLowerCase());
    }
    for (const party of toparty) {
      const id = Number(party);
      if (!this.departments.some((department) => department.id === id)) {
        result.invalidParties.push(party);
        continue;
      }
      const tree = this.departmentTree(id);
      for (const member of this.members.values()) {
        if (member.department.some((department) => tree.has(department)) && this.canSee(app, member)) chosen.set(member.userid.toLowerCase(), member);
      }
    }
    result.invalidTags.push(...totag); // tags are not emulated: every tag is invalid
    result.users = [...chosen.values()];
    return result;
  }

  private canSee(app: App, member: DirectoryMember): boolean {
    return (member.status ?? 1) === 1 && (!app.visible || app.visible.has(member.userid.toLowerCase()));
  }

  private departmentTree(rootId: number): Set<number> {
    const tree = new Set([rootId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const department of this.departments) {
        if (tree.has(department.parentid) && !tree.has(department.id)) {
          tree.add(department.id);
          grew = true;
        }
      }
    }
    return tree;
  }

  /** 30/min and 1 000/h per member and app over rolling windows; over quota is dropped with errcode 0 (§5.5). */
  private takeMemberQuota(agentId: number, userId: string, now: number): boolean {
    const key = `${agentId}:${userId}`;
    const lastHour = (this.memberQuota.get(key) ?? []).filter((at) => now - at < HOUR_MS);
    const lastMinute = lastHour.filter((at) => now - at < MINUTE_MS);
    this.memberQuota.set(key, lastHour);
    if (lastMinute.length >= this.settings.memberPerMinute || lastHour.length >= this.settings.memberPerHour) return false;
    lastHour.push(now);
    return true;
  }

  private drop(dropped: Omit<DroppedAppMessage, 'at'>): void {
    this.droppedLog.push({ ...dropped, userId: dropped.userId.toLowerCase(), at: this.now() });
  }

  private newResponseCode(msgid: string): string {
    const code = randomBytes(24).toString('base64url');
    this.responseCodes.set(code, { msgid, issuedAt: this.nowMs(), used: false });
    return code;
  }

  // ---- update_template_card (§5.3) and recall (§5.2) ----------------------------------------------------

  private updateTemplateCard(context: Context): JsonObject {
    const app = this.authenticate(context.query);
    const body = appJson(context);
    this.checkAgent(app, body.agentid);
    const code = typeof body.response_code === 'string' ? body.response_code : invalid('response_code must be a string');
    const issued = this.responseCodes.get(code);
    const card = issued && this.cards.get(issued.msgid);
    // The errcodes for a used/expired/unknown response_code are unconfirmed; 40058 with a telling errmsg.
    if (!issued || !card || card.agentId !== app.agentId) throw new ApiError(ApiErrorCode.invalidParameter, 'invalid response_code');
    if (issued.used) throw new ApiError(ApiErrorCode.invalidParameter, 'response_code already used');
    if (this.nowMs() - issued.issuedAt > RESPONSE_CODE_LIFETIME_MS) throw new ApiError(ApiErrorCode.invalidParameter, 'response_code expired (72 h)');

    const button = body.button;
    const template = body.template_card;
    if ((button === undefined) === (template === undefined)) invalid('exactly one of button and template_card is required');
    let replaceName: string | undefined;
    if (button !== undefined) {
      if (!isObject(button) || typeof button.replace_name !== 'string' || button.replace_name === '') invalid('button.replace_name must be a non-empty string');
      replaceName = button.replace_name;
    } else {
      if (!isObject(template)) invalid('template_card must be an object');
      validateCard(template, ALL_CARD_TYPES, false);
    }

    const { targets, invalidUsers } = this.updateTargets(card, body);
    if (targets.length === 0) throw new ApiError(ApiErrorCode.allRecipientsInvalid, 'user & party & tag all invalid', { invaliduser: invalidUsers });
    issued.used = true;
    for (const message of targets) {
      if (replaceName !== undefined) message.replaceName = replaceName;
      else if (isObject(template)) message.payload = structuredClone(template);
      message.content = readableContent('template_card', message.payload);
      message.updatedAt = this.now();
      this.emit({ type: 'cardUpdated', message: structuredClone(message) });
    }
    return { invaliduser: invalidUsers };
  }

  /** atall = every recipient; else userids (and members of partyids) that received the card (§5.3). */
  private updateTargets(card: SentCard, body: JsonObject): { targets: AppMessage[]; invalidUsers: string[] } {
    if (body.atall === 1) return { targets: card.copies, invalidUsers: [] };
    const userids = stringList(body.userids, 'userids').map((id) => id.toLowerCase());
    const partyids = (body.partyids === undefined ? [] : Array.isArray(body.partyids) ? body.partyids : invalid('partyids must be a list')).map(Number);
    stringListOrNumbers(body.tagids, 'tagids');
    if (userids.length === 0 && partyids.length === 0 && body.tagids === undefined) invalid('userids, partyids, tagids or atall is required');
    const targets = new Set<AppMessage>();
    const invalidUsers: string[] = [];
    for (const id of userids) {
      const copy = card.copies.find((message) => message.userId === id);
      if (copy) targets.add(copy);
      else invalidUsers.push(id);
    }
    for (const party of partyids) {
      const tree = this.departmentTree(party);
      for (const copy of card.copies) {
        const member = this.members.get(copy.userId);
        if (member?.department.some((department) => tree.has(department))) targets.add(copy);
      }
    }
    return { targets: [...targets], invalidUsers };
  }

  private recall(context: Context): JsonObject {
    const app = this.authenticate(context.query);
    const body = appJson(context);
    const msgid = typeof body.msgid === 'string' ? body.msgid : invalid('msgid must be a string');
    const sent = this.messagesById.get(msgid);
    // Error codes for recall are unconfirmed; 40058 with a telling errmsg.
    if (!sent || sent.agentId !== app.agentId) throw new ApiError(ApiErrorCode.invalidParameter, 'invalid msgid');
    if (this.nowMs() - sent.at > RECALL_WINDOW_MS) throw new ApiError(ApiErrorCode.invalidParameter, 'msgid older than 24 h can not be recalled');
    for (const copy of sent.copies) copy.recalled = true;
    return {};
  }

  // ---- appchat (§5.4) -----------------------------------------------------------------------------------

  private appchatCreate(context: Context): JsonObject {
    const app = this.authenticate(context.query);
    const body = appJson(context);
    const userlist = stringList(body.userlist, 'userlist').map((id) => id.toLowerCase());
    const owner = body.owner === undefined ? undefined : typeof body.owner === 'string' ? body.owner.toLowerCase() : invalid('owner must be a string');
    const members = [...new Set(owner === undefined ? userlist : [owner, ...userlist])];
    if (members.length < CHAT_MIN_MEMBERS || members.length > CHAT_MAX_MEMBERS) invalid(`userlist needs ${CHAT_MIN_MEMBERS} to ${CHAT_MAX_MEMBERS} members`);
    for (const id of members) {
      const member = this.members.get(id);
      if (!member || !this.canSee(app, member)) throw new ApiError(ApiErrorCode.invalidChatMember, `invalid chat member: ${id}`);
    }
    let chatid: string;
    if (body.chatid !== undefined) {
      if (typeof body.chatid !== 'string' || !CHATID_PATTERN.test(body.chatid)) throw new ApiError(ApiErrorCode.invalidChatId, 'invalid chatid: up to 32 of [0-9a-zA-Z]');
      if (this.chats.has(body.chatid)) throw new ApiError(ApiErrorCode.invalidChatId, `chatid already exists: ${body.chatid}`);
      chatid = body.chatid;
    } else {
      chatid = `wr${randomBytes(12).toString('hex')}`;
    }
    const name = typeof body.name === 'string' ? [...body.name].slice(0, CHAT_NAME_MAX_CHARS).join('') : '';
    const chat: AppChat = { chatid, name, owner: owner ?? members[0] ?? '', userlist: members, agentId: app.agentId, createdAt: this.now() };
    this.chats.set(chatid, chat);
    this.emit({ type: 'appChat', chat: structuredClone(chat) });
    return { chatid };
  }

  private appChatOf(app: App, chatid: unknown): AppChat {
    const chat = typeof chatid === 'string' ? this.chats.get(chatid) : undefined;
    // Only groups this app created can be used (§5.4).
    if (!chat || chat.agentId !== app.agentId) throw new ApiError(ApiErrorCode.chatNotFound, `chat not found: ${String(chatid)}`);
    return chat;
  }

  private appchatSend(context: Context): JsonObject {
    const app = this.authenticate(context.query);
    const body = appJson(context);
    const chat = this.appChatOf(app, body.chatid);
    const msgtype = oneOf(body.msgtype, APPCHAT_MSGTYPES);
    const payload = validateAppPayload(body, msgtype, APPCHAT_TEXT_MAX_BYTES);
    const mentionedList = msgtype === 'text' ? stringList(payload.mentioned_list, 'mentioned_list') : [];
    const content = readableContent(msgtype, payload);
    const message: AppChatMessage = {
      chatid: chat.chatid,
      agentId: app.agentId,
      msgtype,
      content,
      payload: structuredClone(payload),
      mentionedList,
      inlineMentions: msgtype === 'text' || msgtype === 'markdown' ? inlineMentions(content) : [],
      safe: body.safe === 1,
      at: this.now(),
    };
    this.chatMessageLog.push(message);
    this.emit({ type: 'appChatMessage', message: structuredClone(message) });
    return {};
  }

  private appchatGet({ query }: Context): JsonObject {
    const app = this.authenticate(query);
    const chat = this.appChatOf(app, query.chatid);
    return { chat_info: { chatid: chat.chatid, name: chat.name, owner: chat.owner, userlist: chat.userlist } };
  }

  // ---- directory (§6) -----------------------------------------------------------------------------------

  private userGet({ query }: Context): JsonObject {
    const app = this.authenticate(query);
    const userid = query.userid;
    if (!userid) throw new ApiError(ApiErrorCode.missingUserId, 'userid missing');
    if (!/^[0-9A-Za-z][0-9A-Za-z_\-@.]{0,63}$/.test(userid)) throw new ApiError(ApiErrorCode.invalidUserId, `invalid userid: ${userid}`);
    const member = this.members.get(userid.toLowerCase());
    if (!member) throw new ApiError(ApiErrorCode.userNotFound, `userid not found: ${userid}`);
    if (!this.canSee(app, member)) throw new ApiError(ApiErrorCode.noPrivilege, `no privilege to access/modify contact/party/agent: ${userid}`);
    return memberView(member);
  }

  /** user/simplelist and user/list: members of a department (and sub-departments with fetch_child=1) the app can see. */
  private userList({ query }: Context, detailed: boolean): JsonObject {
    const app = this.authenticate(query);
    const departmentId = Number(query.department_id ?? Number.NaN);
    if (!this.departments.some((department) => department.id === departmentId)) {
      throw new ApiError(ApiErrorCode.invalidDepartment, `invalid department_id: ${query.department_id ?? '(missing)'}`);
    }
    const scope = query.fetch_child === '1' ? this.departmentTree(departmentId) : new Set([departmentId]);
    const userlist = [...this.members.values()]
      .filter((member) => this.canSee(app, member) && member.department.some((department) => scope.has(department)))
      .map((member) => (detailed ? memberView(member) : { userid: member.userid, name: member.name, department: [...member.department], open_userid: member.open_userid }));
    return { userlist };
  }

  private openUseridToUserid(context: Context): JsonObject {
    const app = this.authenticate(context.query);
    const body = appJson(context);
    const list = stringList(body.open_userid_list, 'open_userid_list');
    if (list.length === 0 || list.length > MAX_OPEN_USERIDS) invalid(`open_userid_list needs 1 to ${MAX_OPEN_USERIDS} ids`);
    const userid_list: Array<{ open_userid: string; userid: string }> = [];
    const invalid_open_userid_list: string[] = [];
    for (const openUserid of list) {
      const member = this.membersByOpenId.get(openUserid);
      // Plain userids and members outside the app's visible range come back invalid (§6).
      if (member && this.canSee(app, member)) userid_list.push({ open_userid: openUserid, userid: member.userid });
      else invalid_open_userid_list.push(openUserid);
    }
    return { userid_list, invalid_open_userid_list };
  }

  // ---- group robot webhook (§4) -------------------------------------------------------------------------

  private webhookSend(context: Context): JsonObject {
    const key = this.liveWebhookKey(context.query.key);
    this.takeWebhookQuota(key);
    let body: unknown;
    try {
      body = JSON.parse(context.raw.toString('utf8'));
    } catch {
      throw new ApiError(ApiErrorCode.invalidMessageType, 'invalid message type: body is not JSON'); // §4.4
    }
    if (!isObject(body)) throw new ApiError(ApiErrorCode.invalidMessageType, 'invalid message type: body is not a JSON object');
    const msgtype = oneOf(body.msgtype, WEBHOOK_MSGTYPES);
    const part = body[msgtype];
    const payload = isObject(part) ? part : invalid(`${msgtype} must be an object`);
    const message = this.webhookMessage(key, msgtype, payload);
    this.webhookLog.push(message);
    this.emit({ type: 'webhookMessage', message: structuredClone(message) });
    this.notifyWaiters('webhookMessage', message);
    return {};
  }

  private liveWebhookKey(key: string | undefined): string {
    if (!key || !this.webhookKeys.get(key)?.active) throw new ApiError(ApiErrorCode.invalidWebhookKey, 'invalid webhook url');
    return key;
  }

  /** 20 sends a minute per robot, failed ones included; the refused sends themselves are not counted (§4.3). */
  private takeWebhookQuota(key: string): void {
    const state = this.webhookKeys.get(key);
    if (!state) return;
    const now = this.nowMs();
    const windowStart = this.settings.webhookWindow === 'fixed' ? now - (now % MINUTE_MS) : now - MINUTE_MS;
    state.sends = state.sends.filter((at) => at > windowStart || (this.settings.webhookWindow === 'fixed' && at === windowStart));
    if (state.sends.length >= this.settings.webhookPerMinute) throw new ApiError(ApiErrorCode.frequencyLimit, 'api freq out of limit');
    state.sends.push(now);
  }

  private webhookMessage(key: string, msgtype: (typeof WEBHOOK_MSGTYPES)[number], payload: JsonObject): WebhookMessage {
    let content: string;
    let mentionedList: string[] = [];
    let mentionedMobileList: string[] = [];
    let inline: string[] = [];
    switch (msgtype) {
      case 'text':
        content = checkedContent(payload, WEBHOOK_TEXT_MAX_BYTES);
        mentionedList = stringList(payload.mentioned_list, 'mentioned_list');
        mentionedMobileList = stringList(payload.mentioned_mobile_list, 'mentioned_mobile_list');
        inline = inlineMentions(content);
        break;
      case 'markdown':
        content = checkedContent(payload, WEBHOOK_MARKDOWN_MAX_BYTES);
        inline = inlineMentions(content);
        break;
      case 'markdown_v2':
        content = checkedContent(payload, WEBHOOK_MARKDOWN_MAX_BYTES);
        break;
      case 'image':
        content = checkWebhookImage(payload);
        break;
      case 'news':
        content = checkArticles(payload, (article) => requiredString(article, 'url'));
        break;
      case 'file':
      case 'voice':
        content = this.checkWebhookMedia(key, msgtype, payload);
        break;
      case 'template_card':
        validateCard(payload, WEBHOOK_CARD_TYPES, true);
        content = readableContent('template_card', payload);
        break;
    }
    const mentionsAll = mentionedList.includes('@all') || mentionedMobileList.includes('@all');
    const mentionedUserIds = new Set<string>();
    const unknownMentions: string[] = [];
    for (const id of [...mentionedList, ...inline]) {
      if (id === '@all') continue;
      if (this.members.has(id.toLowerCase())) mentionedUserIds.add(id.toLowerCase());
      else unknownMentions.push(id);
    }
    for (const mobile of mentionedMobileList) {
      if (mobile === '@all') continue;
      const member = [...this.members.values()].find((candidate) => candidate.mobile === mobile);
      if (member) mentionedUserIds.add(member.userid.toLowerCase());
      else unknownMentions.push(mobile);
    }
    return {
      key,
      msgtype,
      content,
      payload: structuredClone(payload),
      mentionedList,
      mentionedMobileList,
      inlineMentions: inline,
      mentionedUserIds: [...mentionedUserIds],
      mentionsAll,
      unknownMentions,
      at: this.now(),
    };
  }

  /** file/voice messages need a media_id uploaded with the same key within 3 days (§4.1). */
  private checkWebhookMedia(key: string, type: 'file' | 'voice', payload: JsonObject): string {
    const mediaId = payload.media_id;
    const media = typeof mediaId === 'string' ? this.webhookMedia.get(mediaId) : undefined;
    if (typeof mediaId !== 'string' || !media || media.key !== key || media.type !== type || this.nowMs() - media.createdAt > WEBHOOK_MEDIA_LIFETIME_MS) {
      throw new ApiError(ApiErrorCode.invalidMediaId, `invalid media_id: ${String(mediaId)}`);
    }
    return mediaId;
  }

  private async webhookUpload(context: Context): Promise<JsonObject> {
    const key = this.liveWebhookKey(context.query.key);
    const type = context.query.type;
    if (type !== 'file' && type !== 'voice') throw new ApiError(ApiErrorCode.invalidMediaType, `invalid media type: ${type ?? '(missing)'}`);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(context.raw), { headers: { 'content-type': context.contentType } }).formData();
    } catch {
      throw new ApiError(ApiErrorCode.missingMedia, 'media data missing: send multipart/form-data with a part named media');
    }
    const media = form.get('media');
    if (media === null || typeof media === 'string') throw new ApiError(ApiErrorCode.missingMedia, 'media data missing: no file part named media');
    const bytes = Buffer.from(await media.arrayBuffer());
    context.record.body = { media: { filename: media.name, size: bytes.length, contentType: media.type } };
    const max = type === 'file' ? WEBHOOK_FILE_MAX_BYTES : WEBHOOK_VOICE_MAX_BYTES;
    if (bytes.length < WEBHOOK_FILE_MIN_BYTES || bytes.length > max) throw new ApiError(ApiErrorCode.invalidFileSize, `invalid file size: ${bytes.length} bytes`);
    // Voice must be AMR (§4.1); the 60 s duration is not checked.
    if (type === 'voice' && !bytes.subarray(0, 6).equals(Buffer.from('#!AMR\n'))) throw new ApiError(ApiErrorCode.invalidMediaType, 'voice must be AMR');
    const mediaId = randomBytes(24).toString('base64url');
    const createdAt = this.nowMs();
    this.webhookMedia.set(mediaId, { key, type, createdAt });
    return { type, media_id: mediaId, created_at: String(Math.floor(createdAt / 1_000)) };
  }

  // ---- change notification, waiters, timers -------------------------------------------------------------

  private emit(change: FakeApiChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private waitFor<T>(kind: Waiter['kind'], existing: readonly T[], predicate: (value: T) => boolean, timeoutMs: number): Promise<T> {
    const seen = existing.find(predicate);
    if (seen) return Promise.resolve(structuredClone(seen));
    if (this.closed) return Promise.reject(new Error('fake WeCom HTTP API closed'));
    return new Promise<T>((resolve, reject) => {
      const timer = this.later(timeoutMs, () => waiter.fail(new Error(`no matching ${kind} within ${timeoutMs} ms`)));
      const finish = () => {
        this.waiters.delete(waiter);
        clearTimeout(timer);
        this.timers.delete(timer);
      };
      const waiter: Waiter = {
        kind,
        matches: predicate as (value: never) => boolean,
        settle: (value) => {
          finish();
          resolve(structuredClone(value as T));
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  private notifyWaiters(kind: Waiter['kind'], value: unknown): void {
    for (const waiter of this.waiters) if (waiter.kind === kind && waiter.matches(value as never)) waiter.settle(value);
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private now(): Date {
    return this.settings.now();
  }

  private nowMs(): number {
    return this.now().getTime();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Validation of request bodies
// ---------------------------------------------------------------------------------------------------------

interface Recipients {
  users: DirectoryMember[];
  invalidUsers: string[];
  invalidParties: string[];
  invalidTags: string[];
}

/** Partly invalid recipients are reported as "a|b" strings, only when there are some (§5.2). */
function invalidFields(recipients: Recipients): JsonObject {
  return {
    ...(recipients.invalidUsers.length > 0 ? { invaliduser: recipients.invalidUsers.join('|') } : {}),
    ...(recipients.invalidParties.length > 0 ? { invalidparty: recipients.invalidParties.join('|') } : {}),
    ...(recipients.invalidTags.length > 0 ? { invalidtag: recipients.invalidTags.join('|') } : {}),
  };
}

/** The JSON object body of an app API call; anything else is 47001 (global table). */
function appJson(context: Context): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(context.raw.toString('utf8'));
  } catch {
    throw new ApiError(ApiErrorCode.invalidJson, 'data format error: body is not valid JSON');
  }
  if (!isObject(value)) throw new ApiError(ApiErrorCode.invalidJson, 'data format error: body is not a JSON object');
  return value;
}

function oneOf<T extends string>(msgtype: unknown, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === msgtype);
  if (match === undefined) throw new ApiError(ApiErrorCode.invalidMessageType, `invalid message type: ${String(msgtype)}`);
  return match;
}

/** The `<msgtype>` object of an app message (message/send, appchat/send), checked per §5.2/§5.4. */
function validateAppPayload(body: JsonObject, msgtype: string, textMaxBytes = APP_TEXT_MAX_BYTES): JsonObject {
  const payload = body[msgtype];
  if (!isObject(payload)) {
    if (msgtype === 'text' || msgtype === 'markdown') throw new ApiError(ApiErrorCode.emptyContent, 'empty content');
    invalid(`${msgtype} must be an object`);
  }
  switch (msgtype) {
    case 'text':
    case 'markdown':
      checkedContent(payload, textMaxBytes);
      break;
    case 'textcard':
      checkBytes(requiredString(payload, 'title'), TITLE_MAX_BYTES, 'title');
      checkBytes(requiredString(payload, 'description'), DESCRIPTION_MAX_BYTES, 'description');
      requiredString(payload, 'url');
      break;
    case 'image':
    case 'voice':
    case 'video':
    case 'file':
      // App media upload is not emulated: any non-empty media_id is accepted.
      if (typeof payload.media_id !== 'string' || payload.media_id === '') throw new ApiError(ApiErrorCode.invalidMediaId, 'invalid media_id');
      break;
    case 'news':
      checkArticles(payload, () => undefined);
      break;
    case 'mpnews':
      checkArticles(payload, (article) => {
        requiredString(article, 'thumb_media_id');
        requiredString(article, 'content');
      });
      break;
    case 'miniprogram_notice':
      requiredString(payload, 'appid');
      requiredString(payload, 'title');
      break;
    case 'template_card':
      break; // checked by the caller, which knows the app
  }
  return payload;
}

/** text/markdown `content`: present and non-empty (44004), within `maxBytes` UTF-8 bytes (45002). */
function checkedContent(payload: JsonObject, maxBytes: number): string {
  const content = payload.content;
  if (content === undefined || content === '') throw new ApiError(ApiErrorCode.emptyContent, 'empty content');
  if (typeof content !== 'string') invalid('content must be a string');
  checkBytes(content, maxBytes, 'content');
  return content;
}

function checkBytes(value: string, maxBytes: number, what: string): void {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) throw new ApiError(ApiErrorCode.contentTooLarge, `${what} size out of limit: ${bytes} bytes > ${maxBytes}`);
}

/** 1–8 articles, each with a title ≤ 128 bytes and description ≤ 512 bytes (§4.2); returns the titles. */
function checkArticles(payload: JsonObject, extra: (article: JsonObject) => void): string {
  const articles = payload.articles;
  if (!Array.isArray(articles) || articles.length < 1 || articles.length > MAX_ARTICLES) invalid(`articles needs 1 to ${MAX_ARTICLES} items`);
  const titles: string[] = [];
  for (const article of articles) {
    if (!isObject(article)) invalid('articles must be objects');
    const title = requiredString(article, 'title');
    checkBytes(title, TITLE_MAX_BYTES, 'title');
    if (typeof article.description === 'string') checkBytes(article.description, DESCRIPTION_MAX_BYTES, 'description');
    extra(article);
    titles.push(title);
  }
  return titles.join('\n');
}

/** image: base64 of a JPG/PNG ≤ 2 MB raw whose md5 matches (§4.2); returns the md5. */
function checkWebhookImage(payload: JsonObject): string {
  const base64 = requiredString(payload, 'base64');
  const md5 = requiredString(payload, 'md5');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) invalid('image base64 is empty');
  if (bytes.length > WEBHOOK_IMAGE_MAX_BYTES) throw new ApiError(ApiErrorCode.contentTooLarge, `image size out of limit: ${bytes.length} bytes`);
  if (createHash('md5').update(bytes).digest('hex') !== md5.toLowerCase()) invalid('image md5 does not match its bytes');
  const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const jpg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!png && !jpg) invalid('image must be JPG or PNG');
  return md5.toLowerCase();
}

/**
 * Structural template card rules (§4.2, §5.3, §7.2; the same lists as the long-connection fake's §1.11).
 * `webhook` adds the stricter news_notice rule of §4.2 (card_image required, aspect_ratio 1.3–2.25).
 */
function validateCard(card: JsonObject, allowedTypes: readonly string[], webhook: boolean): { interactive: boolean; taskId?: string } {
  const cardType = card.card_type;
  if (typeof cardType !== 'string' || !allowedTypes.includes(cardType)) invalid(`invalid card_type: ${String(cardType)}`);
  listField(card, 'horizontal_content_list', 0, 6);
  listField(card, 'jump_list', 0, 3);
  const actionMenu = card.action_menu;
  if (actionMenu !== undefined) {
    if (!isObject(actionMenu)) invalid('action_menu must be an object');
    listField(actionMenu, 'action_list', 1, 3);
  }
  switch (cardType) {
    case 'text_notice':
      if (!isObject(card.main_title) && typeof card.sub_title_text !== 'string') invalid('text_notice needs main_title or sub_title_text');
      checkCardAction(card);
      break;
    case 'news_notice':
      if (!isObject(card.main_title)) invalid('news_notice needs main_title');
      if (webhook || !isObject(card.image_text_area)) {
        const image = isObject(card.card_image) ? card.card_image : invalid('news_notice needs card_image');
        const ratio = image.aspect_ratio;
        if (ratio !== undefined && (typeof ratio !== 'number' || ratio < 1.3 || ratio > 2.25)) invalid('card_image.aspect_ratio must be within 1.3–2.25');
      }
      listField(card, 'vertical_content_list', 0, 4);
      checkCardAction(card);
      break;
    case 'button_interaction':
      listField(card, 'button_list', 1, 6, true);
      break;
    case 'vote_interaction':
      if (!isObject(card.checkbox)) invalid('vote_interaction needs checkbox');
      listField(card.checkbox, 'option_list', 1, 20, true);
      if (!isObject(card.submit_button)) invalid('vote_interaction needs submit_button');
      break;
    case 'multiple_interaction':
      listField(card, 'select_list', 1, 3, true);
      if (!isObject(card.submit_button)) invalid('multiple_interaction needs submit_button');
      break;
  }
  const interactive = INTERACTIVE_CARD_TYPES.includes(cardType);
  const taskId = card.task_id;
  if (taskId !== undefined && typeof taskId !== 'string') invalid('task_id must be a string');
  if ((interactive || actionMenu !== undefined) && taskId === undefined) invalid(`task_id is required for ${cardType} cards and cards with action_menu`);
  if (taskId !== undefined) {
    if (!TASK_ID_PATTERN.test(taskId)) invalid(`task_id may contain only [0-9A-Za-z_-@]: ${taskId}`);
    if (Buffer.byteLength(taskId, 'utf8') > TASK_ID_MAX_BYTES) invalid(`task_id longer than ${TASK_ID_MAX_BYTES} bytes`);
  }
  return { interactive, ...(taskId === undefined ? {} : { taskId }) };
}

/** card_action is required on notice cards: type 1 needs url, type 2 needs appid (§4.2). */
function checkCardAction(card: JsonObject): void {
  const action = card.card_action;
  if (!isObject(action)) invalid('card_action is required');
  if (action.type === 1) requiredString(action, 'url');
  else if (action.type === 2) requiredString(action, 'appid');
  else invalid('card_action.type must be 1 (url) or 2 (mini program)');
}

/** The readable text of a message for recordings and dev pages. */
function readableContent(msgtype: string, payload: JsonObject): string {
  switch (msgtype) {
    case 'text':
    case 'markdown':
    case 'markdown_v2':
      return String(payload.content ?? '');
    case 'textcard':
      return `${String(payload.title ?? '')}\n${String(payload.description ?? '')}`;
    case 'template_card': {
      const title = isObject(payload.main_title) ? payload.main_title.title : undefined;
      return String(title ?? payload.sub_title_text ?? `[${String(payload.card_type)}]`);
    }
    case 'news':
    case 'mpnews':
      return Array.isArray(payload.articles) ? payload.articles.map((article) => (isObject(article) ? String(article.title ?? '') : '')).join('\n') : '';
    case 'miniprogram_notice':
      return String(payload.title ?? '');
    default:
      return String(payload.media_id ?? `[${msgtype}]`);
  }
}

function inlineMentions(content: string): string[] {
  return [...content.matchAll(/<@([^<>\s]+)>/g)].map((match) => match[1] ?? '');
}

/** What user/get and user/list return to a self-built app: no mobile/email/avatar since 2022-06-20 (§6). */
function memberView(member: DirectoryMember): JsonObject {
  return {
    userid: member.userid,
    name: member.name,
    alias: member.alias,
    department: [...member.department],
    main_department: member.department[0] ?? 1,
    position: member.position ?? '',
    is_leader_in_dept: [...(member.is_leader_in_dept ?? member.department.map(() => 0))],
    status: member.status ?? 1,
    open_userid: member.open_userid,
  };
}

// ---- small typed readers; failures are 40058 invalid parameter ----

function invalid(message: string): never {
  throw new ApiError(ApiErrorCode.invalidParameter, `invalid parameter: ${message}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredString(holder: JsonObject, key: string): string {
  const value = holder[key];
  return typeof value === 'string' && value !== '' ? value : invalid(`${key} is required`);
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) invalid(`${what} must be a list of strings`);
  return value;
}

function stringListOrNumbers(value: unknown, what: string): void {
  if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))) invalid(`${what} must be a list`);
}

function listField(holder: JsonObject, key: string, min: number, max: number, required = false): void {
  const value = holder[key];
  if (value === undefined && !required && min === 0) return;
  if (!Array.isArray(value) || value.length < min || value.length > max) invalid(`${key} needs ${min} to ${max} items`);
}

/** "a|b|c" (or a number for toparty) → ids; empty strings dropped. */
function splitIds(value: unknown, what: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'number') return [String(value)];
  if (typeof value !== 'string') invalid(`${what} must be a string of ids joined by |`);
  return value
    .split('|')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

function positiveInt(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (pattern instanceof RegExp) return pattern.test(path);
  return (pattern.startsWith('/') ? pattern : `/cgi-bin/${pattern}`) === path;
}

function defaultErrmsg(errcode: number): string {
  switch (errcode) {
    case ApiErrorCode.systemBusy:
      return 'system busy';
    case ApiErrorCode.frequencyLimit:
      return 'api freq out of limit';
    case ApiErrorCode.concurrencyLimit:
      return 'api concurrent out of limit';
    default:
      return 'injected fault';
  }
}

function describeBody(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return undefined;
  if (contentType.startsWith('multipart/')) return { multipart: true, size: raw.length };
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** message/send msgids are opaque strings. */
function newMsgId(): string {
  return randomBytes(18).toString('base64url');
}
