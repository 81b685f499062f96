import { print } from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { signToken } from '../../src/auth/tokens.js';
import { TicketEvent } from '../../src/db/entities/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { Priority } from '../../src/domain/priority.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { TicketEventType } from '../../src/domain/ticket-event.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { getTicket } from '../../src/tickets/ticket-queries.js';
import { dataOf } from '../support/graphql-client.js';
import {
  AssignTicketDocument,
  CreateTicketDocument,
  TicketDocument,
  TicketStatsDocument,
  type TicketStatsQuery,
  TicketUpdatedDocument,
  UpdateTicketStatusDocument,
  type TicketUpdatedSubscription,
  type TicketUpdatedSubscriptionVariables,
} from '../support/graphql.generated.js';
import { liveUrl, LiveSubscription } from '../support/live-client.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

type Update = TicketUpdatedSubscription['ticketUpdated'];

const UPDATES = print(TicketUpdatedDocument);
const QUIET_MS = 300;

describe('live ticket updates across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let token: string;
  const open: LiveSubscription<unknown>[] = [];

  const subscribe = async (on: TestApp, variables: TicketUpdatedSubscriptionVariables = {}) => {
    const subscription = new LiveSubscription<TicketUpdatedSubscription>(on.app.http.url, token, UPDATES, variables);
    open.push(subscription);
    // Subscribed once the server holds the subscriber (the hub counts it).
    const before = on.app.hub.subscriberCount;
    await vi.waitFor(() => expect(on.app.hub.subscriberCount).toBeGreaterThan(before));
    return subscription;
  };
  const updatesOf = (subscription: LiveSubscription<TicketUpdatedSubscription>): Update[] => subscription.received.map((r) => r.ticketUpdated);
  const createOnB = async (description: string) =>
    dataOf(await b.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', description } }, token)).createTicket;
  const eventIdsOf = async (ticketId: string) => dataOf(await b.gql(TicketDocument, { id: ticketId }, token)).ticket.events.map((e) => e.id);
  const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

  beforeAll(async () => {
    // A polls the log often, so a duplicate delivery by the safety-net read would show up.
    a = await startTestApp({ EVENT_LOG_POLL_MS: '50' });
    b = await startTestApp({}, a);
    token = await a.token('zhangsan');
    await b.app.staff.upsert({ userId: 'lisi', name: '李四' });
    await b.app.staff.upsert({ userId: 'wangwu', name: '王五' });
  });

  afterAll(async () => {
    await Promise.all(open.map((s) => s.dispose()));
    await b?.close();
    await a?.close();
  });

  it('delivers the changes committed on instance B to a subscriber on A, in order and exactly once', async () => {
    const subscription = await subscribe(a);
    const ticket = await createOnB('服务器无法连接');
    await b.gql(AssignTicketDocument, { id: ticket.id, assignee: '@李四' }, token);
    await b.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.PROCESSING }, token);
    await b.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.RESOLVED, note: '已重启' }, token);

    const logged = await eventIdsOf(ticket.id);
    expect(logged.length).toBeGreaterThanOrEqual(6); // CREATED, ASSIGNED + STATUS_CHANGED, then status and progress twice
    await vi.waitFor(() => expect(updatesOf(subscription).length).toBeGreaterThanOrEqual(logged.length));
    await quiet();

    const updates = updatesOf(subscription);
    expect(updates.map((u) => u.event.id)).toEqual(logged);
    expect(updates[0]).toMatchObject({ event: { type: 'CREATED', ticketId: ticket.id }, ticket: { id: ticket.id, status: 'PENDING', version: 1, customer: { name: '张三' } } });
    expect(updates[1]).toMatchObject({ event: { type: 'ASSIGNED', to: 'lisi', actorId: 'zhangsan' }, ticket: { assignedTo: 'lisi', status: 'ASSIGNED', version: 2 } });
    // Each update carries the ticket as that change left it, not as it is by the time it is sent.
    const versions = updates.map((u) => u.ticket.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect([versions[0], versions.at(-1)]).toEqual([1, 4]);
    expect(updates.at(-1)!.ticket.status).toBe('RESOLVED');
  });

  it('publishes nothing for a change that rolled back', async () => {
    const subscription = await subscribe(a);
    const ticket = await createOnB('回滚测试');
    await vi.waitFor(() => expect(updatesOf(subscription)).toHaveLength(1));

    const record = await getTicket(b.app.orm.em.fork(), Number(ticket.id));
    const ghost = { ticketId: record.id, type: TicketEventType.STATUS_CHANGED, actorId: 'ghost', actorName: null, fromValue: 'PENDING', toValue: 'PROCESSING', note: null, createdAt: new Date() };
    await expect(
      inTransaction(b.app.orm, async (em) => {
        await em.getRepository(TicketEvent).append([ghost], record);
        throw new Error('the change fails after writing its event');
      }),
    ).rejects.toThrow('fails after writing');
    await b.db.query(`select pg_notify('ticket_events', 'wake-up')`);
    await quiet();
    await b.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.CANCELLED }, token);

    await vi.waitFor(() => expect(updatesOf(subscription)).toHaveLength(2));
    await quiet();
    expect(updatesOf(subscription).map((u) => [u.event.type, u.event.actorId])).toEqual([
      ['CREATED', 'zhangsan'],
      ['STATUS_CHANGED', 'zhangsan'],
    ]);
  });

  it('does not skip an event whose id was drawn early but committed late, and keeps commit order', async () => {
    const ticket = await createOnB('慢事务');
    const subscription = await subscribe(a, { filter: { ticketId: ticket.id } });
    const slow = new pg.Client({ connectionString: b.db.url });
    await slow.connect();
    try {
      await slow.query('begin');
      const { rows } = await slow.query<{ id: string }>(
        `insert into ticket_events (ticket_id, type, actor_id, created_at, ticket_after)
         select ticket_id, 'PROGRESS_CHANGED', 'slow', now(), jsonb_set(ticket_after, '{version}', '1') from ticket_events where ticket_id = $1 returning id`,
        [Number(ticket.id)],
      );
      const early = rows[0]!.id;
      // A later transaction takes a higher id and commits first.
      await b.gql(AssignTicketDocument, { id: ticket.id, assignee: 'wangwu' }, token);
      const late = (await eventIdsOf(ticket.id)).filter((id) => BigInt(id) > BigInt(early));
      expect(late.length).toBeGreaterThan(0);
      await quiet();
      // Held back: delivering them now would put them before an event that is yet to commit.
      expect(updatesOf(subscription)).toHaveLength(0);

      await slow.query('commit');
      await slow.query(`select pg_notify('ticket_events', $1)`, [early]);
      await vi.waitFor(() => expect(updatesOf(subscription)).toHaveLength(1 + late.length));
      expect(updatesOf(subscription).map((u) => u.event.id)).toEqual([early, ...late]);
    } finally {
      await slow.end();
    }
  });

  it('resumes after a reconnect with afterEventId: the missed updates first, then live ones, none twice', async () => {
    const first = await subscribe(a);
    const ticket = await createOnB('断线重连');
    await vi.waitFor(() => expect(updatesOf(first)).toHaveLength(1));
    const lastSeen = updatesOf(first)[0]!.event.id;
    await first.dispose();

    await b.gql(AssignTicketDocument, { id: ticket.id, assignee: 'lisi' }, token);
    await b.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.PROCESSING }, token);
    const missed = (await eventIdsOf(ticket.id)).slice(1);
    expect(missed).toHaveLength(4);

    // Back on the other instance, as a load balancer may route it.
    const resumed = await subscribe(b, { afterEventId: lastSeen });
    await vi.waitFor(() => expect(updatesOf(resumed)).toHaveLength(missed.length));
    await b.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.RESOLVED }, token);
    const all = (await eventIdsOf(ticket.id)).slice(1);
    await vi.waitFor(() => expect(updatesOf(resumed)).toHaveLength(all.length));
    await quiet();
    expect(updatesOf(resumed).map((u) => u.event.id)).toEqual(all);
  });

  it('filters: urgent tickets only, and one assignee including a ticket reassigned away', async () => {
    const urgent = await subscribe(a, { filter: { priority: [Priority.URGENT] } });
    const mine = await subscribe(a, { filter: { assignee: 'lisi' } });
    const plain = await createOnB('打印机卡纸');
    const pressing = await createOnB('紧急：生产系统宕机');
    await b.gql(AssignTicketDocument, { id: plain.id, assignee: 'lisi' }, token);
    await b.gql(AssignTicketDocument, { id: plain.id, assignee: 'wangwu' }, token);
    await b.gql(UpdateTicketStatusDocument, { id: plain.id, status: TicketStatus.PROCESSING }, token);

    await vi.waitFor(() => expect(updatesOf(mine).length).toBeGreaterThanOrEqual(3));
    await quiet();
    expect(updatesOf(urgent).map((u) => [u.ticket.id, u.event.type])).toEqual([[pressing.id, 'CREATED']]);
    expect(updatesOf(mine).map((u) => [u.event.type, u.event.from ?? null, u.event.to])).toEqual([
      ['ASSIGNED', null, 'lisi'],
      ['STATUS_CHANGED', 'PENDING', 'ASSIGNED'],
      ['ASSIGNED', 'lisi', 'wangwu'],
    ]);
  });

  it('tells a client that missed more than the replay limit to reload instead', async () => {
    const strict = await startTestApp({ LIVE_REPLAY_LIMIT: '2' }, a);
    try {
      const ticket = await createOnB('错过太多');
      const [created] = await eventIdsOf(ticket.id);
      await b.gql(AssignTicketDocument, { id: ticket.id, assignee: 'lisi' }, token);
      await b.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.PROCESSING }, token);
      await quiet();
      const late = new LiveSubscription(strict.app.http.url, token, UPDATES, { afterEventId: created });
      open.push(late);
      await vi.waitFor(() => expect(late.errors).toHaveLength(1));
      expect(late.errors[0]).toEqual([expect.objectContaining({ message: expect.stringContaining('reload'), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'afterEventId' }) })]);
      expect(late.received).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('answers an unknown afterEventId with a clear error', async () => {
    const subscription = new LiveSubscription<TicketUpdatedSubscription>(a.app.http.url, token, UPDATES, { afterEventId: '999999999' });
    open.push(subscription);
    await vi.waitFor(() => expect(subscription.errors).toHaveLength(1));
    expect(subscription.errors[0]).toMatchObject({ message: expect.stringContaining('999999999'), extensions: { code: 'NOT_FOUND', field: 'afterEventId' } });
  });

  it('answers queries over the same WebSocket, with the same data as HTTP', async () => {
    const overHttp = dataOf(await b.gql(TicketStatsDocument, {}, token)).ticketStats;
    const overWs = new LiveSubscription<TicketStatsQuery>(a.app.http.url, token, print(TicketStatsDocument));
    open.push(overWs);
    await vi.waitFor(() => expect(overWs.completed).toBe(true));
    expect(overWs.received).toEqual([{ ticketStats: overHttp }]);
    expect(overHttp.total).toBe(overHttp.byStatus.reduce((sum, s) => sum + s.count, 0));
    expect(overHttp.byPriority.map((p) => p.priority)).toEqual(['URGENT', 'HIGH', 'NORMAL', 'LOW']);
  });

  it('refuses a malformed or invalid operation with the same codes as HTTP', async () => {
    const broken = new LiveSubscription(a.app.http.url, token, 'subscription { ticketUpdated { ');
    const invalid = new LiveSubscription(a.app.http.url, token, 'subscription { ticketUpdated { nope } }');
    open.push(broken, invalid);
    await vi.waitFor(() => expect([broken.errors, invalid.errors]).toEqual([[expect.anything()], [expect.anything()]]));
    expect(broken.errors[0]).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED' }) })]);
    expect(invalid.errors[0]).toEqual([expect.objectContaining({ message: expect.stringContaining('nope'), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  });

  it('answers a subscription sent over HTTP with where to subscribe', async () => {
    const response = await b.gql(TicketUpdatedDocument, {}, token);
    expect(response.errors?.[0]).toMatchObject({ message: expect.stringContaining('WebSocket'), extensions: { code: 'BAD_USER_INPUT' } });
  });

  describe('connecting', () => {
    const closeOf = async (subscription: LiveSubscription) => {
      await vi.waitFor(() => expect(subscription.closed).toBeDefined(), { timeout: 5000 });
      return subscription.closed!;
    };

    it('closes a connection without a token with 4401 and one with a bad token with 4403', async () => {
      const anonymous = new LiveSubscription(a.app.http.url, undefined, UPDATES);
      const forged = new LiveSubscription(a.app.http.url, 'not-a-token', UPDATES);
      open.push(anonymous, forged);
      expect(await closeOf(anonymous)).toMatchObject({ code: 4401, reason: expect.stringContaining('Unauthorized') });
      expect(await closeOf(forged)).toMatchObject({ code: 4403, reason: expect.stringContaining('invalid or expired') });
      expect(anonymous.received).toHaveLength(0);
    });

    it('closes the connection when its token expires', async () => {
      const shortLived = await signToken(TEST_JWT_SECRET, { userId: 'zhangsan', role: StaffRole.AGENT, name: null }, '2s');
      const subscription = new LiveSubscription(a.app.http.url, shortLived, UPDATES);
      open.push(subscription);
      expect(await closeOf(subscription)).toMatchObject({ code: 4403, reason: expect.stringContaining('expired') });
    });
  });

  it('disconnects a subscriber that stops reading, without holding back or losing updates for the others', async () => {
    const limited = await startTestApp({ LIVE_BUFFER_LIMIT_KB: '256' }, a);
    try {
      const fast = await subscribe(limited, { filter: { types: [TicketEventType.PROGRESS_CHANGED] } });
      const slow = new WebSocket(liveUrl(limited.app.http.url), GRAPHQL_TRANSPORT_WS_PROTOCOL);
      const closed = new Promise<{ code: number; reason: string }>((resolve) => slow.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
      await new Promise((resolve) => slow.once('open', resolve));
      slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      await new Promise((resolve) => slow.once('message', resolve));
      const before = limited.app.hub.subscriberCount;
      slow.send(JSON.stringify({ id: 'big', type: 'subscribe', payload: { query: 'subscription { ticketUpdated { event { id } ticket { id description } } }' } }));
      await vi.waitFor(() => expect(limited.app.hub.subscriberCount).toBe(before + 1));
      // The client stops reading: first the kernel's buffers fill, then the server's.
      (slow as unknown as { _socket: { pause(): void } })._socket.pause();
      const ticket = await createOnB('大量更新');
      const big = 'x'.repeat(200_000);
      const ROUNDS = 40; // 16 MB: more than the kernel's socket buffers hold
      for (let round = 1; round <= ROUNDS; round++) {
        await b.db.query(
          `insert into ticket_events (ticket_id, type, actor_id, created_at, ticket_after)
           select ticket_id, 'PROGRESS_CHANGED', 'bulk', now(), jsonb_set(ticket_after, '{description}', to_jsonb($2::text))
           from ticket_events, generate_series(1, 2) where ticket_id = $1 and type = 'CREATED'`,
          [Number(ticket.id), big],
        );
        await b.db.query(`select pg_notify('ticket_events', 'bulk')`);
        await vi.waitFor(() => expect(updatesOf(fast)).toHaveLength(round * 2));
      }
      (slow as unknown as { _socket: { resume(): void } })._socket.resume();
      expect(await closed).toMatchObject({ code: 1013, reason: expect.stringContaining('Too slow') });
      expect(updatesOf(fast)).toHaveLength(ROUNDS * 2);
    } finally {
      await limited.close();
    }
  });
});
