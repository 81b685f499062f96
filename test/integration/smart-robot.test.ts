import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { FakeWeComLongConnection, type BotMessage } from '../../src/local-wecom/long-connection-server.js';
import { WORKING_TEXT } from '../../src/wecom/smart-robot.js';
import { AssignTicketDocument, ChangeTicketDeadlineDocument, CreateTicketDocument, TicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { TestClock } from '../support/test-clock.js';
import { smartRobotEnv } from '../support/local-wecom.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const BOT = { id: 'aibot-test', secret: 'long-connection-secret' };
const GROUP = 'wrGroupAfterSales';
const DEFAULT_GROUP = 'wrGroupDefault';
const WAIT = { timeout: 10_000, interval: 50 };

const robotEnv = (fake: FakeWeComLongConnection, extra: Record<string, string> = {}) => smartRobotEnv(fake, { ...BOT, defaultChatId: DEFAULT_GROUP }, extra);

/** What the bot has said in a conversation, as WeCom shows it. */
const botSaid = (fake: FakeWeComLongConnection, conversation: string): BotMessage[] => fake.conversation(conversation)?.botMessages ?? [];
const pushes = (fake: FakeWeComLongConnection, conversation: string) => botSaid(fake, conversation).filter((m) => m.kind === 'push');

/** A staff member types in a group; resolves with the bot's finished answer to it. */
async function say(fake: FakeWeComLongConnection, text: string, options: { userid?: string; chatid?: string; quote?: string; times?: number } = {}): Promise<string> {
  const { msgid } = fake.sendText({
    chatid: options.chatid ?? GROUP,
    userid: options.userid ?? 'zhangsan',
    content: text,
    ...(options.quote === undefined ? {} : { quote: { msgtype: 'text', text: { content: options.quote } } }),
    times: options.times,
  });
  let answer: BotMessage | undefined;
  await vi.waitFor(() => {
    answer = botSaid(fake, options.chatid ?? GROUP).find((m) => m.inReplyTo === msgid && m.finished);
    expect(answer).toBeDefined();
  }, WAIT);
  return answer!.content;
}

const idIn = (reply: string): string => /#(\d+)/.exec(reply)![1]!;

describe('the smart robot against the local WeCom, through the official SDK', () => {
  let fake: FakeWeComLongConnection;
  let first: TestApp;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    fake = await FakeWeComLongConnection.start({ botId: BOT.id, secret: BOT.secret });
    first = t = await startTestApp(robotEnv(fake));
    token = await t.token('admin', StaffRole.ADMIN, '管理员');
    await t.app.staff.upsert({ userId: 'lisi', name: '李四' });
    await vi.waitFor(() => expect(fake.authenticatedConnections).toBe(1), WAIT);
  });
  afterAll(async () => {
    // The instance serving last closes; the database goes with the first (it owns it).
    await t?.app.close();
    await first?.db.drop();
    await fake?.close();
  });
  afterEach(() => fake.setOutage('none'));

  it('runs every command end to end: create → card in the group → assign → resolve by quote-reply → the group learns it', async () => {
    const created = await say(fake, '@工单助手 /创建工单 @客户王五 手机:13800138000 问题:服务器无法连接');
    expect(created).toMatch(/^✅ 工单 #\d+ 创建成功！已推送到群聊。$/);
    const id = idIn(created);
    await vi.waitFor(() => expect(pushes(fake, GROUP).map((m) => m.content)).toContainEqual(expect.stringContaining(`【新工单提醒】#ID${id}`)), WAIT);
    const card = pushes(fake, GROUP).find((m) => m.content.includes(`#ID${id}`))!;
    // The interactive card (smart-robot-cards.test.ts clicks it); people can still type every command.
    expect(card.msgtype).toBe('template_card');

    const assigned = await say(fake, `/分配工单 #${id} @李四`);
    expect(assigned).toBe(`✅ 工单 #${id} 已分配给 @李四`);
    expect(await say(fake, '已解决，重启了路由器', { quote: assigned })).toBe(`✅ 工单 #${id} 状态已更新为：已解决`);
    expect(dataOf(await t.gql(TicketDocument, { id }, token)).ticket).toMatchObject({ status: 'RESOLVED', progress: 100, assignedTo: 'lisi' });
    await vi.waitFor(() => {
      const lines = pushes(fake, GROUP).map((m) => m.content).filter((c) => c.startsWith(`📌 工单 #${id} `));
      expect(lines).toEqual([expect.stringMatching(/已分配 \| 进度：0% \| 负责人：李四/), expect.stringMatching(/已解决 \| 进度：100% \| 负责人：李四.*\n备注：重启了路由器/)]);
    }, WAIT);

    expect(await say(fake, `/查询工单 #${id}`)).toMatch(new RegExp(`^📋 查询到 1 个工单：\\n\\n\\*\\*工单 #${id}\\*\\*\\n状态：已解决`));
    expect(await say(fake, '/帮助')).toMatch(/^🤖 工单助手可以做这些/);
  });

  it('welcomes someone opening a 1:1 chat with the commands', async () => {
    fake.sendEvent({ eventtype: 'enter_chat', userid: 'newcomer', chattype: 'single' });
    await vi.waitFor(() => expect(botSaid(fake, 'newcomer').map((m) => m.content)).toContainEqual(expect.stringMatching(/^您好，我是工单助手。\n\n🤖 工单助手可以做这些/)), WAIT);
  });

  it('answers with a stream: the working frame at once, the result in the same bubble after', async () => {
    const { msgid, reqId } = fake.sendText({ chatid: GROUP, userid: 'zhangsan', content: '/查询工单 客户王五' });
    await vi.waitFor(() => expect(botSaid(fake, GROUP).find((m) => m.inReplyTo === msgid)?.finished).toBe(true), WAIT);
    const frames = fake.frames.filter((f) => f.direction === 'in' && f.frame.cmd === 'aibot_respond_msg' && f.frame.headers.req_id === reqId).map((f) => f.frame.body as { stream: { id: string; content: string; finish: boolean } });
    expect(frames[0]!.stream).toMatchObject({ content: WORKING_TEXT, finish: false });
    expect(frames.at(-1)!.stream).toMatchObject({ content: expect.stringMatching(/^📋 查询到/), finish: true });
    expect(new Set(frames.map((f) => f.stream.id)).size).toBe(1);
  });

  it('completes a dialogue, and abandons one, over the connection', async () => {
    expect(await say(fake, '/创建工单 @客户赵六 问题:打印机卡纸')).toMatch(/^请提供客户手机号/);
    expect(await say(fake, '13900139000')).toMatch(/^✅ 工单 #\d+ 创建成功/);
    expect(await say(fake, '/创建工单 @客户钱七')).toMatch(/^请提供客户手机号/);
    expect(await say(fake, '取消')).toBe('好的，已取消创建工单。');
  });

  it('processes a message WeCom delivers twice once', async () => {
    await say(fake, '/创建工单 @客户孙八 手机:13600136000 问题:重复投递的消息', { times: 2 });
    await vi.waitFor(() => expect(fake.frames.filter((f) => f.frame.cmd === 'aibot_respond_msg' && (f.frame.body as { stream?: { finish?: boolean } }).stream?.finish).length).toBeGreaterThan(0), WAIT);
    const count = await t.db.query(`select count(*)::int as n from tickets t join customers c on c.id = t.customer_id where c.name = '孙八'`);
    expect(count.rows[0]?.n).toBe(1);
  });

  it('reconnects after the connection drops, and answers again', async () => {
    fake.dropConnections();
    await vi.waitFor(() => expect(fake.authenticatedConnections).toBe(1), WAIT);
    expect(await say(fake, '/帮助')).toMatch(/^🤖/);
  });

  it('brings a reminder to the group with its mentions', async () => {
    const id = idIn(await say(fake, '/创建工单 @客户周九 手机:13500135000 问题:邮件收不到'));
    await t.gql(AssignTicketDocument, { id, assignee: 'lisi' }, token);
    await t.gql(ChangeTicketDeadlineDocument, { id, deadline: new Date(Date.now() + 500).toISOString() }, token);
    await vi.waitFor(() => {
      const reminder = pushes(fake, GROUP).find((m) => m.content.includes('【工单超时提醒】') && m.content.includes(`#${id}`));
      expect(reminder?.mentions, pushes(fake, GROUP).map((m) => m.content.slice(0, 40)).join(' | ')).toEqual(['lisi']);
    }, { timeout: 15_000, interval: 100 });
  });

  it('sends tickets created over the API to the default group once someone has talked to the bot there', async () => {
    await say(fake, '/帮助', { chatid: DEFAULT_GROUP });
    const created = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '吴十', customerPhone: '13400134000', description: '从 API 创建' } }, token)).createTicket;
    await vi.waitFor(() => expect(pushes(fake, DEFAULT_GROUP).map((m) => m.content)).toContainEqual(expect.stringContaining(`#ID${created.id}`)), WAIT);
  });

  for (const mode of ['refuse', 'silent'] as const) {
    it(`delays messages through a WeCom outage (${mode}) and loses none`, async () => {
      fake.setOutage(mode);
      const created = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '郑一', customerPhone: '13300133000', description: `停机期间创建（${mode}）` } }, token)).createTicket;
      await vi.waitFor(async () => {
        const row = await t.db.query(`select status, last_error from notifications where ticket_id = $1 and kind = 'NEW_TICKET'`, [Number(created.id)]);
        expect(row.rows[0]).toMatchObject({ status: 'PENDING', last_error: expect.any(String) });
      }, { timeout: 15_000, interval: 100 });
      expect(pushes(fake, DEFAULT_GROUP).some((m) => m.content.includes(`#ID${created.id}`))).toBe(false);
      fake.setOutage('none');
      await vi.waitFor(() => expect(pushes(fake, DEFAULT_GROUP).filter((m) => m.content.includes(`#ID${created.id}`))).toHaveLength(1), { timeout: 20_000, interval: 100 });
    }, 40_000);
  }

  it('a second instance does not take the connection, and takes over when the first goes', async () => {
    const second = await startTestApp(robotEnv(fake), t);
    try {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(fake.authenticatedConnections).toBe(1);
      expect(fake.frames.some((f) => f.direction === 'out' && JSON.stringify(f.frame).includes('disconnected_event'))).toBe(false);
      await first.app.close();
      t = second;
      await vi.waitFor(() => expect(fake.authenticatedConnections).toBe(1), { timeout: 15_000, interval: 100 });
      expect(await say(fake, '/帮助')).toMatch(/^🤖/);
    } catch (error) {
      if (t !== second) await second.app.close();
      throw error;
    }
  }, 40_000);
});

describe('per-conversation rate limits', () => {
  let clock: TestClock;
  let fake: FakeWeComLongConnection;
  let t: TestApp;

  beforeAll(async () => {
    clock = TestClock.install();
    fake = await FakeWeComLongConnection.start({ botId: BOT.id, secret: BOT.secret, now: () => clock.now() });
    t = await startTestApp(robotEnv(fake), undefined, { clock });
    await vi.waitFor(() => expect(fake.authenticatedConnections).toBe(1), WAIT);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
    clock.uninstall();
  });

  it('holds messages over 30 a minute in the outbox and sends them when the minute has passed', async () => {
    await say(fake, '/帮助', { chatid: DEFAULT_GROUP });
    const token = await t.token('admin', StaffRole.ADMIN);
    for (let i = 0; i < 34; i++) {
      await t.gql(CreateTicketDocument, { input: { customerName: `客户${i}`, description: `第 ${i} 个问题` } }, token);
    }
    // One reply (with its working frame, one bubble) and 29 cards fill the minute.
    await vi.waitFor(() => expect(pushes(fake, DEFAULT_GROUP)).toHaveLength(29), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pushes(fake, DEFAULT_GROUP)).toHaveLength(29);
    expect(fake.frames.some((f) => f.direction === 'out' && (f.frame as { errcode?: number }).errcode === 45009)).toBe(false);
    const waiting = await t.db.query(`select count(*)::int as n from notifications where status = 'PENDING' and attempts = 0`);
    expect(waiting.rows[0]?.n).toBe(5);
    clock.advance(61_000);
    await vi.waitFor(() => expect(pushes(fake, DEFAULT_GROUP)).toHaveLength(34), WAIT);
    const cards = pushes(fake, DEFAULT_GROUP).map((m) => /第 (\d+) 个问题/.exec(m.content)?.[1]);
    expect(cards).toEqual([...Array(34).keys()].map(String));
  });
});
