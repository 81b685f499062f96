import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { AssignTicketDocument, CreateTicketDocument, CustomerSummaryDocument, UpdateTicketStatusDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The brief's GET /api/customers/{id}/tickets/summary, and the same in GraphQL. */
describe('a customer\'s ticket summary', () => {
  let t: TestApp;
  let token: string;
  let customerId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token('admin', StaffRole.ADMIN, '管理员');
    await t.app.staff.upsert({ userId: 'lisi', name: '李四' });
    const problems: Array<[string, string | null]> = [
      ['服务器无法连接', '云服务器管理系统'], ['登录失败', '斗战神V2.0'], ['数据无法导出', '云服务器管理系统'],
      ['打印机卡纸', null], ['页面打不开', '斗战神V2.0'], ['邮件收不到', '企业邮箱'], ['VPN 断线', null],
    ];
    for (const [description, product] of problems) {
      const created = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', company: 'XX科技', description, product } }, token)).createTicket;
      ids.push(created.id);
      customerId = created.customer.id;
    }
    await t.gql(AssignTicketDocument, { id: ids[6]!, assignee: 'lisi' }, token);
    for (const id of [ids[0]!, ids[1]!]) await t.gql(UpdateTicketStatusDocument, { id, status: 'RESOLVED' }, token);
    await t.gql(UpdateTicketStatusDocument, { id: ids[1]!, status: 'CLOSED' }, token);
    await t.gql(UpdateTicketStatusDocument, { id: ids[2]!, status: 'CANCELLED' }, token);
    // Someone else's ticket counts for nobody here.
    await t.gql(CreateTicketDocument, { input: { customerName: '王五', customerPhone: '13900139000', description: '别人的工单', product: '别人的产品' } }, token);
  });
  afterAll(() => t?.close());

  const get = async (path: string, auth: string | null = token) => {
    const response = await fetch(`${t.app.http.url}${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('answers in the brief\'s exact shape', async () => {
    const { status, body } = await get(`/api/customers/${customerId}/tickets/summary`);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['customer', 'total_tickets', 'pending_tickets', 'resolved_tickets', 'recent_tickets', 'products', 'customer_since']);
    expect(body.customer).toEqual({ id: Number(customerId), name: '张三', phone: '13800138000', company: 'XX科技' });
    expect([body.total_tickets, body.pending_tickets, body.resolved_tickets]).toEqual([7, 4, 2]);
    expect(body.recent_tickets).toHaveLength(5);
    expect(body.recent_tickets.map((r: { id: number }) => String(r.id))).toEqual([...ids].reverse().slice(0, 5));
    expect(body.recent_tickets[0]).toEqual({ id: Number(ids[6]), title: 'VPN 断线', status: 'assigned', progress: 0, created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/), assigned_to: '李四' });
    expect(body.recent_tickets[1]).toMatchObject({ status: 'pending', assigned_to: null });
    expect(body.products).toEqual(['企业邮箱', '斗战神V2.0', '云服务器管理系统']);
    expect(body.customer_since).toMatch(/\+08:00$/);
    const since = new Date(body.customer_since);
    expect(Math.abs(since.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('is the same in GraphQL as Customer.summary', async () => {
    const { summary } = dataOf(await t.gql(CustomerSummaryDocument, { id: customerId }, token)).customer;
    expect(summary).toMatchObject({ totalTickets: 7, pendingTickets: 4, resolvedTickets: 2, products: ['企业邮箱', '斗战神V2.0', '云服务器管理系统'] });
    expect(summary.recentTickets.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 5));
  });

  it('answers an unknown customer, a bad id and a missing or forged token with coded JSON', async () => {
    expect((await get('/api/customers/999999/tickets/summary')).status).toBe(404);
    expect((await get('/api/customers/999999/tickets/summary')).body.errors[0].extensions.code).toBe('NOT_FOUND');
    const bad = await get('/api/customers/abc/tickets/summary');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await get(`/api/customers/${customerId}/tickets/summary`, null)).status).toBe(401);
    expect((await get(`/api/customers/${customerId}/tickets/summary`, 'forged')).status).toBe(401);
  });
});
