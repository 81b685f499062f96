import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { Notification } from '../../src/db/entities/index.js';
import { DeliveryChannel, NotificationKind, type NotificationDraft } from '../../src/domain/notification.js';
import type { NotificationRecord } from '../../src/domain/records.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { PermanentDeliveryError, type Channel } from '../../src/notifications/channel.js';
import { NotificationsDocument, ResendNotificationDocument } from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Behaviour = 'deliver' | 'fail' | 'reject' | 'hang';

/** A channel whose answer to each message the test decides, and that records what reached it. */
class ScriptedChannel implements Channel {
  readonly name = DeliveryChannel.DEV;
  readonly delivered: string[] = [];
  readonly attempts = new Map<string, number>();
  behaviour: (message: NotificationRecord, attempt: number) => Behaviour = () => 'deliver';

  async send(message: NotificationRecord, signal: AbortSignal): Promise<void> {
    const attempt = (this.attempts.get(message.idempotencyKey) ?? 0) + 1;
    this.attempts.set(message.idempotencyKey, attempt);
    switch (this.behaviour(message, attempt)) {
      case 'deliver':
        this.delivered.push(message.idempotencyKey);
        return;
      case 'fail':
        throw new Error('chat service unavailable (503)');
      case 'reject':
        throw new PermanentDeliveryError('invalid webhook url (93000)');
      case 'hang':
        // Answers only when the dispatcher gives up on it.
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    }
  }
}

let t: TestApp;
let admin: string;
let agent: string;
const channel = new ScriptedChannel();
let sequence = 0;

beforeAll(async () => {
  t = await startTestApp(
    { OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_RETRY_BASE_MS: '50', OUTBOX_RETRY_MAX_MS: '200', OUTBOX_SEND_TIMEOUT_MS: '300', OUTBOX_POLL_MS: '100' },
    undefined,
    { channel },
  );
  admin = await t.token('root', StaffRole.ADMIN);
  agent = await t.token('lisi', StaffRole.AGENT);
});
afterAll(() => t.close());

/** Writes messages to the outbox as a use case does (in a transaction) and wakes the dispatcher. */
async function enqueue(...conversations: string[]): Promise<string[]> {
  const drafts: NotificationDraft[] = conversations.map((conversation) => ({
    kind: NotificationKind.REMINDER,
    ticketId: null,
    conversation,
    text: `消息 ${++sequence}`,
    mentions: [],
    mentionAll: false,
    idempotencyKey: `test:${sequence}`,
  }));
  await inTransaction(t.app.orm, (em) => em.getRepository(Notification).enqueue(drafts, new Date()));
  t.app.dispatcher.wake();
  return drafts.map((d) => d.idempotencyKey);
}

const stateOf = async (key: string) => (await t.db.query<{ status: string; attempts: number; last_error: string | null; id: string }>('select id, status, attempts, last_error from notifications where idempotency_key = $1', [key])).rows[0]!;

describe('the notification outbox', () => {
  it('delivers each message once, in order per conversation', async () => {
    const keys = await enqueue('chat:a', 'chat:b', 'chat:a', 'chat:a');
    await vi.waitFor(() => expect(channel.delivered).toEqual(expect.arrayContaining(keys)));
    expect(channel.delivered.filter((k) => ['test:1', 'test:3', 'test:4'].includes(k))).toEqual(['test:1', 'test:3', 'test:4']);
    for (const key of keys) await vi.waitFor(async () => expect(await stateOf(key)).toMatchObject({ status: 'SENT', attempts: 1 }));
    expect(keys.map((k) => channel.attempts.get(k))).toEqual([1, 1, 1, 1]);
  });

  it('retries a failed send with back-off, holding back the rest of its conversation, and delivers it', async () => {
    const failing = `消息 ${sequence + 1}`;
    channel.behaviour = (message, attempt) => (message.text === failing && attempt < 3 ? 'fail' : 'deliver');
    const [first, second] = await enqueue('chat:c', 'chat:c');
    const [elsewhere] = await enqueue('chat:d');
    await vi.waitFor(() => expect(channel.delivered).toContain(elsewhere));
    await vi.waitFor(() => expect(channel.delivered).toContain(second));
    const order = channel.delivered.filter((k) => k === first || k === second);
    expect(order).toEqual([first, second]);
    await vi.waitFor(async () => expect(await stateOf(first!)).toMatchObject({ status: 'SENT', attempts: 3 }));
    expect(channel.attempts.get(first!)).toBe(3);
    expect(channel.attempts.get(second!)).toBe(1);
  });

  it('makes a message that fails its last attempt a dead letter, which an admin sees and can resend', async () => {
    channel.behaviour = () => 'fail';
    const [key] = await enqueue('chat:e');
    await vi.waitFor(async () => expect(await stateOf(key!)).toMatchObject({ status: 'DEAD', attempts: 3, last_error: 'chat service unavailable (503)' }));
    expect(channel.attempts.get(key!)).toBe(3);

    const dead = dataOf(await t.gql(NotificationsDocument, { filter: { status: ['DEAD'] } }, admin)).notifications;
    const letter = dead.edges.map((e) => e.node).find((n) => n.text === `消息 ${sequence}`)!;
    expect(letter).toMatchObject({ status: 'DEAD', attempts: 3, lastError: 'chat service unavailable (503)', channel: null, sentAt: null });

    expect(errorOf(await t.gql(ResendNotificationDocument, { id: letter.id }, agent))).toMatchObject({ code: 'FORBIDDEN' });
    channel.behaviour = () => 'deliver';
    expect(dataOf(await t.gql(ResendNotificationDocument, { id: letter.id }, admin)).resendNotification).toMatchObject({ status: 'PENDING', attempts: 0 });
    await vi.waitFor(async () => expect(await stateOf(key!)).toMatchObject({ status: 'SENT', attempts: 1 }));
    expect(errorOf(await t.gql(ResendNotificationDocument, { id: letter.id }, admin))).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringContaining('DEAD') });
    expect(errorOf(await t.gql(ResendNotificationDocument, { id: '999999' }, admin))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives up at once on a message the channel rejects for good', async () => {
    channel.behaviour = () => 'reject';
    const [key] = await enqueue('chat:f');
    await vi.waitFor(async () => expect(await stateOf(key!)).toMatchObject({ status: 'DEAD', attempts: 1, last_error: 'invalid webhook url (93000)' }));
    channel.behaviour = () => 'deliver';
  });

  it('times out a channel that hangs, without holding back other conversations', async () => {
    channel.behaviour = (message, attempt) => (message.conversation === 'chat:slow' && attempt === 1 ? 'hang' : 'deliver');
    const [slow] = await enqueue('chat:slow');
    const [quick] = await enqueue('chat:quick');
    await vi.waitFor(() => expect(channel.delivered).toContain(quick));
    await vi.waitFor(() => expect(channel.delivered).toContain(slow));
    await vi.waitFor(async () => expect(await stateOf(slow!)).toMatchObject({ status: 'SENT', attempts: 2 }));
    expect(channel.attempts.get(slow!)).toBe(2);
  });

  it('never writes the same message twice', async () => {
    const [key] = await enqueue('chat:g');
    await inTransaction(t.app.orm, (em) =>
      em.getRepository(Notification).enqueue([{ kind: NotificationKind.REMINDER, ticketId: null, conversation: 'chat:g', text: 'again', mentions: [], mentionAll: false, idempotencyKey: key! }], new Date()),
    );
    const { rows } = await t.db.query('select text from notifications where idempotency_key = $1', [key]);
    expect(rows).toEqual([{ text: `消息 ${sequence}` }]);
  });
});

/** A channel that takes a conversation's messages several at once (as the development channel does), all or none. */
class BatchChannel extends ScriptedChannel {
  readonly runs: string[][] = [];

  async sendAll(messages: readonly NotificationRecord[], signal: AbortSignal): Promise<void> {
    const keys = messages.map((m) => m.idempotencyKey);
    this.runs.push(keys);
    // The run succeeds or fails as its first message would.
    const deliveredBefore = this.delivered.length;
    await this.send(messages[0]!, signal);
    if (this.delivered.length > deliveredBefore) this.delivered.push(...keys.slice(1));
  }
}

describe('the outbox with a channel that takes several messages at once', () => {
  let b: TestApp;
  const batch = new BatchChannel();
  let next = 0;
  beforeAll(async () => {
    b = await startTestApp({ OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_RETRY_BASE_MS: '50', OUTBOX_RETRY_MAX_MS: '200', OUTBOX_POLL_MS: '100' }, undefined, { channel: batch });
  });
  afterAll(() => b?.close());

  const enqueueBatch = async (...conversations: string[]) => {
    const drafts: NotificationDraft[] = conversations.map((conversation) => ({
      kind: NotificationKind.REMINDER,
      ticketId: null,
      conversation,
      text: `批量 ${++next}`,
      mentions: [],
      mentionAll: false,
      idempotencyKey: `batch:${next}`,
    }));
    await inTransaction(b.app.orm, (em) => em.getRepository(Notification).enqueue(drafts, new Date()));
    b.app.dispatcher.wake();
    return drafts.map((d) => d.idempotencyKey);
  };
  const statusOf = async (key: string) => (await b.db.query<{ status: string; attempts: number }>('select status, attempts from notifications where idempotency_key = $1', [key])).rows[0]!;

  it('hands a conversation its waiting messages as one run, in order', async () => {
    const [x1, x2, y1, x3] = await enqueueBatch('chat:x', 'chat:x', 'chat:y', 'chat:x');
    for (const key of [x1, x2, y1, x3]) await vi.waitFor(async () => expect(await statusOf(key!)).toEqual({ status: 'SENT', attempts: 1 }));
    expect(batch.runs).toContainEqual([x1, x2, x3]);
    expect(batch.delivered.filter((k) => [x1, x2, x3].includes(k))).toEqual([x1, x2, x3]);
  });

  it('retries a failed run whole, still in order, and delivers each message once', async () => {
    batch.behaviour = (message, attempt) => (message.conversation === 'chat:z' && attempt === 1 ? 'fail' : 'deliver');
    const keys = await enqueueBatch('chat:z', 'chat:z', 'chat:z');
    for (const key of keys) await vi.waitFor(async () => expect((await statusOf(key)).status).toBe('SENT'));
    expect(await statusOf(keys[0]!)).toEqual({ status: 'SENT', attempts: 2 });
    expect(batch.runs.filter((run) => run.some((k) => keys.includes(k)))).toEqual([keys, keys]);
    expect(batch.delivered.filter((k) => keys.includes(k))).toEqual(keys);
  });
});
