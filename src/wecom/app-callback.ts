import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { fitBytes } from '../chat/byte-limit.js';

/** What the app's callback is set up with in the admin console (reference 3.1). */
export interface CallbackKeys {
  readonly token: string;
  readonly encodingAESKey: string;
  /** The receiveid every payload must end with (reference 3.3). */
  readonly corpId: string;
}

export interface SignedQuery {
  readonly msg_signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

/** Why a callback was refused: it is not from WeCom, or not for us. */
export class CallbackRefused extends Error {
  constructor(readonly reason: 'signature' | 'payload' | 'receiver', message: string) {
    super(message);
    this.name = 'CallbackRefused';
  }
}

/** Reference 3.5: a passive text reply, at most 2,048 bytes. */
const REPLY_MAX_BYTES = 2048;

// MsgId is a 64-bit integer (reference 3.4): kept as text, like every other value.
const parser = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: false });
const builder = new XMLBuilder({ cdataPropName: '__cdata' });

const cdata = (value: string) => ({ __cdata: value });

/** A decrypted callback's fields (flat: text messages and the events this service reads). */
export type CallbackFields = Readonly<Record<string, string | undefined>>;

/**
 * The self-built app's callback cryptography (reference 3.2–3.5) on the official `@wecom/crypto`:
 * the signature over token, timestamp, nonce and ciphertext is checked before anything is
 * decrypted, and the plaintext must name our corp.
 */
export class AppCallbackCrypto {
  constructor(private readonly keys: CallbackKeys) {}

  /** GET URL verification: the echostr's plaintext, to be answered as is. */
  verifyUrl(query: SignedQuery & { readonly echostr: string }): string {
    return this.open(query, query.echostr);
  }

  /** POST: the fields of the message inside the encrypted XML body. */
  readMessage(query: SignedQuery, body: string): CallbackFields {
    const envelope = this.parse(body);
    const ciphertext = envelope['Encrypt'];
    if (!ciphertext) throw new CallbackRefused('payload', 'no Encrypt element in the callback body');
    return this.parse(this.open(query, ciphertext));
  }

  /** The encrypted, signed passive reply with `text` for `toUser` (reference 3.5). */
  textReply(toUser: string, text: string, now: Date): string {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const plaintext = builder.build({
      xml: {
        ToUserName: cdata(toUser),
        FromUserName: cdata(this.keys.corpId),
        CreateTime: timestamp,
        MsgType: cdata('text'),
        Content: cdata(fitBytes(text, REPLY_MAX_BYTES)),
      },
    }) as string;
    const ciphertext = encrypt(this.keys.encodingAESKey, plaintext, this.keys.corpId);
    const signature = getSignature(this.keys.token, timestamp, nonce, ciphertext);
    return builder.build({ xml: { Encrypt: cdata(ciphertext), MsgSignature: cdata(signature), TimeStamp: timestamp, Nonce: cdata(nonce) } }) as string;
  }

  private open(query: SignedQuery, ciphertext: string): string {
    if (getSignature(this.keys.token, query.timestamp, query.nonce, ciphertext) !== query.msg_signature) {
      throw new CallbackRefused('signature', 'the msg_signature does not match the payload');
    }
    let opened: { message: string; id: string };
    try {
      opened = decrypt(this.keys.encodingAESKey, ciphertext);
    } catch (error) {
      throw new CallbackRefused('payload', `the payload cannot be decrypted: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (opened.id !== this.keys.corpId) throw new CallbackRefused('receiver', 'the payload is for another corp');
    return opened.message;
  }

  private parse(xml: string): CallbackFields {
    let parsed: unknown;
    try {
      parsed = parser.parse(xml);
    } catch {
      throw new CallbackRefused('payload', 'the callback body is not XML');
    }
    const root = (parsed as { xml?: unknown } | null)?.xml;
    if (!root || typeof root !== 'object') throw new CallbackRefused('payload', 'the callback body has no <xml> root');
    return Object.fromEntries(Object.entries(root).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]));
  }
}
