import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The brief's JSON endpoint for relays and scripts, which (unlike the brief) needs a token. */
describe('POST /api/wechat/work-message', () => {
  let t: TestApp;
  let url: string;
  let agent: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    url = `${t.app.http.url}/api/wechat/work-message`;
    agent = await t.token('zhangsan', StaffRole.AGENT, '张三');
    admin = await t.token('relay', StaffRole.ADMIN, '转发服务');
  });
  afterAll(() => t?.close());

  const post = async (body: unknown, token?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
  };

  it('answers the brief\'s example in the brief\'s shape', async () => {
    const { status, body } = await post({ ToUserName: 'ww-corp', FromUserName: 'zhangsan', MsgType: 'text', Content: '/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接' }, agent);
    expect(status).toBe(200);
    expect(body).toEqual({ type: 'command_response', response: expect.stringMatching(/^✅ 工单 #\d+ 创建成功！已推送到群聊。$/), data: { handled: true, ticket_id: expect.any(Number) } });
    expect(body.response).toBe(`✅ 工单 #${body.data.ticket_id} 创建成功！已推送到群聊。`);
  });

  it('processes a relayed MsgId once, and lets an ADMIN relay for anyone', async () => {
    const message = { ToUserName: 'ww-corp', FromUserName: 'lisi', MsgType: 'text', MsgId: 7_000_001, Content: '/创建工单 @客户李雷 手机:13900139000 问题:只处理一次' };
    const first = await post(message, admin);
    const again = await post(message, admin);
    expect(again.body).toEqual(first.body);
    const count = await t.db.query(`select count(*)::int as n from tickets t join customers c on c.id = t.customer_id where c.name = '李雷'`);
    expect(count.rows[0]?.n).toBe(1);
  });

  it('says when a message is no command', async () => {
    expect((await post({ FromUserName: 'zhangsan', MsgType: 'text', Content: '大家好' }, agent)).body).toEqual({ type: 'command_response', response: expect.stringMatching(/^没看懂/), data: { handled: false } });
    expect((await post({ FromUserName: 'zhangsan', MsgType: 'image', Content: '' }, agent)).body).toEqual({ type: 'command_response', response: '暂只支持文本消息', data: { handled: false } });
  });

  it('refuses without a token, or as someone else without ADMIN, with a coded JSON error', async () => {
    const anonymous = await post({ FromUserName: 'zhangsan', MsgType: 'text', Content: '/帮助' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await post({ FromUserName: 'boss', MsgType: 'text', Content: '/帮助' }, agent);
    expect(forged.status).toBe(403);
    expect(forged.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', messageZh: expect.stringContaining('只能以自己的身份发送') });
    expect((await post({ FromUserName: 'zhangsan', MsgType: 'text', Content: '/帮助' }, 'not-a-token')).status).toBe(401);
  });

  it('answers malformed bodies with a coded JSON error, never a page', async () => {
    for (const body of ['{"FromUserName":', { FromUserName: 'zhangsan' }, { FromUserName: '张 三', MsgType: 'text', Content: 'x' }, { FromUserName: 'zhangsan', MsgType: 'text', Content: 5 }, []]) {
      const answer = await post(body, agent);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.type).toMatch(/^application\/json/);
      expect(answer.body.errors[0].extensions.code).toMatch(/^(BAD_REQUEST|BAD_USER_INPUT)$/);
    }
  });
});
