/**
 * Plays WeCom's side of a self-built app's callback URL (/work/shared/wecom-protocol.md §3, §7.3 C):
 * the GET URL verification with an encrypted `echostr`, and encrypted XML message/event POSTs with WeCom's
 * 5 s deadline and its three retries of the identical payload. Encryption and signatures come from the
 * official `@wecom/crypto` package, so what our callback handler receives here is byte for byte what a
 * real tenant would send (the §3.7 vectors are reproduced by the tests).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

/** WeCom drops a POST after 5 s (§3.5, §3.6). */
const POST_TIMEOUT_MS = 5_000;
/** The verification GET must be answered within 1 s (§3.2). */
const VERIFY_TIMEOUT_MS = 1_000;
/** "Three retries in total" after the first attempt (§3.6). */
const RETRIES = 3;

export interface AppCallbackPosterOptions {
  /** The app's callback Token (§3.1). */
  token: string;
  /** 43 characters; base64-decodes (with "=") to the 32-byte AES key (§3.3). */
  encodingAESKey: string;
  /** The receiveid of a self-built app's ciphertexts (§3.3). */
  corpId: string;
  /** Per-attempt deadline of POSTs; default 5 000 ms (§3.6). */
  timeoutMs?: number;
  /** Deadline of the verification GET; default 1 000 ms (§3.2). */
  verifyTimeoutMs?: number;
  /** Retries after a late or non-200 answer; default 3 (§3.6). */
  retries?: number;
  /** Pause between attempts; WeCom's is undocumented, default 0. */
  retryDelayMs?: number;
  now?: () => Date;
}

/** A text message a member sends to the app (§3.4). */
export interface CallbackTextMessage {
  fromUser: string;
  content: string;
  /** 64-bit integer as a decimal string (§3.4); random when absent. */
  msgId?: string;
  agentId: number;
  /** Epoch seconds; now when absent. */
  createTime?: number;
}

/** A click on an app's template card (§3.4, template_card_event). */
export interface CallbackCardEvent {
  fromUser: string;
  agentId: number;
  eventKey: string;
  taskId: string;
  /** e.g. button_interaction. */
  cardType: string;
  /** A fresh one from FakeWeComHttpApi.cardClickResponseCode (§5.3). */
  responseCode: string;
  /** `template_card_event` (default) or `template_card_menu_event` (no SelectedItems). */
  event?: 'template_card_event' | 'template_card_menu_event';
  selectedItems?: Array<{ questionKey: string; optionIds: string[] }>;
  createTime?: number;
}

/** Fixed values so a callback can be reproduced exactly (e.g. the §3.7 vectors); random when absent. */
export interface EnvelopeOptions {
  timestamp?: string | number;
  nonce?: string | number;
  /** The 16 random bytes in front of the plaintext (§3.3). */
  random?: Buffer;
  /** Send a wrong msg_signature (one hex digit changed). */
  tamperSignature?: boolean;
}

export interface PostOptions extends EnvelopeOptions {
  /** Send the identical request this many more times even after a 200, to test dedupe by MsgId (§3.6). */
  forceRetries?: number;
  /** Overrides the poster's `retries` for this call. */
  retries?: number;
  timeoutMs?: number;
}

export interface VerifyOptions extends EnvelopeOptions {
  /** The plaintext echostr; WeCom's look like `1616140317555161061` (§3.7 b). Random digits when absent. */
  echostr?: string;
  timeoutMs?: number;
}

/** A ready-to-send callback POST. */
export interface BuiltCallback {
  /** The callback URL with msg_signature, timestamp and nonce added. */
  url: string;
  query: { msg_signature: string; timestamp: string; nonce: string };
  /** The outer XML: ToUserName, AgentID, Encrypt (§3.4). */
  body: string;
  /** The inner XML that was encrypted. */
  plaintext: string;
  encrypt: string;
}

export interface BuiltVerification {
  url: string;
  query: { msg_signature: string; timestamp: string; nonce: string; echostr: string };
  /** What a correct handler answers with. */
  plaintextEchostr: string;
}

export interface CallbackAttempt {
  /** Absent when no answer came in time or the connection failed. */
  status?: number;
  body: string;
  timedOut: boolean;
  error?: string;
  durationMs: number;
}

/** An encrypted passive reply (§3.5), checked and decrypted. */
export interface PassiveReply {
  /** The decrypted inner XML. */
  xml: string;
  /** Its top-level elements, e.g. { ToUserName, FromUserName, CreateTime, MsgType, Content }. */
  fields: Record<string, string>;
  signatureValid: boolean;
  /** The receiveid after the message equals the CorpID (§3.3). */
  receiveIdValid: boolean;
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export interface CallbackResult {
  /** The last attempt's HTTP status (absent if it got no answer). */
  status?: number;
  /** The last attempt's body. */
  body: string;
  /** The last attempt was a 200 within the deadline. */
  ok: boolean;
  attempts: number;
  attemptLog: CallbackAttempt[];
  /** Present when the last body was an encrypted XML reply. */
  reply?: PassiveReply;
  /** Why an encrypted-looking reply could not be decrypted. */
  replyError?: string;
  /** What was sent (identically, on every attempt). */
  request: BuiltCallback;
  /** The MsgId of a text message, for dedupe assertions. */
  msgId?: string;
}

export interface VerificationResult {
  /** The handler answered 200 in time with exactly the plaintext echostr (no quotes, BOM or newline, §3.2). */
  ok: boolean;
  status?: number;
  body: string;
  timedOut: boolean;
  error?: string;
  request: BuiltVerification;
}

export class AppCallbackPoster {
  private readonly timeoutMs: number;
  private readonly verifyTimeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: AppCallbackPosterOptions) {
    if (Buffer.from(`${options.encodingAESKey}=`, 'base64').length !== 32) throw new Error('invalid EncodingAESKey: must decode to 32 bytes (§3.3)');
    this.timeoutMs = options.timeoutMs ?? POST_TIMEOUT_MS;
    this.verifyTimeoutMs = options.verifyTimeoutMs ?? VERIFY_TIMEOUT_MS;
    this.retries = options.retries ?? RETRIES;
    this.retryDelayMs = options.retryDelayMs ?? 0;
    this.now = options.now ?? (() => new Date());
  }

  // ---- URL verification (§3.2) --------------------------------------------------------------------------

  /** Whether the handler at `callbackUrl` passes WeCom's URL verification. */
  async verifyUrl(callbackUrl: string, options: VerifyOptions = {}): Promise<boolean> {
    return (await this.verify(callbackUrl, options)).ok;
  }

  /** The verification GET with everything that came back. */
  async verify(callbackUrl: string, options: VerifyOptions = {}): Promise<VerificationResult> {
    const request = this.buildVerification(callbackUrl, options);
    const attempt = await send('GET', request.url, undefined, options.timeoutMs ?? this.verifyTimeoutMs);
    return {
      ok: attempt.status === 200 && attempt.body === request.plaintextEchostr,
      ...(attempt.status === undefined ? {} : { status: attempt.status }),
      body: attempt.body,
      timedOut: attempt.timedOut,
      ...(attempt.error === undefined ? {} : { error: attempt.error }),
      request,
    };
  }

  buildVerification(callbackUrl: string, options: VerifyOptions = {}): BuiltVerification {
    const plaintextEchostr = options.echostr ?? randomDigits(19);
    const echostr = encrypt(this.options.encodingAESKey, plaintextEchostr, this.options.corpId, options.random ?? randomBytes(16));
    const { timestamp, nonce } = this.stamp(options);
    const query = { msg_signature: this.signature(timestamp, nonce, echostr, options.tamperSignature), timestamp, nonce, echostr };
    return { url: withQuery(callbackUrl, query), query, plaintextEchostr };
  }

  // ---- message and event POSTs (§3.4, §3.6) -------------------------------------------------------------

  /** Posts a member's text message to the app, as WeCom does (retries included). */
  async postMessage(callbackUrl: string, message: CallbackTextMessage, options: PostOptions = {}): Promise<CallbackResult> {
    const msgId = message.msgId ?? randomMsgId();
    const xml = textMessageXml(this.options.corpId, { ...message, msgId, createTime: message.createTime ?? this.unixSeconds() });
    return { ...(await this.postPlaintext(callbackUrl, xml, message.agentId, options)), msgId };
  }

  /** Posts a template card click (§3.4); its ResponseCode allows one update_template_card (§5.3). */
  postCardEvent(callbackUrl: string, event: CallbackCardEvent, options: PostOptions = {}): Promise<CallbackResult> {
    const xml = cardEventXml(this.options.corpId, { ...event, createTime: event.createTime ?? this.unixSeconds() });
    return this.postPlaintext(callbackUrl, xml, event.agentId, options);
  }

  /** Encrypts any inner XML and posts it with WeCom's deadline and retry policy. */
  async postPlaintext(callbackUrl: string, plaintextXml: string, agentId: number, options: PostOptions = {}): Promise<CallbackResult> {
    const request = this.buildPost(callbackUrl, plaintextXml, agentId, options);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const retries = options.retries ?? this.retries;
    const forced = options.forceRetries ?? 0;
    const attemptLog: CallbackAttempt[] = [];
    for (;;) {
      const attempt = await send('POST', request.url, request.body, timeoutMs);
      attemptLog.push(attempt);
      const failed = attempt.status !== 200;
      const sent = attemptLog.length;
      const more = (failed && sent <= retries) || sent <= forced;
      if (!more) break;
      if (this.retryDelayMs > 0) await sleep(this.retryDelayMs);
    }
    const last = attemptLog[attemptLog.length - 1] ?? { body: '', timedOut: false, durationMs: 0 };
    const result: CallbackResult = {
      ...(last.status === undefined ? {} : { status: last.status }),
      body: last.body,
      ok: last.status === 200,
      attempts: attemptLog.length,
      attemptLog,
      request,
    };
    if (last.status === 200 && /<Encrypt>/.test(last.body)) {
      try {
        result.reply = this.openReply(last.body);
      } catch (error) {
        result.replyError = error instanceof Error ? error.message : String(error);
      }
    }
    return result;
  }

  /** The POST WeCom would send for `plaintextXml` (§3.3, §3.4), without sending it. */
  buildPost(callbackUrl: string, plaintextXml: string, agentId: number, options: EnvelopeOptions = {}): BuiltCallback {
    const encrypted = encrypt(this.options.encodingAESKey, plaintextXml, this.options.corpId, options.random ?? randomBytes(16));
    const { timestamp, nonce } = this.stamp(options);
    const query = { msg_signature: this.signature(timestamp, nonce, encrypted, options.tamperSignature), timestamp, nonce };
    const body = `<xml><ToUserName>${cdata(this.options.corpId)}</ToUserName><AgentID>${cdata(String(agentId))}</AgentID><Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
    return { url: withQuery(callbackUrl, query), query, body, plaintext: plaintextXml, encrypt: encrypted };
  }

  /** Checks and decrypts a passive reply `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>` (§3.5). */
  openReply(body: string): PassiveReply {
    const outer = parseFlatXml(body);
    const encrypted = outer.Encrypt;
    if (encrypted === undefined) throw new Error('reply has no Encrypt element');
    const msgSignature = outer.MsgSignature ?? '';
    const timestamp = outer.TimeStamp ?? '';
    const nonce = outer.Nonce ?? '';
    const { message, id } = decrypt(this.options.encodingAESKey, encrypted);
    return {
      xml: message,
      fields: parseFlatXml(message),
      signatureValid: getSignature(this.options.token, timestamp, nonce, encrypted) === msgSignature,
      receiveIdValid: id === this.options.corpId,
      encrypt: encrypted,
      msgSignature,
      timestamp,
      nonce,
    };
  }

  private stamp(options: EnvelopeOptions): { timestamp: string; nonce: string } {
    return {
      timestamp: String(options.timestamp ?? this.unixSeconds()),
      nonce: String(options.nonce ?? randomDigits(10)),
    };
  }

  private signature(timestamp: string, nonce: string, encrypted: string, tamper = false): string {
    const signature = getSignature(this.options.token, timestamp, nonce, encrypted);
    if (!tamper) return signature;
    return `${signature[0] === '0' ? '1' : '0'}${signature.slice(1)}`;
  }

  private unixSeconds(): number {
    return Math.floor(this.now().getTime() / 1_000);
  }
}

// ---------------------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------------------

/** The decrypted text message of §3.4, element for element (the §3.7 (a) plaintext has this exact form). */
export function textMessageXml(corpId: string, message: Required<CallbackTextMessage>): string {
  return (
    `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata(message.fromUser)}</FromUserName>` +
    `<CreateTime>${message.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(message.content)}</Content>` +
    `<MsgId>${message.msgId}</MsgId><AgentID>${message.agentId}</AgentID></xml>`
  );
}

/** The decrypted template_card_event of §3.4. */
export function cardEventXml(corpId: string, event: CallbackCardEvent & { createTime: number }): string {
  const eventName = event.event ?? 'template_card_event';
  const selected =
    eventName === 'template_card_event' && event.selectedItems && event.selectedItems.length > 0
      ? `<SelectedItems>${event.selectedItems
          .map(
            (item) =>
              `<SelectedItem><QuestionKey>${cdata(item.questionKey)}</QuestionKey><OptionIds>${item.optionIds
                .map((id) => `<OptionId>${cdata(id)}</OptionId>`)
                .join('')}</OptionIds></SelectedItem>`,
          )
          .join('')}</SelectedItems>`
      : '';
  return (
    `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata(event.fromUser)}</FromUserName>` +
    `<CreateTime>${event.createTime}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata(eventName)}</Event>` +
    `<EventKey>${cdata(event.eventKey)}</EventKey><TaskId>${cdata(event.taskId)}</TaskId><CardType>${cdata(event.cardType)}</CardType>` +
    `<ResponseCode>${cdata(event.responseCode)}</ResponseCode><AgentID>${event.agentId}</AgentID>${selected}</xml>`
  );
}

/** `]]>` inside a value is split across two CDATA sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Top-level elements of a flat WeCom XML document (CDATA or plain text); nested elements keep their raw XML. */
export function parseFlatXml(xml: string): Record<string, string> {
  const inner = /<xml>([\s\S]*)<\/xml>/.exec(xml.trim())?.[1] ?? '';
  const fields: Record<string, string> = {};
  const element = /<([A-Za-z_][\w.-]*)>([\s\S]*?)<\/\1>/g;
  for (const match of inner.matchAll(element)) {
    const [, name, raw] = match;
    if (name === undefined || raw === undefined) continue;
    fields[name] = raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------

/** One attempt on a fresh connection (no keep-alive), dropped at the deadline like WeCom does (§3.6). */
function send(method: 'GET' | 'POST', url: string, body: string | undefined, timeoutMs: number): Promise<CallbackAttempt> {
  const started = Date.now();
  const target = new URL(url);
  const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (attempt: Omit<CallbackAttempt, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...attempt, durationMs: Date.now() - started });
    };
    const request = requestFn(
      target,
      {
        method,
        agent: false,
        headers: body === undefined ? {} : { 'content-type': 'text/xml; charset=utf-8', 'content-length': Buffer.byteLength(body) },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => finish({ ...(response.statusCode === undefined ? {} : { status: response.statusCode }), body: Buffer.concat(chunks).toString('utf8'), timedOut: false }));
        response.on('error', (error) => finish({ body: '', timedOut: false, error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ body: '', timedOut: true, error: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => finish({ body: '', timedOut: false, error: error.message }));
    request.end(body);
  });
}

function withQuery(callbackUrl: string, query: Record<string, string>): string {
  const url = new URL(callbackUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function randomDigits(length: number): string {
  const digits = [...randomBytes(length)].map((byte) => String(byte % 10));
  if (digits[0] === '0') digits[0] = '1';
  return digits.join('');
}

/** A positive 63-bit integer as a decimal string: MsgIds exceed 2^53 (§3.4). */
function randomMsgId(): string {
  return (randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn).toString();
}
