import { describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { DEFAULT_DIRECTORY } from '../../src/local-wecom/directory-fixture.js';
import { LOCAL_STAFF } from '../../src/local-wecom/local-wecom.js';
import { TicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp } from '../support/test-app.js';

interface State {
  bot: { connected: boolean };
  groups: { name: string }[];
  staff: { name: string }[];
  directory: { userId: string; name: string; alias: string }[];
  channels: { webhook: boolean; app: { name: string } | null };
  conversations: { id: string; botMessages: { kind: string; msgtype: string; content: string }[] }[];
  webhookMessages: { id: string; chatId: string; msgtype: string; content: string; mentionedUserIds: string[]; mentionsAll: boolean }[];
  appMessages: { id: string; userId: string; msgtype: string; content: string }[];
}
interface Card {
  main_title: { title: string; desc?: string };
  button_list: { text: string; key: string }[];
  task_id: string;
}
interface ErrorBody {
  errors: { extensions: { code: string; messageZh: string } }[];
}
const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

/** Reads an event stream until `text` has come, decoding across chunks (a character may span two). */
function streamReader(response: Response): (text: string) => Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let streamed = '';
  return async (text) => {
    while (!streamed.includes(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the event stream ended before "${text}" came`);
      streamed += decoder.decode(value, { stream: true });
    }
    return streamed;
  };
}

/** /dev/wecom's JSON and event stream; the page itself is driven in test/browser/dev-wecom.test.ts. */
describe('the local WeCom routes', () => {
  it('lists groups and staff, takes messages, streams changes, and lets the service shut down with a stream open', async () => {
    const t = await startTestApp({ LOCAL_WECOM: 'on', OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    const base = `${t.app.http.url}/dev/wecom`;
    try {
      await vi.waitFor(async () => expect((await json<State>(await fetch(`${base}/api/state`))).bot.connected).toBe(true), { timeout: 10_000 });
      const state = await json<State>(await fetch(`${base}/api/state`));
      expect(state.groups.map((g) => g.name)).toEqual(['售后服务群', '运维支持群']);
      expect(state.staff.map((s) => s.name)).toEqual(['张三', '李四', '王五', '赵主管']);

      const events = await fetch(`${base}/api/events`);
      expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const streamUntil = streamReader(events);
      const post = (body: unknown) => fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const sent = await post({ chatId: 'wrLocalAfterSales', userId: 'zhangsan', text: '@工单助手 /帮助' });
      expect(sent.status).toBe(202);
      expect(await streamUntil('工单助手可以做这些')).toContain('"id":"wrLocalAfterSales"');

      const bad = await post({ userId: '张 三', text: 'x' });
      expect(bad.status).toBe(400);
      expect((await json<ErrorBody>(bad)).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      // Only the local WeCom's own staff and groups: nobody becomes a LEAD or a group by typing its id.
      const stranger = await json<ErrorBody>(await post({ chatId: 'wrLocalAfterSales', userId: 'stranger', text: '/帮助' }));
      expect(stranger.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: expect.stringContaining('本地企业微信没有这位员工') });
      const elsewhere = await json<ErrorBody>(await post({ chatId: 'wrSomewhereElse', userId: 'zhangsan', text: '/帮助' }));
      expect(elsewhere.errors[0]!.extensions.messageZh).toContain('本地企业微信没有这个群');
      expect((await fetch(`${base}`, { redirect: 'manual' })).headers.get('location')).toBe('/dev/wecom/');
      expect((await fetch(`${base}/`)).headers.get('content-security-policy')).toContain("default-src 'self'");
    } finally {
      await t.close();
    }
  });

  it('shows what the group webhook and the self-built app send: the webhook in its group, the app to each person', async () => {
    const t = await startTestApp({ LOCAL_WECOM: 'on', OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    const base = `${t.app.http.url}/dev/wecom`;
    const state = async () => json<State>(await fetch(`${base}/api/state`));
    const post = (body: unknown) => fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      await vi.waitFor(async () => expect((await state()).bot.connected).toBe(true), { timeout: 10_000 });
      const first = await state();
      expect(first.channels).toEqual({ webhook: true, app: { name: '工单应用' } });
      expect(first.webhookMessages).toEqual([]);
      expect(first.appMessages).toEqual([]);
      // The page's identities are named as in the fake WeCom's directory, which has a second 李四 nobody plays.
      for (const member of LOCAL_STAFF) expect(DEFAULT_DIRECTORY.find((entry) => entry.userid === member.userId)?.name).toBe(member.name);
      expect(first.directory.filter((member) => member.name === '李四').map((member) => member.userId)).toEqual(['lisi', 'lisi2']);
      // The service's core uses the local app (directory sync) and the default group's webhook.
      expect(t.app.wecomApp).toBeDefined();
      expect(t.app.webhooks.serves('chat:default')).toBe(true);
      expect(t.app.webhooks.serves('chat:wrLocalAfterSales')).toBe(true);
      await vi.waitFor(async () => expect((await t.db.query<{ user_id: string }>(`select user_id from staff where user_id = 'lisi2'`)).rows).toHaveLength(1), { timeout: 10_000 });

      const events = await fetch(`${base}/api/events`);
      const streamUntil = streamReader(events);

      expect((await post({ chatId: 'wrLocalAfterSales', userId: 'zhangsan', text: '@工单助手 /创建工单 @客户王五 手机:13800138000 问题:服务器无法连接' })).status).toBe(202);
      let id = '';
      await vi.waitFor(async () => {
        const group = (await state()).conversations.find((conversation) => conversation.id === 'wrLocalAfterSales');
        const created = group?.botMessages.map((message) => /工单 #(\d+) 创建成功/.exec(message.content)).find(Boolean);
        expect(created).toBeTruthy();
        id = created![1]!;
        // The new-ticket card goes by the smart robot, not by the webhook.
        expect(group!.botMessages.filter((message) => message.kind === 'push').length).toBeGreaterThan(0);
      }, { timeout: 10_000 });
      expect((await state()).webhookMessages).toEqual([]);

      expect((await post({ chatId: 'wrLocalAfterSales', userId: 'zhangsan', text: `@工单助手 /分配工单 #${id} @王五` })).status).toBe(202);
      await vi.waitFor(async () => expect((await state()).appMessages.filter((message) => message.userId === 'wangwu')).toHaveLength(1), { timeout: 10_000 });
      const [assigned] = (await state()).appMessages;
      expect(assigned).toMatchObject({ userId: 'wangwu', msgtype: 'markdown', content: expect.stringContaining(`📋 **工单 #${id} 已分配给你**（由 张三 分配）`) });
      expect(await streamUntil(`"id":${JSON.stringify(assigned!.id)}`)).toContain('event: app\n');

      // Overdue: the reminder goes by the group's webhook, and @-mentions the assignee.
      await t.db.query(`update tickets set deadline = now() - interval '3 hours' where id = $1`, [Number(id)]);
      const admin = await t.token('admin', StaffRole.ADMIN, '管理员');
      const run = await fetch(`${t.app.http.url}/api/admin/reminders/run`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
      expect(run.status).toBe(200);
      await vi.waitFor(async () => expect((await state()).webhookMessages).toHaveLength(1), { timeout: 10_000 });
      const [reminder] = (await state()).webhookMessages;
      expect(reminder).toMatchObject({ id: 'webhook:1', chatId: 'wrLocalAfterSales', mentionedUserIds: ['wangwu'], mentionsAll: false });
      expect(reminder!.content).toContain(`#${id}`);
      expect(await streamUntil('"mentionedUserIds":["wangwu"]')).toContain('event: webhook\n');

      // The local webhook is forgotten at shutdown: a later start with a real tenant must not use it.
      await t.app.close();
      expect((await t.db.query(`select conversation from group_webhooks`)).rows).toEqual([]);
    } finally {
      await t.db.drop();
    }
  });

  it("clicks a card's button as a staff member: 认领 claims the ticket and the card changes in place; a click on no card of the chat is refused", async () => {
    const t = await startTestApp({ LOCAL_WECOM: 'on', OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    const base = `${t.app.http.url}/dev/wecom`;
    const state = async () => json<State>(await fetch(`${base}/api/state`));
    const postTo = (route: string, body: unknown) => fetch(`${base}/api/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const group = 'wrLocalAfterSales';
    /** The group's cards as it shows them now (the bot updates a clicked card in place). */
    const cards = async () =>
      ((await state()).conversations.find((conversation) => conversation.id === group)?.botMessages ?? [])
        .filter((message) => message.msgtype === 'template_card')
        .map((message) => JSON.parse(message.content) as Card);
    try {
      await vi.waitFor(async () => expect((await state()).bot.connected).toBe(true), { timeout: 10_000 });
      expect((await postTo('messages', { chatId: group, userId: 'zhangsan', text: '@工单助手 /创建工单 @客户王五 手机:13800138000 问题:服务器无法连接' })).status).toBe(202);
      let card: Card | undefined;
      await vi.waitFor(async () => {
        card = (await cards()).find((candidate) => candidate.main_title.title.startsWith('【新工单提醒】#ID'));
        expect(card).toBeDefined();
      }, { timeout: 10_000 });
      const id = /#ID(\d+)/.exec(card!.main_title.title)![1]!;
      expect(card!.button_list.map((button) => button.key)).toEqual([`claim:${id}`, `resolve:${id}`]);

      const click = (body: Record<string, unknown>) => postTo('card-clicks', { chatId: group, userId: 'lisi', taskId: card!.task_id, eventKey: `claim:${id}`, ...body });
      const clicked = await click({});
      expect(clicked.status).toBe(202);
      expect(await json<{ msgid: string; reqId: string }>(clicked)).toMatchObject({ msgid: expect.any(String), reqId: expect.any(String) });
      await vi.waitFor(async () => expect((await cards()).find((candidate) => candidate.task_id === card!.task_id)?.main_title.desc).toBe('已被李四认领'), { timeout: 10_000 });
      // Replaced, not added.
      expect((await cards()).filter((candidate) => candidate.main_title.title === `【新工单提醒】#ID${id}`)).toHaveLength(1);
      const admin = await t.token('admin', StaffRole.ADMIN, '管理员');
      expect(dataOf(await t.gql(TicketDocument, { id }, admin)).ticket).toMatchObject({ status: 'ASSIGNED', assignedTo: 'lisi' });

      // Only the local WeCom's staff and groups, a card the chat has, and a button of that card.
      const refusal = async (body: Record<string, unknown>) => {
        const response = await click(body);
        expect(response.status).toBe(400);
        return (await json<ErrorBody>(response)).errors[0]!.extensions;
      };
      expect(await refusal({ userId: 'stranger' })).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: expect.stringContaining('本地企业微信没有这位员工') });
      expect((await refusal({ chatId: 'wrSomewhereElse' })).messageZh).toContain('本地企业微信没有这个群');
      expect((await refusal({ taskId: undefined })).code).toBe('BAD_USER_INPUT');
      expect((await refusal({ taskId: 'no spaces allowed' })).code).toBe('BAD_USER_INPUT');
      expect((await refusal({ eventKey: '' })).code).toBe('BAD_USER_INPUT');
      expect((await refusal({ eventKey: 7 })).code).toBe('BAD_USER_INPUT');
      expect(await refusal({ taskId: 't0_0_000000000000' })).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: '这个会话里没有这张卡片' });
      // The card is the after-sales group's, not the other group's nor 李四's 1:1 chat's.
      expect((await refusal({ chatId: 'wrLocalOps' })).messageZh).toBe('这个会话里没有这张卡片');
      expect((await refusal({ chatId: undefined })).messageZh).toBe('这个会话里没有这张卡片');
      expect(await refusal({ eventKey: 'delete:1' })).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: '这张卡片没有这个按钮' });
      const notJson = await fetch(`${base}/api/card-clicks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      expect(notJson.status).toBe(400);
    } finally {
      await t.close();
    }
  });

  it('is not there unless the local WeCom runs', async () => {
    const t = await startTestApp();
    try {
      const response = await fetch(`${t.app.http.url}/dev/wecom/api/state`);
      expect(response.status).toBe(404);
      expect((await json<ErrorBody>(response)).errors[0]!.extensions.code).toBe('NOT_FOUND');
    } finally {
      await t.close();
    }
  });
});
