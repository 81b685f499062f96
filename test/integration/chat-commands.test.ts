import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IncomingChatMessage } from '../../src/chat-adapter/chat-commands.js';
import type { DevChannel } from '../../src/notifications/dev-channel.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { TicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Chat commands on the real service and database, as any channel hands them in: run once, as the
 * sender, through the API, with the group told through the outbox (the development channel here;
 * the smart robot's own tests cover WeCom).
 */
describe('chat commands', () => {
  let t: TestApp;
  let token: string;
  let sequence = 0;
  const GROUP = 'wrkSFfCgAAexample';

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    token = await t.token('admin', StaffRole.ADMIN, '管理员');
    await t.app.staff.upsert({ userId: 'lisi', name: '李四' });
    await t.app.staff.upsert({ userId: 'lisi2', name: '李思', aliases: ['小李'] });
    await t.app.staff.upsert({ userId: 'xiaoli', name: '李小', aliases: ['小李'] });
  });
  afterAll(() => t?.close());

  const say = (text: string, extra: Partial<IncomingChatMessage> = {}) =>
    t.app.chat.handle({ key: `test:${++sequence}`, chatId: GROUP, sender: { userId: 'zhangsan', name: '张三' }, text, ...extra });
  const delivered = (conversation = `chat:${GROUP}`) => (t.app.channel as DevChannel).delivered(conversation);
  const ticketOf = async (id: number) => dataOf(await t.gql(TicketDocument, { id: String(id) }, token)).ticket;

  it('creates a ticket from the brief\'s command, as the sender, and the group receives its card', async () => {
    const answer = await say('@工单助手 /创建工单 @客户王五 紧急 手机：138 0013 8000 问题:服务器无法连接');
    expect(answer.text).toBe(`✅ 工单 #${answer.ticketId} 创建成功！已推送到群聊。`);
    const ticket = await ticketOf(answer.ticketId!);
    expect(ticket).toMatchObject({ description: '服务器无法连接', priority: 'URGENT', createdBy: 'zhangsan', customer: { name: '王五', phone: '13800138000' } });
    await vi.waitFor(async () => expect((await delivered()).map((m) => m.text)).toContainEqual(expect.stringContaining(`🟡 【新工单提醒】#ID${answer.ticketId}（由 张三 创建）`)), { timeout: 5000 });
    const card = (await delivered()).find((m) => m.text.includes(`#ID${answer.ticketId}`))!;
    expect(card.mentionAll).toBe(true);
    expect(card.text).toContain('优先级：🚨 URGENT');
  });

  it('adds a sender the directory does not know as an AGENT', async () => {
    await say('/帮助', { sender: { userId: 'newcomer', name: '新同事' } });
    expect(await t.app.staff.findByUserId(t.app.orm.em.fork(), 'newcomer')).toMatchObject({ name: '新同事', role: StaffRole.AGENT });
  });

  it('assigns, resolves by quote-reply with a note, and the group learns each change', async () => {
    const { ticketId } = await say('/创建工单 @客户赵六 手机:13900139000 问题:打印机卡纸');
    expect((await say(`/分配工单 #${ticketId} @李四`)).text).toBe(`✅ 工单 #${ticketId} 已分配给 @李四`);
    const card = `🟡 【新工单提醒】#ID${ticketId}\n客户：赵六`;
    expect((await say('已解决，问题是网络配置错误，已修复', { quotedText: card })).text).toBe(`✅ 工单 #${ticketId} 状态已更新为：已解决`);
    const ticket = await ticketOf(ticketId!);
    expect(ticket).toMatchObject({ status: 'RESOLVED', progress: 100, assignedTo: 'lisi' });
    expect(ticket.events.find((e) => e.to === 'RESOLVED')?.note).toBe('问题是网络配置错误，已修复');
    await vi.waitFor(async () => {
      const lines = (await delivered()).map((m) => m.text).filter((text) => text.startsWith(`📌 工单 #${ticketId} `));
      expect(lines).toEqual([
        `📌 工单 #${ticketId} 已分配 | 进度：0% | 负责人：李四（由 张三 更新）`,
        `📌 工单 #${ticketId} 已解决 | 进度：100% | 负责人：李四（由 张三 更新）\n备注：问题是网络配置错误，已修复`,
      ]);
    }, { timeout: 5000 });
  });

  it('sets progress, processes, escalates, and refuses moves the status machine forbids in Chinese', async () => {
    const { ticketId } = await say('/创建工单 @客户钱七 手机:13700137000 问题:邮件收不到');
    expect((await say(`#${ticketId} 分配给@李四`)).text).toBe(`✅ 工单 #${ticketId} 已分配给 @李四`);
    expect((await say(`#${ticketId} 已处理`)).text).toBe(`✅ 工单 #${ticketId} 状态已更新为：处理中`);
    expect((await say(`＃${ticketId} 进度 50`)).text).toBe(`✅ 工单 #${ticketId} 处理进度已更新为：50%`);
    expect((await say(`#${ticketId} 升级处理`)).text).toBe(`✅ 工单 #${ticketId} 状态已更新为：已升级`);
    expect((await say(`#${ticketId} 关闭`)).text).toMatch(/^❌ /);
    expect((await say(`#${ticketId} 取消`)).text).toBe(`✅ 工单 #${ticketId} 状态已更新为：已取消`);
    expect((await say(`#${ticketId} 已处理`)).text).toMatch(/^❌ .*已取消/);
  });

  it('lists a customer\'s tickets newest first, by name, phone and number', async () => {
    const first = await say('/创建工单 @客户孙八 手机:13600136000 问题:无法登录');
    const second = await say('/创建工单 @客户孙八 手机:13600136000 问题:页面打不开');
    for (const query of ['/查询工单 客户孙八', '/查询工单 手机13600136000', '/查询工单 手机：136-0013-6000']) {
      const answer = (await say(query)).text;
      expect(answer, query).toMatch(/^📋 查询到 2 个工单：/);
      expect(answer.indexOf(`工单 #${second.ticketId}`), query).toBeLessThan(answer.indexOf(`工单 #${first.ticketId}`));
      expect(answer).toContain('负责人：待分配');
    }
    expect((await say(`/查询工单 #${first.ticketId}`)).text).toMatch(/^📋 查询到 1 个工单：\n\n\*\*工单 #\d+\*\*\n状态：待分配 \| 进度：0%\n问题：无法登录/);
    expect((await say('/查询工单 客户不存在的人')).text).toMatch(/^📋 没有查询到工单/);
    // No one is called just 孙: the start of a name finds 孙八, never a fuzzy match.
    expect((await say('/查询工单 客户孙')).text).toMatch(/^📋 查询到 2 个工单：/);
    expect((await say('/查询工单 客户八')).text).toMatch(/^📋 没有查询到工单/);
    expect((await say('/查询工单 客户孙%')).text).toMatch(/^📋 没有查询到工单/);
  });

  it('asks for a missing phone and problem, then creates the ticket', async () => {
    const asked = await say('/创建工单 @客户周九');
    expect(asked.text).toMatch(/^请提供客户手机号/);
    expect((await say('12345')).text).toMatch(/^手机号格式不正确：「12345」.*请提供客户手机号/);
    expect((await say('13500135000')).text).toMatch(/^请描述客户遇到的问题/);
    const created = await say('VPN 连不上');
    expect(created.text).toMatch(/^✅ 工单 #\d+ 创建成功/);
    expect(await ticketOf(created.ticketId!)).toMatchObject({ description: 'VPN 连不上', customer: { name: '周九', phone: '13500135000' } });
  });

  it('keeps a dialogue to its sender, lets it be abandoned, and carries it to another instance (a restart)', async () => {
    expect((await say('/创建工单 @客户吴十 问题:网络慢')).text).toMatch(/^请提供客户手机号/);
    // Someone else in the group is not answering it.
    expect((await say('13400134000', { sender: { userId: 'lisi', name: '李四' } })).text).not.toMatch(/创建成功/);
    const other = await startTestApp({}, t);
    try {
      const answer = (text: string) => other.app.chat.handle({ key: `test:${++sequence}`, chatId: GROUP, sender: { userId: 'zhangsan', name: '张三' }, text });
      expect((await answer('取消')).text).toBe('好的，已取消创建工单。');
      expect((await answer('13400134000')).text).not.toMatch(/创建成功/);
      expect((await t.db.query(`select 1 from chat_dialogues where user_id = 'zhangsan'`)).rowCount).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('says so when the answer to a dialogue comes after it expired', async () => {
    expect((await say('/创建工单 @客户过期 问题:网络慢')).text).toMatch(/^请提供客户手机号/);
    await t.db.query(`update chat_dialogues set expires_at = now() - interval '1 minute' where user_id = 'zhangsan'`);
    expect((await say('网络还是很慢')).text).toBe('上一次创建工单已超时（5 分钟内未收到回复），请重新发送 /创建工单。');
    expect((await say('网络还是很慢')).text).toMatch(/^没看懂/);
  });

  it('completes a dialogue on another instance than the one it started on', async () => {
    expect((await say('/创建工单 @客户吴十一 问题:网络慢')).text).toMatch(/^请提供客户手机号/);
    const other = await startTestApp({}, t);
    try {
      const created = await other.app.chat.handle({ key: `test:${++sequence}`, chatId: GROUP, sender: { userId: 'zhangsan', name: '张三' }, text: '13400134000' });
      expect(created.text).toMatch(/^✅ 工单 #\d+ 创建成功/);
      expect(await ticketOf(created.ticketId!)).toMatchObject({ description: '网络慢', customer: { name: '吴十一', phone: '13400134000' } });
    } finally {
      await other.close();
    }
  });

  it('names every candidate when an assignee is ambiguous, and says when nobody matches', async () => {
    const { ticketId } = await say('/创建工单 @客户郑一 手机:13300133000 问题:电脑蓝屏');
    const ambiguous = (await say(`/分配工单 #${ticketId} @小李`)).text;
    expect(ambiguous).toMatch(/^❌ /);
    expect(ambiguous).toContain('李思');
    expect(ambiguous).toContain('李小');
    expect((await say(`/分配工单 #${ticketId} @查无此人`)).text).toMatch(/^❌ .*查无此人/);
  });

  it('processes a message delivered twice once, and answers the second delivery as the first', async () => {
    const message = { key: 'test:duplicate', chatId: GROUP, sender: { userId: 'zhangsan', name: '张三' }, text: '/创建工单 @客户冯二 手机:13200132000 问题:重复投递' };
    const [a, b] = await Promise.all([t.app.chat.handle(message), t.app.chat.handle(message)]);
    const first = a.duplicate ? b : a;
    const again = await t.app.chat.handle(message);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(again).toEqual({ text: first.text, handled: true, duplicate: true, ticketId: first.ticketId });
    const count = await t.db.query(`select count(*)::int as n from tickets t join customers c on c.id = t.customer_id where c.name = '冯二'`);
    expect(count.rows[0]?.n).toBe(1);
  });

  it('answers hostile and malformed input in Chinese and writes nothing wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['#-5 已解决', /^❌ 工单号「#-5」不正确/],
      ['#99999999999999999999 已解决', /^❌ 工单号.*不正确/],
      ['#abc 已解决', /^❌ 工单号「#abc」不正确/],
      ['#999999 已解决', /^❌ 工单 #999999 不存在/],
      ['#1 进度 150', /^❌ 进度应为 0 到 100/],
      ['#1 进度 -5', /^❌ 进度应为 0 到 100/],
      ['/创建工单 @客户x 手机:13800138000 问题:' + '长'.repeat(100_000), /^❌ /],
      ['/创建工单 @客户' + '名'.repeat(5000) + ' 手机:13800138000 问题:x', /^❌ /],
      ["/查询工单 客户'; drop table tickets; --", /^📋 没有查询到工单/],
      ['/不存在的命令', /^❌ 未知命令/],
      ['你好', /^没看懂/],
      ['\u200b\u202e\u0007', /工单助手可以做这些/],
    ];
    for (const [text, expected] of cases) expect((await say(text)).text, text).toMatch(expected);
    const html = await say('/创建工单 @客户<script>alert(1)</script> 手机:13100131000 问题:<b>粗体</b> 😀 \u202eRTL');
    expect(html.text).toMatch(/创建成功/);
    expect((await ticketOf(html.ticketId!)).description).toBe('<b>粗体</b> 😀 RTL');
    expect((await t.db.query('select count(*)::int as n from tickets')).rows[0]?.n).toBeGreaterThan(0);
  });

  it('registers the group it is first @-mentioned in', async () => {
    const groups = await t.db.query('select chat_id, registered_by from chat_groups');
    expect(groups.rows).toEqual([{ chat_id: GROUP, registered_by: 'zhangsan' }]);
  });

  it('sends the cards of tickets created in a 1:1 chat or over the API to the default group', async () => {
    const answer = await t.app.chat.handle({ key: 'test:single', sender: { userId: 'zhangsan', name: '张三' }, text: '/创建工单 @客户陈三 手机:13000130000 问题:私聊创建' });
    await vi.waitFor(async () => expect((await delivered('chat:default')).map((m) => m.text)).toContainEqual(expect.stringContaining(`#ID${answer.ticketId}`)), { timeout: 5000 });
  });
});
