import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { FakeWeComHttpApi } from '../../src/local-wecom/http-api-server.js';
import { AssignTicketDocument, CreateTicketDocument, GroupWebhooksDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const APP = { corpId: 'ww-test-corp', agentId: 1000002, secret: 'app-secret' };
const WAIT = { timeout: 10_000, interval: 50 };

const httpEnv = (api: FakeWeComHttpApi, extra: Record<string, string> = {}) => ({
  GROUP_WEBHOOK_URL: api.webhookUrl('default-group-key'),
  CORP_ID: APP.corpId,
  CORP_SECRET: APP.secret,
  AGENT_ID: String(APP.agentId),
  WECOM_API_BASE: api.url,
  OUTBOX_POLL_MS: '100',
  EVENT_LOG_POLL_MS: '100',
  OUTBOX_RETRY_BASE_MS: '100',
  OUTBOX_RETRY_MAX_MS: '500',
  ...extra,
});

/** The group webhook, the self-built app and the directory, against the local WeCom's HTTP APIs. */
describe('WeCom over HTTP: the group webhook and the self-built app', () => {
  let api: FakeWeComHttpApi;
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    api = await FakeWeComHttpApi.start({ corpId: APP.corpId, apps: [{ agentId: APP.agentId, secret: APP.secret }], webhookKeys: ['default-group-key'] });
    t = await startTestApp(httpEnv(api));
    admin = await t.token('admin', StaffRole.ADMIN, '管理员');
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  const create = async (description: string) =>
    dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', description } }, admin)).createTicket;

  it('posts a ticket created over the API to the default group by webhook, calling everyone with @all', async () => {
    const ticket = await create('webhook 推送的工单');
    const message = await api.waitForWebhookMessage((m) => m.content.includes(`#ID${ticket.id}`), 10_000);
    expect(message).toMatchObject({ key: 'default-group-key', msgtype: 'text', mentionsAll: true });
    expect(message.content).toMatch(/^🟡 【新工单提醒】/);
    expect(message.content).not.toContain('**');
  });

  it('syncs names and aliases from the directory, so a name two people share is asked about', async () => {
    await vi.waitFor(async () => expect((await t.app.staff.search(t.app.orm.em.fork(), '李四')).map((s) => s.userId).sort()).toEqual(['lisi', 'lisi2']), WAIT);
    const ticket = await create('同名负责人');
    const answer = await t.app.chat.handle({ key: 'http-test:1', chatId: 'wrGroupX', sender: { userId: 'zhangsan' }, text: `/分配工单 #${ticket.id} @李四` });
    expect(answer.text).toMatch(/^❌ 「李四」对应多名员工：李四\(lisi\)、李四\(lisi2\)/);
    expect((await t.app.staff.findByUserId(t.app.orm.em.fork(), 'zhangsan'))?.name).toBe('张三');
  });

  it('caches the access token, and replaces it once when WeCom revokes it', async () => {
    const tickets = [await create('私信一'), await create('私信二')];
    for (const ticket of tickets) await t.gql(AssignTicketDocument, { id: ticket.id, assignee: 'wangwu' }, admin);
    await vi.waitFor(() => expect(api.appMessages('wangwu').filter((m) => m.content.includes('已分配给你'))).toHaveLength(2), WAIT);
    // One token for the directory sync and every message since.
    expect(api.requests.filter((r) => r.path === '/cgi-bin/message/send').length).toBeGreaterThanOrEqual(2);
    expect(api.gettokenCalls).toBe(1);
    api.revokeTokens();
    const third = await create('私信三');
    await t.gql(AssignTicketDocument, { id: third.id, assignee: 'wangwu' }, admin);
    await vi.waitFor(() => expect(api.appMessages('wangwu').some((m) => m.content.includes(`工单 #${third.id} 已分配给你`))).toBe(true), WAIT);
    expect(api.gettokenCalls).toBe(2);
    expect(api.requests.filter((r) => (r.response as { errcode?: number } | undefined)?.errcode === 40014)).toHaveLength(1);
  });

  it('tells the assignee in private, with the ticket\'s customer and deadline', async () => {
    const ticket = await create('分配后私信负责人');
    await t.gql(AssignTicketDocument, { id: ticket.id, assignee: 'zhangsan' }, admin);
    const message = await api.waitForAppMessage((m) => m.userId === 'zhangsan' && m.content.includes(`工单 #${ticket.id} 已分配给你`), 10_000);
    expect(message).toMatchObject({ msgtype: 'markdown', agentId: APP.agentId });
    expect(message.content).toContain('客户：张三 (13800138000)');
  });

  it('marks a key WeCom calls gone as dead, keeps the message as a dead letter, and shows admins', async () => {
    // What earlier tests queued is delivered first, so this ticket's card is the one that meets the dead key.
    await vi.waitFor(async () => expect((await t.db.query(`select 1 from notifications where status = 'PENDING'`)).rowCount).toBe(0), WAIT);
    api.killKey('default-group-key');
    const ticket = await create('key 失效后的工单');
    await vi.waitFor(async () => {
      const row = await t.db.query(`select status, last_error from notifications where ticket_id = $1 and kind = 'NEW_TICKET'`, [Number(ticket.id)]);
      expect(row.rows[0]).toMatchObject({ status: 'DEAD', last_error: expect.stringContaining('93000') });
    }, WAIT);
    expect(dataOf(await t.gql(GroupWebhooksDocument, {}, admin)).groupWebhooks).toEqual([expect.objectContaining({ chatId: null, dead: true, lastError: expect.stringContaining('93000') })]);
    // Later messages for the group wait as dead letters too; none slips to the development channel.
    const next = await create('key 失效之后又一个工单');
    await vi.waitFor(async () => {
      const row = await t.db.query(`select status, last_error from notifications where ticket_id = $1 and kind = 'NEW_TICKET'`, [Number(next.id)]);
      expect(row.rows[0]).toMatchObject({ status: 'DEAD', last_error: expect.stringContaining('is gone') });
    }, WAIT);
    expect((await t.db.query('select count(*)::int as n from dev_channel_messages')).rows[0]?.n).toBe(0);
  });
});

describe('the group webhook\'s rate limit', () => {
  let clock: TestClock;
  let api: FakeWeComHttpApi;
  let t: TestApp;

  beforeAll(async () => {
    clock = TestClock.install();
    api = await FakeWeComHttpApi.start({ corpId: APP.corpId, apps: [{ agentId: APP.agentId, secret: APP.secret }], webhookKeys: ['default-group-key'], now: () => clock.now() });
    t = await startTestApp(httpEnv(api, { CORP_ID: '', CORP_SECRET: '', AGENT_ID: '' }), undefined, { clock });
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
    clock.uninstall();
  });

  it('sends 20 a minute and keeps the rest in the outbox, in order, until the minute has passed', async () => {
    const token = await t.token('admin', StaffRole.ADMIN);
    for (let i = 0; i < 24; i++) await t.gql(CreateTicketDocument, { input: { customerName: `客户${i}`, description: `第 ${i} 个问题` } }, token);
    await vi.waitFor(() => expect(api.webhookMessages('default-group-key')).toHaveLength(20), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(api.webhookMessages('default-group-key')).toHaveLength(20);
    expect(api.requests.filter((r) => (r.response as { errcode?: number } | undefined)?.errcode === 45009)).toEqual([]);
    expect((await t.db.query(`select count(*)::int as n from notifications where status = 'PENDING' and attempts = 0`)).rows[0]?.n).toBe(4);
    clock.advance(61_000);
    await vi.waitFor(() => expect(api.webhookMessages('default-group-key')).toHaveLength(24), WAIT);
    expect(api.webhookMessages('default-group-key').map((m) => /第 (\d+) 个问题/.exec(m.content)?.[1])).toEqual([...Array(24).keys()].map(String));
  });
});
