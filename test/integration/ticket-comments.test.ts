import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { AddTicketCommentDocument, CreateTicketDocument, TicketCommentsDocument, UpdateTicketStatusDocument } from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Replies to the customer and internal notes: from the API and from chat, kept as events, the ticket left as it was. */
describe('ticket comments', () => {
  let t: TestApp;
  let token: string;
  let ticketId: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token('lisi', StaffRole.AGENT, '李四');
    ticketId = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', description: '打印机无法打印' } }, token)).createTicket.id;
  });
  afterAll(() => t?.close());

  const comments = async () => dataOf(await t.gql(TicketCommentsDocument, { id: ticketId }, token)).ticket;

  it('keeps a reply to the customer and an internal note apart, by whom and in order, without changing the ticket', async () => {
    const before = await comments();
    const reply = dataOf(await t.gql(AddTicketCommentDocument, { id: `#${ticketId}`, body: '  已安排工程师明天上门  ', visibility: 'PUBLIC' }, token)).addTicketComment;
    expect(reply).toMatchObject({ ticketId, visibility: 'PUBLIC', body: '已安排工程师明天上门', authorId: 'lisi', authorName: '李四' });
    await t.gql(AddTicketCommentDocument, { id: ticketId, body: '客户机房在三楼，需要门禁卡', visibility: 'INTERNAL' }, token);
    const after = await comments();
    expect(after.comments.map((c) => [c.visibility, c.body, c.authorName])).toEqual([
      ['PUBLIC', '已安排工程师明天上门', '李四'],
      ['INTERNAL', '客户机房在三楼，需要门禁卡', '李四'],
    ]);
    expect(after.comments[0]!.id).toBe(reply.id);
    expect(after.events.filter((e) => e.type === 'COMMENTED').map((e) => [e.to, e.note])).toEqual([['PUBLIC', '已安排工程师明天上门'], ['INTERNAL', '客户机房在三楼，需要门禁卡']]);
    expect([after.version, after.updatedAt]).toEqual([before.version, before.updatedAt]);
  });

  it('comments on a ticket in any state, closed ones included', async () => {
    await t.gql(UpdateTicketStatusDocument, { id: ticketId, status: 'RESOLVED' }, token);
    await t.gql(UpdateTicketStatusDocument, { id: ticketId, status: 'CLOSED' }, token);
    const note = dataOf(await t.gql(AddTicketCommentDocument, { id: ticketId, body: '回访：客户满意', visibility: 'INTERNAL' }, token)).addTicketComment;
    expect(note.body).toBe('回访：客户满意');
  });

  it('refuses an empty or overlong body, an unknown ticket and a caller without a token, in both languages', async () => {
    for (const body of ['   ', '长'.repeat(2001)]) {
      const error = errorOf(await t.gql(AddTicketCommentDocument, { id: ticketId, body, visibility: 'PUBLIC' }, token));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.extensions?.['messageZh']).toBeTruthy();
    }
    expect(errorOf(await t.gql(AddTicketCommentDocument, { id: '999999', body: '你好', visibility: 'PUBLIC' }, token)).code).toBe('NOT_FOUND');
    expect(errorOf(await t.gql(AddTicketCommentDocument, { id: ticketId, body: '你好', visibility: 'PUBLIC' })).code).toBe('UNAUTHENTICATED');
  });

  it('takes 回复客户 and 备注 from chat, as the sender', async () => {
    const say = (text: string, key: string) => t.app.chat.handle({ key, chatId: 'wrkGroupComments', sender: { userId: 'wangwu', name: '王五' }, text });
    const fresh = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '赵六', customerPhone: '13900139000', description: 'VPN 连不上' } }, token)).createTicket.id;
    expect((await say(`#${fresh} 回复客户：请重启路由器后再试`, 'comment:1')).text).toBe(`✅ 已回复客户（工单 #${fresh}），客户查看工单进度时能看到`);
    expect((await say(`#${fresh} 备注：疑似运营商问题`, 'comment:2')).text).toBe(`✅ 已添加内部备注（工单 #${fresh}），客户看不到`);
    expect((await say(`#${fresh} 回复客户`, 'comment:3')).text).toContain('请写明内容');
    const { comments: stored } = dataOf(await t.gql(TicketCommentsDocument, { id: fresh }, token)).ticket;
    expect(stored.map((c) => [c.visibility, c.body, c.authorName])).toEqual([['PUBLIC', '请重启路由器后再试', '王五'], ['INTERNAL', '疑似运营商问题', '王五']]);
    expect((await say('#999999 回复客户：你好', 'comment:4')).text).toContain('999999');
  });
});
