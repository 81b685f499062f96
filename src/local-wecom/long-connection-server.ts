/**
 * A local stand-in for WeCom's smart-robot long connection (智能机器人长连接, wss://openws.work.weixin.qq.com),
 * for offline tests and local development. It speaks the wire protocol of /work/shared/wecom-protocol.md §1
 * (cited below as §x.y) and enforces the rules a real tenant enforces, so the official SDK and our adapter
 * hit the same errors here as in production. Where WeCom's behaviour is unconfirmed, the choice made here
 * follows the reference's §7.3 recommendation and says so.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

// ---------------------------------------------------------------------------------------------------------
// Protocol vocabulary
// ---------------------------------------------------------------------------------------------------------

/** Frame commands (§1.2). */
export const Cmd = {
  subscribe: 'aibot_subscribe',
  ping: 'ping',
  messageCallback: 'aibot_msg_callback',
  eventCallback: 'aibot_event_callback',
  respondMessage: 'aibot_respond_msg',
  respondWelcome: 'aibot_respond_welcome_msg',
  respondUpdate: 'aibot_respond_update_msg',
  sendMessage: 'aibot_send_msg',
} as const;

/** Ack error codes (§1.12, plus the global table of §4.4 for malformed parameters). */
export const ErrorCode = {
  ok: 0,
  systemBusy: -1,
  /** Wrong bot_id/secret, and also any frame sent before subscribing (§1.3, §7.3 A.1). */
  invalidCredentials: 853000,
  /** Unknown req_id, or the wrong response command for that callback (§1.2). */
  invalidReqId: 846605,
  /** Reply window over, stream finished or older than 6 min, callback already answered (§1.2, §7.3 A.5). */
  reqIdExpired: 846608,
  invalidMessageType: 40008,
  /** button_list outside 1–6 (§1.8 field report, §1.12). */
  invalidButtonSize: 40016,
  /** Content over 20 480 bytes; the real code is unconfirmed, §7.3 A.5 suggests this one. */
  contentTooLarge: 45002,
  frequencyLimit: 45009,
  /** Push to a chat nobody has messaged the bot from; code unconfirmed, §1.10 / §7.3 A.6. */
  invalidChatId: 93006,
  /** Any other malformed body field (§4.4 global table). */
  invalidParameter: 40058,
} as const;

const CONTENT_MAX_BYTES = 20_480; // §1.8
const STREAM_LIFETIME_MS = 6 * 60_000; // §1.8
const MESSAGE_REPLY_WINDOW_MS = 24 * 3_600_000; // §1.8
const EVENT_REPLY_WINDOW_MS = 5_000; // §1.9
const FEEDBACK_ID_MAX_BYTES = 256; // §1.8
const TASK_ID_MAX_BYTES = 128; // §1.11
const KEY_MAX_BYTES = 1_024; // §1.14
const TASK_ID_PATTERN = /^[0-9A-Za-z_\-@]+$/; // §1.11
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** §1.4 only says "no heartbeat for a long time"; three missed 30 s heartbeats is our assumption. */
const DEFAULT_IDLE_TIMEOUT_MS = 90_000;

const REPLY_MSGTYPES = ['stream', 'markdown', 'template_card', 'file', 'image', 'voice', 'video'] as const; // §1.8
const PUSH_MSGTYPES = ['markdown', 'template_card', 'file', 'image', 'voice', 'video'] as const; // §1.10
const WELCOME_MSGTYPES = ['text', 'template_card'] as const; // §1.9
const MEDIA_MSGTYPES: readonly string[] = ['file', 'image', 'voice', 'video'];
const CARD_TYPES: readonly string[] = ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'];

export type JsonObject = { [key: string]: unknown };

/** One JSON text message on the socket (§1.2). Acks have no `cmd` and carry `errcode`/`errmsg`. */
export interface WsFrame {
  cmd?: string;
  headers: { req_id: string };
  body?: JsonObject;
  errcode?: number;
  errmsg?: string;
}

export type ChatType = 'single' | 'group';
export type OutageMode = 'none' | 'refuse' | 'silent';

export interface FakeWeComOptions {
  botId: string;
  secret: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  perConversationPerMinute?: number;
  perConversationPerHour?: number;
  /** A connection that sends no ping for this long is closed (§1.4). */
  idleTimeoutMs?: number;
}

/** `in` = received by the fake (client → WeCom), `out` = sent by it. */
export interface RecordedFrame {
  direction: 'in' | 'out';
  frame: WsFrame;
  at: Date;
}

export interface TextQuote {
  msgtype: 'text';
  text: { content: string };
}

export interface TextMessageInput {
  /** Required for group chats, ignored for single chats (§1.6: chatid is only sent for groups). */
  chatid?: string;
  /** Defaults to `group` when a chatid is given, else `single`. */
  chattype?: ChatType;
  userid: string;
  content: string;
  quote?: TextQuote;
  msgid?: string;
  /** Deliver the identical frame this many times (§1.6: WeCom may redeliver a callback). */
  times?: number;
}

/** Fields besides these go into `body.event`, e.g. `template_card_event: { … }` for the nested payload (§1.7). */
export interface EventInput {
  eventtype: string;
  userid: string;
  chatid?: string;
  chattype?: ChatType;
  msgid?: string;
  [eventField: string]: unknown;
}

export interface DeliveredCallback {
  msgid: string;
  reqId: string;
}

export interface UserMessage {
  msgid: string;
  userid: string;
  /** Text of the message; non-text parts are shown as `[image]`, `[file]`, … */
  content: string;
  /** Text of the quoted message, when the user quote-replied. */
  quote?: string;
  at: Date;
}

export interface BotMessage {
  kind: 'reply' | 'push';
  msgtype: string;
  /** Latest text (stream, markdown, welcome text), card JSON, or media_id. */
  content: string;
  finished: boolean;
  streamId?: string;
  /** msgid of the callback this message answers. */
  inReplyTo?: string;
  at: Date;
  /** `<@userid>` mentions found in the content (whether WeCom renders them is unconfirmed, §6). */
  mentions?: string[];
}

export interface Conversation {
  /** chatid for groups, the user's userid for single chats (§1.6). */
  id: string;
  chattype: ChatType;
  userMessages: UserMessage[];
  botMessages: BotMessage[];
}

export type ConversationListener = (conversation: Conversation) => void;

// ---------------------------------------------------------------------------------------------------------
// Internal state
// ---------------------------------------------------------------------------------------------------------

interface Settings {
  botId: string;
  secret: string;
  host: string;
  now: () => Date;
  perMinute: number;
  perHour: number;
  idleTimeoutMs: number;
}

interface Connection {
  socket: WebSocket;
  authenticated: boolean;
  idleTimer?: NodeJS.Timeout;
}

/** Callbacks that have a legal answer, and the one command allowed for each (§1.2). */
type CallbackKind = 'message' | 'enter_chat' | 'template_card_event';

const RESPONSE_COMMAND: Record<CallbackKind, string> = {
  message: Cmd.respondMessage,
  enter_chat: Cmd.respondWelcome,
  template_card_event: Cmd.respondUpdate,
};

interface PendingCallback {
  kind: CallbackKind;
  msgid: string;
  conversationId: string;
  deliveredAt: Date;
  streams: Map<string, StreamBubble>;
  /** A finished stream, a welcome or a card update uses the req_id up (§1.2, §1.9). */
  answered: boolean;
}

interface StreamBubble {
  message: BotMessage;
  startedAt: Date;
}

interface FrameWaiter {
  matches: (frame: WsFrame) => boolean;
  settle: (frame: WsFrame) => void;
  fail: (error: Error) => void;
}

interface OutgoingContent {
  msgtype: string;
  content: string;
  taskId?: string;
}

/** Thrown while handling a client frame; becomes an error ack. */
class FrameRejected extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(errmsg);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------

export class FakeWeComLongConnection {
  /** Every frame that crossed a socket, oldest first. */
  readonly frames: RecordedFrame[] = [];
  /** Delay before every ack (subscribe, ping, reply, push); frames are still processed at once. */
  ackDelayMs = 0;

  private readonly connections = new Set<Connection>();
  private readonly callbacks = new Map<string, PendingCallback>();
  private readonly conversationsById = new Map<string, Conversation>();
  private readonly sendLog = new Map<string, number[]>();
  private readonly usedTaskIds = new Set<string>();
  private readonly cardsByTaskId = new Map<string, { conversationId: string; message: BotMessage }>();
  private readonly listeners = new Set<ConversationListener>();
  private readonly waiters = new Set<FrameWaiter>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private acksPings = true;
  private outage: { mode: OutageMode; errcode: number } = { mode: 'none', errcode: ErrorCode.systemBusy };
  private closed = false;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly settings: Settings,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: FakeWeComOptions): Promise<FakeWeComLongConnection> {
    const host = options.host ?? '127.0.0.1';
    const server = new WebSocketServer({ port: options.port ?? 0, host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new FakeWeComLongConnection(server, {
      botId: options.botId,
      secret: options.secret,
      host,
      now: options.now ?? (() => new Date()),
      perMinute: options.perConversationPerMinute ?? 30,
      perHour: options.perConversationPerHour ?? 1_000,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    });
  }

  get url(): string {
    return `ws://${this.settings.host}:${(this.server.address() as AddressInfo).port}`;
  }

  get authenticatedConnections(): number {
    return [...this.connections].filter((connection) => connection.authenticated).length;
  }

  /** Closes every socket and the server; no timer of the fake survives this. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters) waiter.fail(new Error('fake WeCom closed'));
    for (const connection of this.connections) connection.socket.terminate();
    this.connections.clear();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  // ---- fault injection ----------------------------------------------------------------------------------

  /** While on, pings are received but never acked, so the SDK declares the link dead (§1.4). */
  stopAckingPings(on: boolean): void {
    this.acksPings = !on;
  }

  /** Terminates every socket without a close handshake, like a network drop. */
  dropConnections(): void {
    for (const connection of this.connections) {
      connection.authenticated = false;
      connection.socket.terminate();
    }
  }

  /**
   * `refuse`: every reply/push frame is answered with `errcode` (default -1, system busy) and dropped.
   * `silent`: reply/push frames are dropped without an ack (the SDK times out after 5 s, §1.2).
   * Subscribe and ping keep working in both, as when WeCom's message backend fails behind a live gateway.
   */
  setOutage(mode: OutageMode, errcode: number = ErrorCode.systemBusy): void {
    this.outage = { mode, errcode };
  }

  // ---- inbound (WeCom → client) -------------------------------------------------------------------------

  /** Delivers an `aibot_msg_callback` text message shaped as in §1.6. */
  sendText(input: TextMessageInput): DeliveredCallback {
    const chattype = chatTypeOf(input);
    const body: JsonObject = {
      msgid: input.msgid ?? newMsgId(),
      aibotid: this.settings.botId,
      ...(chattype === 'group' ? { chatid: input.chatid } : {}),
      chattype,
      from: { userid: input.userid },
      msgtype: 'text',
      text: { content: input.content },
      ...(input.quote ? { quote: input.quote } : {}),
    };
    return this.deliverCallback(Cmd.messageCallback, body, input.times ?? 1);
  }

  /** Delivers an `aibot_event_callback` (§1.7); extra input fields go into `body.event`. */
  sendEvent(input: EventInput): DeliveredCallback {
    const { eventtype, userid, chatid, chattype: _chattype, msgid, ...eventFields } = input;
    const chattype = chatTypeOf(input);
    const body: JsonObject = {
      msgid: msgid ?? newMsgId(),
      create_time: this.unixSeconds(),
      aibotid: this.settings.botId,
      ...(chattype === 'group' ? { chatid } : {}),
      chattype,
      from: { userid },
      msgtype: 'event',
      event: { eventtype, ...eventFields },
    };
    return this.deliverCallback(Cmd.eventCallback, body, 1);
  }

  /** Sends a raw frame to the current connection; callbacks among them can be answered like any other. */
  deliver(frame: WsFrame): void {
    const connection = this.currentConnection();
    this.registerCallback(frame);
    this.send(connection, frame);
  }

  // ---- observation --------------------------------------------------------------------------------------

  /** Resolves with the first frame received from a client (already or in future) that matches. */
  waitForFrame(predicate: (frame: WsFrame) => boolean, timeoutMs = 5_000): Promise<WsFrame> {
    const seen = this.frames.find((recorded) => recorded.direction === 'in' && predicate(recorded.frame));
    if (seen) return Promise.resolve(seen.frame);
    return new Promise((resolve, reject) => {
      const timer = this.later(timeoutMs, () => waiter.fail(new Error(`no matching frame within ${timeoutMs} ms`)));
      const waiter: FrameWaiter = {
        matches: predicate,
        settle: (frame) => {
          this.finishWaiter(waiter, timer);
          resolve(frame);
        },
        fail: (error) => {
          this.finishWaiter(waiter, timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  conversation(id: string): Conversation | undefined {
    const conversation = this.conversationsById.get(id);
    return conversation && structuredClone(conversation);
  }

  conversations(): Conversation[] {
    return [...this.conversationsById.values()].map((conversation) => structuredClone(conversation));
  }

  /** Calls `listener` with a snapshot whenever a conversation changes; returns the unsubscribe function. */
  onChange(listener: ConversationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- connection lifecycle -----------------------------------------------------------------------------

  private accept(socket: WebSocket): void {
    const connection: Connection = { socket, authenticated: false };
    this.connections.add(connection);
    this.armIdleTimer(connection);
    socket.on('message', (data) => this.receive(connection, data));
    socket.on('close', () => this.forget(connection));
    socket.on('error', () => socket.terminate());
  }

  private forget(connection: Connection): void {
    connection.authenticated = false;
    if (connection.idleTimer) this.cancel(connection.idleTimer);
    this.connections.delete(connection);
  }

  private armIdleTimer(connection: Connection): void {
    if (connection.idleTimer) this.cancel(connection.idleTimer);
    connection.idleTimer = this.later(this.settings.idleTimeoutMs, () => connection.socket.close(1000, 'heartbeat timeout'));
  }

  private receive(connection: Connection, data: RawData): void {
    const frame = parseClientFrame(data);
    // WeCom's reaction to non-JSON or header-less frames is undocumented; the fake ignores them.
    if (!frame) return;
    this.record('in', frame);
    if (frame.cmd === Cmd.subscribe) return this.subscribe(connection, frame);
    if (!connection.authenticated) {
      return this.refuseAndClose(connection, frame, 'not subscribed: send aibot_subscribe first');
    }
    if (frame.cmd === Cmd.ping) return this.heartbeat(connection, frame);
    this.handleRequest(connection, frame);
  }

  private subscribe(connection: Connection, frame: WsFrame): void {
    const body = frame.body ?? {};
    if (body.bot_id !== this.settings.botId || body.secret !== this.settings.secret) {
      return this.refuseAndClose(connection, frame, 'invalid bot_id or secret');
    }
    this.replaceOlderConnections(connection);
    connection.authenticated = true;
    this.armIdleTimer(connection);
    this.ack(connection, frame, ErrorCode.ok, 'ok');
  }

  private refuseAndClose(connection: Connection, frame: WsFrame, errmsg: string): void {
    connection.authenticated = false;
    this.ack(connection, frame, ErrorCode.invalidCredentials, errmsg, () => connection.socket.close(1000, 'unauthorized'));
  }

  /** One active connection per bot: the newest wins, older ones get `disconnected_event` and are closed (§1.5). */
  private replaceOlderConnections(newest: Connection): void {
    for (const connection of this.connections) {
      if (connection === newest || !connection.authenticated) continue;
      connection.authenticated = false;
      this.send(connection, this.disconnectedEvent());
      connection.socket.close(1000, 'replaced by a newer connection');
    }
  }

  private disconnectedEvent(): WsFrame {
    return {
      cmd: Cmd.eventCallback,
      headers: { req_id: newReqId() },
      body: {
        msgid: newMsgId(),
        create_time: this.unixSeconds(),
        aibotid: this.settings.botId,
        msgtype: 'event',
        event: { eventtype: 'disconnected_event' },
      },
    };
  }

  private heartbeat(connection: Connection, frame: WsFrame): void {
    this.armIdleTimer(connection);
    if (this.acksPings) this.ack(connection, frame, ErrorCode.ok, 'ok');
  }

  private handleRequest(connection: Connection, frame: WsFrame): void {
    if (this.outage.mode === 'silent') return;
    if (this.outage.mode === 'refuse') {
      const { errcode } = this.outage;
      return this.ack(connection, frame, errcode, errcode === ErrorCode.systemBusy ? 'system busy' : 'injected outage');
    }
    try {
      this.dispatch(frame);
      this.ack(connection, frame, ErrorCode.ok, 'ok');
    } catch (error) {
      if (!(error instanceof FrameRejected)) throw error;
      this.ack(connection, frame, error.errcode, error.message);
    }
  }

  private dispatch(frame: WsFrame): void {
    const reqId = frame.headers.req_id;
    const body = frame.body ?? {};
    switch (frame.cmd) {
      case Cmd.respondMessage:
        return this.respondToMessage(reqId, body);
      case Cmd.respondWelcome:
        return this.respondWelcome(reqId, body);
      case Cmd.respondUpdate:
        return this.respondUpdate(reqId, body);
      case Cmd.sendMessage:
        return this.push(body);
      default:
        // Media upload (§1.13) is not emulated.
        throw new FrameRejected(ErrorCode.invalidParameter, `unsupported cmd: ${frame.cmd ?? '(none)'}`);
    }
  }

  // ---- replies and pushes -------------------------------------------------------------------------------

  private respondToMessage(reqId: string, body: JsonObject): void {
    const callback = this.callbackFor(reqId, Cmd.respondMessage);
    // stream_with_template_card is contradicted by WeCom's own field table (§1.8), so it is refused here.
    const msgtype = checkMsgtype(body, REPLY_MSGTYPES);
    if (msgtype === 'stream') return this.updateStream(callback, objectField(body, 'stream'));
    const content = readContent(body, msgtype);
    this.commit(this.conversationById(callback.conversationId), botMessage('reply', content, this.now(), callback.msgid), content.taskId);
  }

  private updateStream(callback: PendingCallback, stream: JsonObject): void {
    const id = stringField(stream, 'id');
    const content = stringField(stream, 'content');
    const finish = stream.finish === true;
    checkContentBytes(content);
    checkFeedback(stream);
    const bubble = callback.streams.get(id);
    if (bubble) this.refreshStream(callback, bubble, content, finish);
    else this.openStream(callback, id, content, finish);
    if (finish) callback.answered = true;
  }

  private openStream(callback: PendingCallback, streamId: string, content: string, finished: boolean): void {
    const message = { ...botMessage('reply', { msgtype: 'stream', content }, this.now(), callback.msgid), finished, streamId };
    this.commit(this.conversationById(callback.conversationId), message);
    callback.streams.set(streamId, { message, startedAt: this.now() });
  }

  /** Later frames replace the whole bubble content until `finish` or 6 minutes after the first frame (§1.8). */
  private refreshStream(callback: PendingCallback, bubble: StreamBubble, content: string, finished: boolean): void {
    if (this.elapsedSince(bubble.startedAt) > STREAM_LIFETIME_MS) {
      throw new FrameRejected(ErrorCode.reqIdExpired, 'stream expired (6 minutes after its first frame)');
    }
    const { message } = bubble;
    message.content = content;
    message.finished = finished;
    const mentions = mentionsIn(content);
    if (mentions) message.mentions = mentions;
    else delete message.mentions;
    this.changed(this.conversationById(callback.conversationId));
  }

  private respondWelcome(reqId: string, body: JsonObject): void {
    const callback = this.callbackFor(reqId, Cmd.respondWelcome);
    const content = readContent(body, checkMsgtype(body, WELCOME_MSGTYPES));
    this.commit(this.conversationById(callback.conversationId), botMessage('reply', content, this.now(), callback.msgid), content.taskId);
    callback.answered = true;
  }

  /** Replaces the clicked card in place; the card-type page says task_id is ignored on update (§1.9). */
  private respondUpdate(reqId: string, body: JsonObject): void {
    const callback = this.callbackFor(reqId, Cmd.respondUpdate);
    if (body.response_type !== 'update_template_card') {
      throw new FrameRejected(ErrorCode.invalidParameter, 'response_type must be update_template_card');
    }
    optionalStringList(body, 'userids');
    const card = objectField(body, 'template_card');
    const taskId = validateTemplateCard(card);
    const original = taskId === undefined ? undefined : this.cardsByTaskId.get(taskId);
    if (original) {
      original.message.content = JSON.stringify(card);
      this.changed(this.conversationById(original.conversationId));
    } else {
      const conversation = this.conversationById(callback.conversationId);
      conversation.botMessages.push(botMessage('reply', { msgtype: 'template_card', content: JSON.stringify(card) }, this.now(), callback.msgid));
      this.changed(conversation);
    }
    callback.answered = true;
  }

  private push(body: JsonObject): void {
    const chatType = body.chat_type;
    // Field reports: 1 = single (userid), 2 = group (chatid); absent is accepted (§1.10).
    if (chatType !== undefined && chatType !== 1 && chatType !== 2) {
      throw new FrameRejected(ErrorCode.invalidParameter, `invalid chat_type: ${String(chatType)}`);
    }
    const conversation = this.pushTarget(body.chatid, chatType);
    const content = readContent(body, checkMsgtype(body, PUSH_MSGTYPES));
    this.commit(conversation, botMessage('push', content, this.now()), content.taskId);
  }

  /** The bot may push only where someone has messaged it before (§1.10). */
  private pushTarget(chatid: unknown, chatType: 1 | 2 | undefined): Conversation {
    const conversation = typeof chatid === 'string' ? this.conversationsById.get(chatid) : undefined;
    const expected = chatType === undefined ? undefined : chatType === 1 ? 'single' : 'group';
    if (!conversation || conversation.userMessages.length === 0 || (expected && conversation.chattype !== expected)) {
      throw new FrameRejected(ErrorCode.invalidChatId, `invalid chatid: ${String(chatid)} (no user has messaged the bot there)`);
    }
    return conversation;
  }

  /** The callback `reqId` belongs to, if `cmd` is its one legal answer and its window is still open (§1.2, §1.8, §1.9). */
  private callbackFor(reqId: string, cmd: string): PendingCallback {
    const callback = this.callbacks.get(reqId);
    if (!callback || RESPONSE_COMMAND[callback.kind] !== cmd) {
      throw new FrameRejected(ErrorCode.invalidReqId, 'invalid req_id');
    }
    const window = callback.kind === 'message' ? MESSAGE_REPLY_WINDOW_MS : EVENT_REPLY_WINDOW_MS;
    if (callback.answered || this.elapsedSince(callback.deliveredAt) > window) {
      throw new FrameRejected(ErrorCode.reqIdExpired, 'req_id expired or already answered');
    }
    return callback;
  }

  /** Records a new bot message after the task_id and rate-limit checks; nothing is recorded if either fails. */
  private commit(conversation: Conversation, message: BotMessage, taskId?: string): void {
    // task_id must never repeat for the same bot (§1.11).
    if (taskId !== undefined && this.usedTaskIds.has(taskId)) {
      throw new FrameRejected(ErrorCode.invalidParameter, `task_id already used: ${taskId}`);
    }
    this.consumeSendQuota(conversation.id);
    if (taskId !== undefined) {
      this.usedTaskIds.add(taskId);
      this.cardsByTaskId.set(taskId, { conversationId: conversation.id, message });
    }
    conversation.botMessages.push(message);
    this.changed(conversation);
  }

  /** Replies and pushes share 30/min and 1 000/h per conversation, over rolling windows (§1.8, §1.10). */
  private consumeSendQuota(conversationId: string): void {
    const now = this.now().getTime();
    const lastHour = (this.sendLog.get(conversationId) ?? []).filter((at) => now - at < HOUR_MS);
    const lastMinute = lastHour.filter((at) => now - at < MINUTE_MS);
    this.sendLog.set(conversationId, lastHour);
    if (lastMinute.length >= this.settings.perMinute || lastHour.length >= this.settings.perHour) {
      throw new FrameRejected(ErrorCode.frequencyLimit, 'api freq out of limit');
    }
    lastHour.push(now);
  }

  // ---- callbacks and conversations ----------------------------------------------------------------------

  private deliverCallback(cmd: string, body: JsonObject, times: number): DeliveredCallback {
    const frame: WsFrame = { cmd, headers: { req_id: newReqId() }, body };
    const connection = this.currentConnection();
    this.registerCallback(frame);
    for (let i = 0; i < times; i += 1) this.send(connection, frame);
    return { msgid: String(body.msgid), reqId: frame.headers.req_id };
  }

  private registerCallback(frame: WsFrame): void {
    const body = frame.body;
    const conversation = body && this.conversationFor(body);
    if (!body || !conversation) return;
    const msgid = typeof body.msgid === 'string' ? body.msgid : '';
    if (frame.cmd === Cmd.messageCallback) this.recordUserMessage(conversation, body, msgid);
    const kind = callbackKindOf(frame.cmd, body);
    if (!kind) return;
    this.callbacks.set(frame.headers.req_id, {
      kind,
      msgid,
      conversationId: conversation.id,
      deliveredAt: this.now(),
      streams: new Map(),
      answered: false,
    });
  }

  private recordUserMessage(conversation: Conversation, body: JsonObject, msgid: string): void {
    if (conversation.userMessages.some((message) => message.msgid === msgid)) return;
    const from = isObject(body.from) ? body.from : {};
    const quote = isObject(body.quote) ? contentOf(body.quote) : undefined;
    conversation.userMessages.push({
      msgid,
      userid: String(from.userid ?? ''),
      content: contentOf(body),
      ...(quote === undefined ? {} : { quote }),
      at: this.now(),
    });
    this.changed(conversation);
  }

  /** The conversation a callback belongs to: chatid for groups, the sender's userid otherwise (§1.6). */
  private conversationFor(body: JsonObject): Conversation | undefined {
    const chattype: ChatType = body.chattype === 'group' ? 'group' : 'single';
    const from = isObject(body.from) ? body.from : {};
    const id = chattype === 'group' ? body.chatid : from.userid;
    if (typeof id !== 'string' || id === '') return undefined;
    const existing = this.conversationsById.get(id);
    if (existing) return existing;
    const created: Conversation = { id, chattype, userMessages: [], botMessages: [] };
    this.conversationsById.set(id, created);
    return created;
  }

  private conversationById(id: string): Conversation {
    const conversation = this.conversationsById.get(id);
    if (!conversation) throw new Error(`unknown conversation ${id}`);
    return conversation;
  }

  private changed(conversation: Conversation): void {
    for (const listener of this.listeners) listener(structuredClone(conversation));
  }

  // ---- sockets, acks, recording, timers -----------------------------------------------------------------

  private currentConnection(): Connection {
    const connection = [...this.connections].find((candidate) => candidate.authenticated);
    if (!connection) throw new Error('fake WeCom: no authenticated connection to deliver to');
    return connection;
  }

  /** Acks echo the request's req_id byte for byte: the SDK routes acks by it alone (§1.2). */
  private ack(connection: Connection, request: WsFrame, errcode: number, errmsg: string, afterSend?: () => void): void {
    const ack: WsFrame = { headers: { req_id: request.headers.req_id }, errcode, errmsg };
    const sendAck = () => {
      this.send(connection, ack);
      afterSend?.();
    };
    if (this.ackDelayMs > 0) this.later(this.ackDelayMs, sendAck);
    else sendAck();
  }

  private send(connection: Connection, frame: WsFrame): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.socket.send(JSON.stringify(frame));
    this.record('out', frame);
  }

  private record(direction: RecordedFrame['direction'], frame: WsFrame): void {
    this.frames.push({ direction, frame, at: this.now() });
    if (direction !== 'in') return;
    for (const waiter of this.waiters) if (waiter.matches(frame)) waiter.settle(frame);
  }

  private finishWaiter(waiter: FrameWaiter, timer: NodeJS.Timeout): void {
    this.waiters.delete(waiter);
    this.cancel(timer);
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

  private cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private now(): Date {
    return this.settings.now();
  }

  private unixSeconds(): number {
    return Math.floor(this.now().getTime() / 1_000);
  }

  private elapsedSince(start: Date): number {
    return this.now().getTime() - start.getTime();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsing and validation of client frames
// ---------------------------------------------------------------------------------------------------------

function parseClientFrame(data: RawData): WsFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(rawText(data));
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const { cmd, headers, body } = value;
  if (!isObject(headers) || typeof headers.req_id !== 'string') return undefined;
  if ((cmd !== undefined && typeof cmd !== 'string') || (body !== undefined && !isObject(body))) return undefined;
  return { ...value, cmd, headers: { ...headers, req_id: headers.req_id }, body };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function callbackKindOf(cmd: string | undefined, body: JsonObject): CallbackKind | undefined {
  if (cmd === Cmd.messageCallback) return 'message';
  if (cmd !== Cmd.eventCallback || !isObject(body.event)) return undefined;
  const eventtype = body.event.eventtype;
  return eventtype === 'enter_chat' || eventtype === 'template_card_event' ? eventtype : undefined;
}

function checkMsgtype<T extends string>(body: JsonObject, allowed: readonly T[]): T {
  const msgtype = body.msgtype;
  const match = allowed.find((candidate) => candidate === msgtype);
  if (match === undefined) throw new FrameRejected(ErrorCode.invalidMessageType, `invalid message type: ${String(msgtype)}`);
  return match;
}

/** The content of a one-shot (non-stream) message, validated; `msgtype` has already been checked. */
function readContent(body: JsonObject, msgtype: string): OutgoingContent {
  const payload = objectField(body, msgtype);
  if (msgtype === 'template_card') {
    const taskId = validateTemplateCard(payload);
    return { msgtype, content: JSON.stringify(payload), ...(taskId === undefined ? {} : { taskId }) };
  }
  if (MEDIA_MSGTYPES.includes(msgtype)) {
    checkMaxBytes(payload, 'title', 128);
    checkMaxBytes(payload, 'description', 512);
    return { msgtype, content: stringField(payload, 'media_id') };
  }
  const content = stringField(payload, 'content');
  checkContentBytes(content);
  checkFeedback(payload);
  return { msgtype, content };
}

function checkContentBytes(content: string): void {
  if (Buffer.byteLength(content, 'utf8') > CONTENT_MAX_BYTES) {
    throw new FrameRejected(ErrorCode.contentTooLarge, `content size out of limit (${CONTENT_MAX_BYTES} bytes)`);
  }
}

function checkFeedback(holder: JsonObject): void {
  const feedback = optionalObject(holder, 'feedback');
  if (feedback) checkMaxBytes(feedback, 'id', FEEDBACK_ID_MAX_BYTES);
}

/** Checks a template card against §1.11 and returns its task_id, if it has one. */
function validateTemplateCard(card: JsonObject): string | undefined {
  const cardType = card.card_type;
  if (typeof cardType !== 'string' || !CARD_TYPES.includes(cardType)) invalid(`invalid card_type: ${String(cardType)}`);
  listField(card, 'horizontal_content_list', 0, 6);
  listField(card, 'jump_list', 0, 3);
  checkFeedback(card);
  const actionMenu = optionalObject(card, 'action_menu');
  if (actionMenu) checkKeys(requiredList(actionMenu, 'action_list', 1, 3), 'key');
  checkCardTypeRules(cardType, card);
  const taskId = optionalString(card, 'task_id');
  const needsTaskId = cardType === 'button_interaction' || cardType === 'vote_interaction' || actionMenu !== undefined;
  if (needsTaskId && taskId === undefined) invalid(`task_id is required for ${String(cardType)} cards and cards with action_menu`);
  if (taskId !== undefined) checkTaskId(taskId);
  return taskId;
}

function checkCardTypeRules(cardType: string, card: JsonObject): void {
  switch (cardType) {
    case 'text_notice':
      if (!isObject(card.main_title) && typeof card.sub_title_text !== 'string') invalid('text_notice needs main_title or sub_title_text');
      objectField(card, 'card_action');
      return;
    case 'news_notice':
      objectField(card, 'main_title');
      if (!isObject(card.card_image) && !isObject(card.image_text_area)) invalid('news_notice needs card_image or image_text_area');
      objectField(card, 'card_action');
      listField(card, 'vertical_content_list', 0, 4);
      return;
    case 'button_interaction':
      return checkButtonCard(card);
    case 'vote_interaction':
      requiredList(objectField(card, 'checkbox'), 'option_list', 1, 20);
      objectField(card, 'submit_button');
      return;
    case 'multiple_interaction':
      for (const selector of requiredList(card, 'select_list', 1, 3)) checkSelector(selector);
      objectField(card, 'submit_button');
      return;
  }
}

function checkButtonCard(card: JsonObject): void {
  const buttons = card.button_list;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 6) {
    throw new FrameRejected(ErrorCode.invalidButtonSize, 'invalid button size: button_list needs 1 to 6 buttons');
  }
  checkKeys(buttons, 'key');
  const selection = optionalObject(card, 'button_selection');
  if (selection) checkSelector(selection);
}

function checkSelector(selector: unknown): void {
  if (!isObject(selector)) invalid('a selector must be an object');
  checkMaxBytes(selector, 'question_key', KEY_MAX_BYTES);
  requiredList(selector, 'option_list', 1, 10);
}

/** Every item needs a `key` of at most 1 024 bytes, unique within the list. */
function checkKeys(items: unknown[], keyName: string): void {
  const keys = items.map((item) => (isObject(item) ? stringField(item, keyName) : invalid(`list items need a ${keyName}`)));
  for (const key of keys) if (Buffer.byteLength(key, 'utf8') > KEY_MAX_BYTES) invalid(`${keyName} longer than ${KEY_MAX_BYTES} bytes`);
  if (new Set(keys).size !== keys.length) invalid(`duplicate ${keyName} in list`);
}

function checkTaskId(taskId: string): void {
  if (!TASK_ID_PATTERN.test(taskId)) invalid(`task_id may contain only [0-9A-Za-z_-@]: ${taskId}`);
  if (Buffer.byteLength(taskId, 'utf8') > TASK_ID_MAX_BYTES) invalid(`task_id longer than ${TASK_ID_MAX_BYTES} bytes`);
}

// ---- small typed readers; all failures are 40058 invalid parameter ----

function invalid(message: string): never {
  throw new FrameRejected(ErrorCode.invalidParameter, `invalid parameter: ${message}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectField(holder: JsonObject, key: string): JsonObject {
  const value = holder[key];
  return isObject(value) ? value : invalid(`${key} must be an object`);
}

function optionalObject(holder: JsonObject, key: string): JsonObject | undefined {
  return holder[key] === undefined ? undefined : objectField(holder, key);
}

function stringField(holder: JsonObject, key: string): string {
  const value = holder[key];
  return typeof value === 'string' ? value : invalid(`${key} must be a string`);
}

function optionalString(holder: JsonObject, key: string): string | undefined {
  return holder[key] === undefined ? undefined : stringField(holder, key);
}

function optionalStringList(holder: JsonObject, key: string): void {
  const value = holder[key];
  if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) invalid(`${key} must be a list of strings`);
}

function checkMaxBytes(holder: JsonObject, key: string, maxBytes: number): void {
  const value = optionalString(holder, key);
  if (value !== undefined && Buffer.byteLength(value, 'utf8') > maxBytes) invalid(`${key} longer than ${maxBytes} bytes`);
}

function listField(holder: JsonObject, key: string, min: number, max: number): unknown[] {
  const value = holder[key] ?? [];
  if (!Array.isArray(value) || value.length < min || value.length > max) invalid(`${key} needs ${min} to ${max} items`);
  return value;
}

function requiredList(holder: JsonObject, key: string, min: number, max: number): unknown[] {
  if (holder[key] === undefined) invalid(`${key} is required`);
  return listField(holder, key, min, max);
}

// ---- helpers for building and describing messages ----

function chatTypeOf(input: { chatid?: string; chattype?: ChatType }): ChatType {
  const chattype = input.chattype ?? (input.chatid ? 'group' : 'single');
  if (chattype === 'group' && !input.chatid) throw new Error('a group message needs a chatid');
  return chattype;
}

function botMessage(kind: BotMessage['kind'], content: OutgoingContent, at: Date, inReplyTo?: string): BotMessage {
  const mentions = content.msgtype === 'template_card' ? undefined : mentionsIn(content.content);
  return {
    kind,
    msgtype: content.msgtype,
    content: content.content,
    finished: true,
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    at,
    ...(mentions ? { mentions } : {}),
  };
}

function mentionsIn(content: string): string[] | undefined {
  const mentions = [...content.matchAll(/<@([^<>\s]+)>/g)].map((match) => match[1] ?? '');
  return mentions.length > 0 ? mentions : undefined;
}

/** Readable text of a callback body or quote: text parts verbatim, other parts as `[msgtype]` (§1.6). */
function contentOf(message: JsonObject): string {
  const msgtype = String(message.msgtype ?? '');
  const part = message[msgtype];
  const payload = isObject(part) ? part : {};
  if (msgtype === 'text' || msgtype === 'voice') return String(payload.content ?? '');
  if (msgtype === 'mixed' && Array.isArray(payload.msg_item)) {
    return payload.msg_item.map((item: unknown) => (isObject(item) ? contentOf(item) : '')).join('\n');
  }
  return `[${msgtype}]`;
}

function newReqId(): string {
  return randomBytes(16).toString('hex');
}

/** Real msgids look like base64 (`CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=`, §1.6). */
function newMsgId(): string {
  return randomBytes(21).toString('base64');
}
