import { WSClient, type SendMsgBody, type TemplateCard, type WSClientEventMap, type WSClientOptions, type WsFrame } from '@wecom/aibot-node-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { FakeWeComLongConnection, type FakeWeComOptions } from '../../src/local-wecom/long-connection-server.js';

const BOT_ID = 'aib_test_bot_0001';
const SECRET = 'long-connection-secret';
const GROUP = 'wr_group_after_sales';
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** The SDK's own types omit chat_type, which the reference recommends sending explicitly (§1.10). */
const markdownPush = (content: string, chatType: 1 | 2 = 2): SendMsgBody => ({ msgtype: 'markdown', markdown: { content }, chat_type: chatType }) as SendMsgBody;

const claimCard = (taskId: string): TemplateCard => ({
  card_type: 'button_interaction',
  main_title: { title: '新工单 #123 待认领' },
  button_list: [{ text: '我来处理', style: 1, key: 'claim:123' }],
  task_id: taskId,
});

describe('fake WeCom long connection driven by the official SDK', () => {
  let fake: FakeWeComLongConnection;
  let clock: Date;
  let clients: WSClient[];

  const startFake = async (options: Partial<FakeWeComOptions> = {}) => {
    await fake.close();
    fake = await FakeWeComLongConnection.start({ botId: BOT_ID, secret: SECRET, now: () => clock, ...options });
  };

  const newClient = (options: Partial<WSClientOptions> = {}): WSClient => {
    const client = new WSClient({
      botId: BOT_ID,
      secret: SECRET,
      wsUrl: fake.url,
      logger: silentLogger,
      heartbeatInterval: 100,
      reconnectInterval: 20,
      ...options,
    });
    clients.push(client);
    return client;
  };

  const nextEvent = <E extends keyof WSClientEventMap>(client: WSClient, event: E) =>
    new Promise<Parameters<WSClientEventMap[E]>>((resolve) => {
      client.once(event, ((...args: Parameters<WSClientEventMap[E]>) => resolve(args)) as never);
    });

  const connected = async (options: Partial<WSClientOptions> = {}): Promise<WSClient> => {
    const client = newClient(options);
    const authenticated = nextEvent(client, 'authenticated');
    client.connect();
    await authenticated;
    return client;
  };

  /** Delivers a group text and resolves with the frame as the SDK handed it to the application. */
  const receiveText = async (client: WSClient, content = '@工单助手 /创建工单') => {
    const received = nextEvent(client, 'message.text');
    const delivered = fake.sendText({ chatid: GROUP, userid: 'zhangsan', content });
    const [frame] = await received;
    return { frame, ...delivered };
  };

  const advanceClock = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  beforeEach(async () => {
    clock = new Date('2026-12-04T09:00:00+08:00');
    clients = [];
    fake = await FakeWeComLongConnection.start({ botId: BOT_ID, secret: SECRET, now: () => clock });
  });

  afterEach(async () => {
    for (const client of clients) client.disconnect();
    await fake.close();
  });

  describe('authentication and heartbeat', () => {
    it('acks a subscribe with the right credentials and every ping, echoing req_id', async () => {
      await connected();
      const subscribe = await fake.waitForFrame((frame) => frame.cmd === 'aibot_subscribe');
      expect(subscribe.body).toMatchObject({ bot_id: BOT_ID, secret: SECRET });
      const ping = await fake.waitForFrame((frame) => frame.cmd === 'ping');
      await vi.waitFor(() => expect(fake.frames.some((r) => r.direction === 'out' && r.frame.headers.req_id === ping.headers.req_id && r.frame.errcode === 0)).toBe(true));
      expect(fake.authenticatedConnections).toBe(1);
    });

    it('refuses wrong credentials with 853000', async () => {
      const client = newClient({ secret: 'wrong', maxAuthFailureAttempts: 0 });
      const failure = nextEvent(client, 'error');
      client.connect();
      const [error] = await failure;
      expect(error.message).toContain('853000');
      expect(fake.frames.find((r) => r.direction === 'out')?.frame).toMatchObject({ errcode: 853000, errmsg: 'invalid bot_id or secret' });
      expect(fake.authenticatedConnections).toBe(0);
    });

    it('answers any frame before subscribe with 853000 and closes the socket', async () => {
      const socket = new WebSocket(fake.url);
      await new Promise((resolve) => socket.once('open', resolve));
      const reply = new Promise<WsFrame>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.send(JSON.stringify({ cmd: 'ping', headers: { req_id: 'ping_1_deadbeef' } }));
      expect(await reply).toEqual({ headers: { req_id: 'ping_1_deadbeef' }, errcode: 853000, errmsg: expect.any(String) });
      await closed;
    });

    it('closes a connection that stops sending pings; the SDK reconnects', async () => {
      await startFake({ idleTimeoutMs: 150 });
      const client = await connected({ heartbeatInterval: 60_000 });
      const reconnected = nextEvent(client, 'authenticated');
      await reconnected;
      expect(fake.authenticatedConnections).toBe(1);
    });

    it('stopAckingPings makes the SDK declare the link dead and reconnect', async () => {
      const client = await connected();
      fake.stopAckingPings(true);
      const disconnected = nextEvent(client, 'disconnected');
      await disconnected;
      fake.stopAckingPings(false);
      await nextEvent(client, 'authenticated');
    });

    it('delays acks by ackDelayMs', async () => {
      // Ping acks are delayed too: with a 100 ms heartbeat the SDK would call the link dead.
      const client = await connected({ heartbeatInterval: 10_000 });
      const { frame } = await receiveText(client);
      fake.ackDelayMs = 300;
      const started = Date.now();
      await client.replyStream(frame, 'stream_delay', '处理中…', true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });
  });

  describe('inbound callbacks', () => {
    it('delivers a group text message shaped as in the reference', async () => {
      const client = await connected();
      const received = nextEvent(client, 'message.text');
      const quote = { msgtype: 'text' as const, text: { content: '原消息' } };
      const { msgid, reqId } = fake.sendText({ chatid: GROUP, userid: 'zhangsan', content: '@工单助手 #123 进展如何', quote });
      const [frame] = await received;
      expect(frame).toEqual({
        cmd: 'aibot_msg_callback',
        headers: { req_id: reqId },
        body: { msgid, aibotid: BOT_ID, chatid: GROUP, chattype: 'group', from: { userid: 'zhangsan' }, msgtype: 'text', text: { content: '@工单助手 #123 进展如何' }, quote },
      });
      expect(fake.conversation(GROUP)).toMatchObject({ chattype: 'group', userMessages: [{ msgid, userid: 'zhangsan', content: '@工单助手 #123 进展如何', quote: '原消息' }] });
    });

    it('sends no chatid for single chats and keys the conversation by userid', async () => {
      const client = await connected();
      const received = nextEvent(client, 'message.text');
      fake.sendText({ userid: 'lisi', content: '你好' });
      const [frame] = await received;
      expect(frame.body).not.toHaveProperty('chatid');
      expect(frame.body?.chattype).toBe('single');
      expect(fake.conversation('lisi')?.chattype).toBe('single');
    });

    it('delivers the same frame twice with times: 2', async () => {
      const client = await connected();
      const frames: WsFrame[] = [];
      client.on('message.text', (frame) => frames.push(frame));
      const { msgid, reqId } = fake.sendText({ chatid: GROUP, userid: 'zhangsan', content: '@工单助手 hi', times: 2 });
      await vi.waitFor(() => expect(frames).toHaveLength(2));
      expect(frames.map((frame) => [frame.body?.msgid, frame.headers.req_id])).toEqual([
        [msgid, reqId],
        [msgid, reqId],
      ]);
      expect(fake.conversation(GROUP)?.userMessages).toHaveLength(1);
    });

    it('refuses to deliver without an authenticated connection', () => {
      expect(() => fake.sendText({ chatid: GROUP, userid: 'zhangsan', content: 'hi' })).toThrow(/no authenticated connection/);
    });
  });

  describe('replies', () => {
    it('shows a stream as one bubble with its latest content, and refuses frames after finish with 846608', async () => {
      const client = await connected();
      const { frame, msgid } = await receiveText(client);
      const changes: number[] = [];
      fake.onChange((conversation) => changes.push(conversation.botMessages.length));
      await client.replyStream(frame, 'stream_1', '正在创建工单…');
      await client.replyStream(frame, 'stream_1', '✅ 工单 **#124** 已创建 <@zhangsan>', true);
      expect(fake.conversation(GROUP)?.botMessages).toEqual([
        { kind: 'reply', msgtype: 'stream', content: '✅ 工单 **#124** 已创建 <@zhangsan>', finished: true, streamId: 'stream_1', inReplyTo: msgid, at: clock, mentions: ['zhangsan'] },
      ]);
      expect(changes).toEqual([1, 1]);
      await expect(client.replyStream(frame, 'stream_1', 'again', true)).rejects.toMatchObject({ errcode: 846608 });
    });

    it('refuses a stream refresh more than 6 minutes after its first frame', async () => {
      const client = await connected();
      const { frame } = await receiveText(client);
      await client.replyStream(frame, 'stream_slow', '处理中…');
      advanceClock(6 * 60_000 + 1);
      await expect(client.replyStream(frame, 'stream_slow', '完成', true)).rejects.toMatchObject({ errcode: 846608 });
    });

    it('refuses an unknown req_id and the wrong command for a callback with 846605', async () => {
      const client = await connected();
      await expect(client.replyStream({ headers: { req_id: 'made_up_req_id' } }, 'stream_x', 'hi', true)).rejects.toMatchObject({ errcode: 846605 });
      const { frame } = await receiveText(client);
      await expect(client.replyWelcome(frame, { msgtype: 'text', text: { content: '你好' } })).rejects.toMatchObject({ errcode: 846605 });
    });

    it('refuses msgtype text on aibot_respond_msg with 40008', async () => {
      const client = await connected();
      const { frame } = await receiveText(client);
      await expect(client.reply(frame, { msgtype: 'text', text: { content: 'hi' } })).rejects.toMatchObject({ errcode: 40008 });
    });

    it('refuses content over 20 480 bytes with 45002 and accepts exactly 20 480', async () => {
      const client = await connected();
      const { frame } = await receiveText(client);
      await expect(client.replyStream(frame, 'stream_big', '工'.repeat(6_827), true)).rejects.toMatchObject({ errcode: 45002 });
      await expect(client.sendMessage(GROUP, markdownPush('工'.repeat(6_827)))).rejects.toMatchObject({ errcode: 45002 });
      await expect(client.sendMessage(GROUP, markdownPush('a'.repeat(20_480)))).resolves.toMatchObject({ errcode: 0 });
      expect(fake.conversation(GROUP)?.botMessages).toHaveLength(1);
    });

    it('answers enter_chat with a welcome once, within 5 s', async () => {
      const client = await connected();
      const entered = nextEvent(client, 'event.enter_chat');
      fake.sendEvent({ eventtype: 'enter_chat', userid: 'lisi' });
      const [event] = await entered;
      await client.replyWelcome(event, { msgtype: 'text', text: { content: '你好，我是工单助手' } });
      await expect(client.replyWelcome(event, { msgtype: 'text', text: { content: '再次' } })).rejects.toMatchObject({ errcode: 846608 });
      expect(fake.conversation('lisi')?.botMessages).toMatchObject([{ kind: 'reply', msgtype: 'text', content: '你好，我是工单助手' }]);

      const late = nextEvent(client, 'event.enter_chat');
      fake.sendEvent({ eventtype: 'enter_chat', userid: 'wangwu' });
      const [lateEvent] = await late;
      advanceClock(5_001);
      await expect(client.replyWelcome(lateEvent, { msgtype: 'text', text: { content: '你好' } })).rejects.toMatchObject({ errcode: 846608 });
    });

    it('updates a pushed card in place after a card click', async () => {
      const client = await connected();
      await receiveText(client);
      await client.sendMessage(GROUP, { msgtype: 'template_card', template_card: claimCard('t123_v1_8f3a') });
      const clicked = nextEvent(client, 'event.template_card_event');
      fake.sendEvent({
        eventtype: 'template_card_event',
        chatid: GROUP,
        userid: 'lisi',
        template_card_event: { card_type: 'button_interaction', event_key: 'claim:123', task_id: 't123_v1_8f3a' },
      });
      const [click] = await clicked;
      expect(click.body?.event).toEqual({ eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: 'claim:123', task_id: 't123_v1_8f3a' } });
      const claimed = { ...claimCard('t123_v1_8f3a'), main_title: { title: '工单 #123 已被认领' } };
      await client.updateTemplateCard(click, claimed);
      const cards = fake.conversation(GROUP)?.botMessages ?? [];
      expect(cards).toHaveLength(1);
      expect(JSON.parse(cards[0]?.content ?? '{}')).toMatchObject({ main_title: { title: '工单 #123 已被认领' } });
    });
  });

  describe('proactive push', () => {
    it('pushes markdown to a group that has messaged the bot, and refuses an unknown chat with 93006', async () => {
      const client = await connected();
      await receiveText(client);
      await expect(client.sendMessage(GROUP, markdownPush('⏰ 工单 **#123** 将在 30 分钟后超时'))).resolves.toMatchObject({ errcode: 0 });
      expect(fake.conversation(GROUP)?.botMessages).toMatchObject([{ kind: 'push', msgtype: 'markdown', content: '⏰ 工单 **#123** 将在 30 分钟后超时', finished: true }]);
      await expect(client.sendMessage('wr_unknown_group', markdownPush('hi'))).rejects.toMatchObject({ errcode: 93006 });
      await expect(client.sendMessage(GROUP, markdownPush('hi', 1))).rejects.toMatchObject({ errcode: 93006 });
      await expect(client.sendMessage(GROUP, { msgtype: 'markdown', markdown: { content: 'no chat_type' } })).resolves.toMatchObject({ errcode: 0 });
      await expect(client.sendMessage(GROUP, { msgtype: 'markdown', markdown: { content: 'x' }, chat_type: 3 } as SendMsgBody)).rejects.toMatchObject({ errcode: 40058 });
    });

    it('enforces template card rules: task_id required, unique, charset; 1–6 buttons', async () => {
      const client = await connected();
      await receiveText(client);
      const push = (card: TemplateCard) => client.sendMessage(GROUP, { msgtype: 'template_card', template_card: card });
      await expect(push(claimCard('t1_v1'))).resolves.toMatchObject({ errcode: 0 });
      await expect(push(claimCard('t1_v1'))).rejects.toMatchObject({ errcode: 40058 });
      await expect(push(claimCard('t1 v2!'))).rejects.toMatchObject({ errcode: 40058 });
      await expect(push({ ...claimCard('x'), task_id: undefined })).rejects.toMatchObject({ errcode: 40058 });
      await expect(push({ ...claimCard('t1_v3'), button_list: [] })).rejects.toMatchObject({ errcode: 40016 });
    });

    it('limits each conversation to perConversationPerMinute messages per rolling minute with 45009', async () => {
      await startFake({ perConversationPerMinute: 3 });
      const client = await connected();
      const { frame } = await receiveText(client);
      await client.replyStream(frame, 'stream_rl', '处理中…');
      await client.replyStream(frame, 'stream_rl', '仍在处理…');
      await client.sendMessage(GROUP, markdownPush('one'));
      await client.sendMessage(GROUP, markdownPush('two'));
      await expect(client.sendMessage(GROUP, markdownPush('three'))).rejects.toMatchObject({ errcode: 45009 });
      await client.replyStream(frame, 'stream_rl', '完成', true);
      expect(fake.conversation(GROUP)?.botMessages.map((m) => m.content)).toEqual(['完成', 'one', 'two']);
      advanceClock(60_001);
      await expect(client.sendMessage(GROUP, markdownPush('three'))).resolves.toMatchObject({ errcode: 0 });
    });
  });

  describe('connections and outages', () => {
    it('sends the older connection disconnected_event when a second client authenticates', async () => {
      const first = await connected();
      const kicked = nextEvent(first, 'event.disconnected_event');
      const firstDisconnected = nextEvent(first, 'disconnected');
      const second = await connected();
      const [event] = await kicked;
      expect(event.body).toEqual({ msgid: expect.any(String), create_time: Math.floor(clock.getTime() / 1000), aibotid: BOT_ID, msgtype: 'event', event: { eventtype: 'disconnected_event' } });
      await firstDisconnected;
      expect(first.isConnected).toBe(false);
      expect(second.isConnected).toBe(true);
      expect(fake.authenticatedConnections).toBe(1);
      const received = nextEvent(second, 'message.text');
      fake.sendText({ chatid: GROUP, userid: 'zhangsan', content: 'hi' });
      await received;
    });

    it('dropConnections makes the SDK reconnect and authenticate again', async () => {
      const client = await connected();
      const reauthenticated = nextEvent(client, 'authenticated');
      fake.dropConnections();
      await reauthenticated;
      expect(fake.authenticatedConnections).toBe(1);
      expect(fake.frames.filter((r) => r.frame.cmd === 'aibot_subscribe')).toHaveLength(2);
    });

    it("outage 'refuse' answers replies and pushes with the errcode while pings still work", async () => {
      const client = await connected();
      const { frame } = await receiveText(client);
      fake.setOutage('refuse');
      await expect(client.sendMessage(GROUP, markdownPush('hi'))).rejects.toMatchObject({ errcode: -1 });
      await expect(client.replyStream(frame, 'stream_o', 'hi', true)).rejects.toMatchObject({ errcode: -1 });
      const pingsBefore = fake.frames.filter((r) => r.frame.cmd === 'ping').length;
      await vi.waitFor(() => expect(fake.frames.filter((r) => r.frame.cmd === 'ping').length).toBeGreaterThan(pingsBefore + 2));
      expect(client.isConnected).toBe(true);
      expect(fake.conversation(GROUP)?.botMessages).toEqual([]);
      fake.setOutage('none');
      await expect(client.replyStream(frame, 'stream_o', 'hi', true)).resolves.toMatchObject({ errcode: 0 });
    });

    it("outage 'silent' never acks, so the SDK times out after 5 s and nothing is recorded", async () => {
      const client = await connected();
      await receiveText(client);
      fake.setOutage('silent');
      await expect(client.sendMessage(GROUP, markdownPush('hi'))).rejects.toThrow(/ack timeout/);
      expect(client.isConnected).toBe(true);
      expect(fake.conversation(GROUP)?.botMessages).toEqual([]);
    });

    it('close() rejects pending waitForFrame calls', async () => {
      const waiting = fake.waitForFrame((frame) => frame.cmd === 'never', 60_000);
      await fake.close();
      await expect(waiting).rejects.toThrow(/closed/);
    });
  });
});
