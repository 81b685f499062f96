import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import {
  AssignTicketDocument,
  CreateTicketDocument,
  type CreateTicketInput,
  CustomerReportDocument,
  ServiceStatsDocument,
  type TicketStatus,
  UpdateTicketStatusDocument,
} from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { ManualClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The customer service report and the team figures over a hand-made history: every event at a
 * chosen time, the expected figures worked out by hand below. Period 2026-12-01 … 2026-12-03 in
 * China = [2026-11-30T16:00Z, 2026-12-03T16:00Z).
 *
 *   #   customer  created (UTC)        China          what happens                                          in 张三's report?
 *   T9  赵六      11-29 02:00          11-29          lisi; resolved 11-29 04:00; reopened 12-02, resolved 12-02 03:10 (not a first resolution)
 *   T0  张三      11-30 15:30          11-30 23:30    wangwu 15:40; resolved 12-01 01:30 (10 h)               no: the day before
 *   T1  张三      11-30 16:30 URGENT   12-01 00:30    lisi +1 h; resolved +3 h; reopened; resolved again; closed    yes
 *   T2  张三      12-01 02:00          12-01          wangwu +30 min, then lisi; deadline 06:00; 2 reminders; resolved 08:00 (6 h, late)   yes
 *   T3  张三      12-02 01:00 HIGH     12-02          wangwu +20 min; cancelled                              yes
 *   T4  张三      12-02 03:00          12-02          nobody; deadline 05:00; 3 reminders, the 3rd escalates     yes
 *   T7  赵六      12-02 08:00          12-02          wangwu; resolved 10:00 (2 h)
 *   T8  赵六      12-03 01:00          12-03          nobody; resolved 01:45 (45 min)
 *   T10 赵六      12-03 02:00          12-03          lisi; processing; deadline 12:00 (overdue now)
 *   T11 赵六      12-03 04:00          12-03          wangwu (assigned, not overdue)
 *   T5  张三      12-03 15:59          12-03 23:59    pending                                                yes: the last minute
 *   T6  张三      12-03 16:00          12-04 00:00    pending; deadline 12-04 00:00; a reminder 00:01 (after the period)   no: the day after
 *
 * Now: 2026-12-04T02:00Z (10:00 in China).
 */
describe('the customer service report and the team figures', () => {
  const clock = new ManualClock('2026-11-29T02:00:00Z');
  let t: TestApp;
  let token: string;
  let zhangsan: string;
  const ids: Record<string, string> = {};
  const HOUR = 3600;
  const PERIOD = { from: '2026-12-01', to: '2026-12-03' };

  const at = async <T>(time: string, step: () => Promise<T>): Promise<T> => {
    clock.set(time);
    return step();
  };
  const create = (name: string, time: string, customer: '张三' | '赵六', input: Partial<CreateTicketInput> = {}) =>
    at(time, async () => {
      const phone = customer === '张三' ? '13800138000' : '13900139000';
      const ticket = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: customer, customerPhone: phone, company: customer === '张三' ? 'XX科技' : null, description: `${name} 的问题`, ...input } }, token)).createTicket;
      ids[name] = ticket.id;
      if (customer === '张三') zhangsan = ticket.customer.id;
    });
  const assign = (name: string, time: string, assignee: string) => at(time, async () => dataOf(await t.gql(AssignTicketDocument, { id: ids[name]!, assignee }, token)));
  const move = (name: string, time: string, status: TicketStatus) => at(time, async () => dataOf(await t.gql(UpdateTicketStatusDocument, { id: ids[name]!, status }, token)));
  const remind = (name: string, time: string) =>
    at(time, async () => {
      const outcome = await t.app.reminders.checkDeadline(Number(ids[name]));
      if (outcome.reminded === null) throw new Error(`no reminder was due for ${name} at ${time}`);
    });

  beforeAll(async () => {
    // API only: no Agenda job fires a reminder at a time of its own choosing.
    t = await startTestApp({ SERVICE_ROLE: 'api' }, undefined, { clock });
    token = await t.token('admin', StaffRole.ADMIN, '管理员');
    await t.app.staff.upsert({ userId: 'lisi', name: '李四' });
    await t.app.staff.upsert({ userId: 'wangwu', name: '王五' });

    await create('T9', '2026-11-29T02:00:00Z', '赵六');
    await assign('T9', '2026-11-29T03:00:00Z', 'lisi');
    await move('T9', '2026-11-29T04:00:00Z', 'RESOLVED');
    await create('T0', '2026-11-30T15:30:00Z', '张三', { product: '企业邮箱' });
    await assign('T0', '2026-11-30T15:40:00Z', 'wangwu');
    await create('T1', '2026-11-30T16:30:00Z', '张三', { description: '服务器无法连接，紧急', product: '云服务器管理系统' });
    await assign('T1', '2026-11-30T17:30:00Z', 'lisi');
    await move('T1', '2026-11-30T19:30:00Z', 'RESOLVED');
    await move('T1', '2026-11-30T20:30:00Z', 'PROCESSING');
    await move('T1', '2026-11-30T22:30:00Z', 'RESOLVED');
    await move('T1', '2026-11-30T23:00:00Z', 'CLOSED');
    await move('T0', '2026-12-01T01:30:00Z', 'RESOLVED');
    await create('T2', '2026-12-01T02:00:00Z', '张三', { product: '斗战神V2.0', deadline: '2026-12-01T06:00:00Z' });
    await assign('T2', '2026-12-01T02:30:00Z', 'wangwu');
    await assign('T2', '2026-12-01T04:00:00Z', 'lisi');
    await remind('T2', '2026-12-01T06:01:00Z');
    await remind('T2', '2026-12-01T07:01:00Z');
    await move('T2', '2026-12-01T08:00:00Z', 'RESOLVED');
    await create('T3', '2026-12-02T01:00:00Z', '张三', { priority: 'HIGH', product: '云服务器管理系统' });
    await assign('T3', '2026-12-02T01:20:00Z', 'wangwu');
    await move('T3', '2026-12-02T02:00:00Z', 'CANCELLED');
    await move('T9', '2026-12-02T02:10:00Z', 'PROCESSING');
    await create('T4', '2026-12-02T03:00:00Z', '张三', { deadline: '2026-12-02T05:00:00Z' });
    await move('T9', '2026-12-02T03:10:00Z', 'RESOLVED');
    await remind('T4', '2026-12-02T05:01:00Z');
    await remind('T4', '2026-12-02T06:01:00Z');
    await remind('T4', '2026-12-02T07:01:00Z');
    await create('T7', '2026-12-02T08:00:00Z', '赵六');
    await assign('T7', '2026-12-02T08:10:00Z', 'wangwu');
    await move('T7', '2026-12-02T10:00:00Z', 'RESOLVED');
    await create('T8', '2026-12-03T01:00:00Z', '赵六');
    await move('T8', '2026-12-03T01:45:00Z', 'RESOLVED');
    await create('T10', '2026-12-03T02:00:00Z', '赵六', { deadline: '2026-12-03T12:00:00Z' });
    await assign('T10', '2026-12-03T02:30:00Z', 'lisi');
    await move('T10', '2026-12-03T03:00:00Z', 'PROCESSING');
    await create('T11', '2026-12-03T04:00:00Z', '赵六');
    await assign('T11', '2026-12-03T04:30:00Z', 'wangwu');
    await create('T5', '2026-12-03T15:59:00Z', '张三', { product: '云服务器管理系统' });
    await create('T6', '2026-12-03T16:00:00Z', '张三', { product: '斗战神V2.0', deadline: '2026-12-04T00:00:00Z' });
    await remind('T6', '2026-12-04T00:01:00Z');
    clock.set('2026-12-04T02:00:00Z');
  });
  afterAll(() => t?.close());

  const get = async (path: string, headers: Record<string, string> = {}, auth: string | null = token) => {
    const response = await fetch(`${t.app.http.url}${path}`, { headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers } });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  const getJson = async (path: string, auth: string | null = token) => {
    const { status, text } = await get(path, {}, auth);
    return { status, body: JSON.parse(text) as Record<string, any> };
  };

  const MARKDOWN = [
    '## 📊 客户服务报告 · 张三',
    '> 公司：XX科技',
    '> 联系：13800138000',
    '> 统计周期：2026-12-01 至 2026-12-03（中国时间，按工单创建日期）',
    '',
    '**工单概况**：共 5 个',
    '> 待分配 1 · 已分配 0 · 处理中 0 · 已解决 1 · 已关闭 1 · 已升级 1 · 已取消 1',
    '> 🚨 紧急 1 · ⬆️ 高 1 · ➡️ 普通 3 · ⬇️ 低 0',
    '',
    '**处理时效**',
    '> 首次分配：平均 36 分钟，P90 1 小时（3 个工单）',
    '> 解决用时：平均 4 小时 30 分钟，P90 6 小时（2 个工单）',
    '',
    '**跟进情况**',
    '> 超时工单：2 个',
    '> 催促提醒：5 次',
    '> 升级处理：1 次',
    '',
    '**涉及产品**',
    '> 云服务器管理系统：3 个工单',
    '> 斗战神V2.0：1 个工单',
  ].join('\n');

  describe('Query.customerReport', () => {
    it('reports the tickets created in the period, China days, with the figures worked out by hand', async () => {
      const { customerReport } = dataOf(await t.gql(CustomerReportDocument, { customerId: zhangsan, ...PERIOD }, token));
      expect(customerReport).toEqual({
        customer: { id: zhangsan, name: '张三' },
        period: { from: '2026-12-01', to: '2026-12-03', start: '2026-11-30T16:00:00.000Z', end: '2026-12-03T16:00:00.000Z', days: 3 },
        totalTickets: 5, // T1, T2, T3, T4, T5: not T0 (11-30 23:30 in China) nor T6 (12-04 00:00)
        byStatus: [
          { status: 'PENDING', count: 1 }, { status: 'ASSIGNED', count: 0 }, { status: 'PROCESSING', count: 0 }, { status: 'RESOLVED', count: 1 },
          { status: 'CLOSED', count: 1 }, { status: 'ESCALATED', count: 1 }, { status: 'CANCELLED', count: 1 },
        ],
        byPriority: [{ priority: 'URGENT', count: 1 }, { priority: 'HIGH', count: 1 }, { priority: 'NORMAL', count: 3 }, { priority: 'LOW', count: 0 }],
        // T1 1 h, T2 30 min (its first assignee, not the reassignment), T3 20 min: mean 36 min 40 s; P90 = the 3rd of 3.
        timeToAssign: { tickets: 3, meanSeconds: 2200, p90Seconds: HOUR },
        // T1 3 h (its first resolution, not the one after the reopen), T2 6 h: mean 4½ h; P90 = the 2nd of 2.
        timeToResolve: { tickets: 2, meanSeconds: 4.5 * HOUR, p90Seconds: 6 * HOUR },
        overdueTickets: 2, // T2, T4
        remindersSent: 5, // T2 ×2, T4 ×3
        escalations: 1, // T4's third reminder
        products: [{ product: '云服务器管理系统', count: 3 }, { product: '斗战神V2.0', count: 1 }],
        markdown: MARKDOWN,
      });
    });

    it('takes the day before on its own, and the last 30 days up to today in China by default', async () => {
      const before = dataOf(await t.gql(CustomerReportDocument, { customerId: zhangsan, from: '2026-11-30', to: '2026-11-30' }, token)).customerReport;
      expect(before).toMatchObject({ totalTickets: 1, timeToAssign: { tickets: 1, meanSeconds: 600 }, timeToResolve: { tickets: 1, meanSeconds: 10 * HOUR }, products: [{ product: '企业邮箱', count: 1 }] });
      const recent = dataOf(await t.gql(CustomerReportDocument, { customerId: zhangsan }, token)).customerReport;
      expect(recent.period).toEqual({ from: '2026-11-05', to: '2026-12-04', start: '2026-11-04T16:00:00.000Z', end: '2026-12-04T16:00:00.000Z', days: 30 });
      expect(recent).toMatchObject({ totalTickets: 7, overdueTickets: 3, remindersSent: 6 });
    });

    it('refuses bad periods and unknown customers with coded bilingual errors', async () => {
      const refusal = async (variables: { customerId: string; from?: string; to?: string }) => errorOf(await t.gql(CustomerReportDocument, variables, token));
      const bad = await refusal({ customerId: zhangsan, from: '2026-12-32' });
      expect(bad.code).toBe('BAD_USER_INPUT');
      expect(bad.extensions).toMatchObject({ field: 'from', messageZh: '日期格式不正确：from「2026-12-32」，应为 2026-12-01 这样的日期（中国时间）' });
      expect(bad.message).toBe('日期格式不正确：from「2026-12-32」，应为 2026-12-01 这样的日期（中国时间） (Invalid date from "2026-12-32": expected a date such as 2026-12-01 (China time))');
      expect((await refusal({ customerId: zhangsan, from: '2026-12-03', to: '2026-12-01' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: '开始日期 2026-12-03 晚于结束日期 2026-12-01' });
      expect((await refusal({ customerId: zhangsan, from: '2025-12-01', to: '2026-12-03' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: '统计周期最长 366 天，2025-12-01 至 2026-12-03 共 368 天' });
      expect((await refusal({ customerId: '999999' })).extensions).toMatchObject({ code: 'NOT_FOUND', messageZh: '客户 999999 不存在' });
      expect((await refusal({ customerId: 'abc' })).code).toBe('BAD_USER_INPUT');
      const anonymous = await t.gql(CustomerReportDocument, { customerId: zhangsan });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('GET /api/customers/{id}/report', () => {
    const path = () => `/api/customers/${zhangsan}/report?from=2026-12-01&to=2026-12-03`;

    it('answers the same report as JSON, snake_case, instants in China time', async () => {
      const { status, body } = await getJson(path());
      expect(status).toBe(200);
      expect(body).toEqual({
        customer: { id: Number(zhangsan), name: '张三', phone: '13800138000', company: 'XX科技' },
        period: { from: '2026-12-01', to: '2026-12-03', start: '2026-12-01T00:00:00+08:00', end: '2026-12-04T00:00:00+08:00', days: 3 },
        total_tickets: 5,
        by_status: { pending: 1, assigned: 0, processing: 0, resolved: 1, closed: 1, escalated: 1, cancelled: 1 },
        by_priority: { urgent: 1, high: 1, normal: 3, low: 0 },
        time_to_assign: { tickets: 3, mean_seconds: 2200, p90_seconds: 3600 },
        time_to_resolve: { tickets: 2, mean_seconds: 16200, p90_seconds: 21600 },
        overdue_tickets: 2,
        reminders_sent: 5,
        escalations: 1,
        products: [{ product: '云服务器管理系统', tickets: 3 }, { product: '斗战神V2.0', tickets: 1 }],
      });
      expect(Object.keys(body.by_status)).toEqual(['pending', 'assigned', 'processing', 'resolved', 'closed', 'escalated', 'cancelled']);
      expect(Object.keys(body.by_priority)).toEqual(['urgent', 'high', 'normal', 'low']);
    });

    it('answers WeCom markdown with ?format=markdown or Accept: text/markdown', async () => {
      const asked = await get(`${path()}&format=markdown`);
      expect(asked).toEqual({ status: 200, type: 'text/markdown; charset=utf-8', text: MARKDOWN });
      const negotiated = await get(path(), { accept: 'text/markdown' });
      expect(negotiated).toEqual({ status: 200, type: 'text/markdown; charset=utf-8', text: MARKDOWN });
      expect((await get(path(), { accept: 'application/json, text/markdown;q=0.5' })).type).toMatch(/^application\/json/);
      expect((await get(`${path()}&format=json`, { accept: 'text/markdown' })).type).toMatch(/^application\/json/);
    });

    it('answers missing tokens, bad dates and periods, unknown customers and formats with coded JSON', async () => {
      const refused = async (query: string, auth: string | null = token) => {
        const { status, body } = await getJson(`/api/customers/${zhangsan}/report${query}`, auth);
        return { status, code: body.errors[0].extensions.code, zh: body.errors[0].extensions.messageZh };
      };
      expect(await refused('', null)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await refused('', 'forged')).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await refused('?from=2026-2-1')).toEqual({ status: 400, code: 'BAD_USER_INPUT', zh: '日期格式不正确：from「2026-2-1」，应为 2026-12-01 这样的日期（中国时间）' });
      expect(await refused('?to=2026-02-29')).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(await refused('?from=2026-12-01&from=2026-12-02')).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(await refused('?from=2026-12-04&to=2026-12-03')).toEqual({ status: 400, code: 'BAD_USER_INPUT', zh: '开始日期 2026-12-04 晚于结束日期 2026-12-03' });
      expect((await getJson(`/api/customers/${zhangsan}/report?from=2025-01-01&to=2026-01-01`)).status).toBe(200); // 366 days
      expect(await refused('?from=2025-01-01&to=2026-01-02')).toEqual({ status: 400, code: 'BAD_USER_INPUT', zh: '统计周期最长 366 天，2025-01-01 至 2026-01-02 共 367 天' });
      expect(await refused('?format=pdf')).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      const unknown = await getJson('/api/customers/999999/report');
      expect([unknown.status, unknown.body.errors[0].extensions.code]).toEqual([404, 'NOT_FOUND']);
      expect((await getJson('/api/customers/abc/report')).status).toBe(400);
    });
  });

  describe('Query.serviceStats', () => {
    it('gives the team figures: open tickets now, first resolutions and reminders in the period, overall, per assignee and unassigned', async () => {
      const { serviceStats } = dataOf(await t.gql(ServiceStatsDocument, PERIOD, token));
      expect(serviceStats.period).toEqual({ from: '2026-12-01', to: '2026-12-03', start: '2026-11-30T16:00:00.000Z', end: '2026-12-03T16:00:00.000Z', days: 3 });
      // Open now: T5, T6 pending, T11 assigned, T10 processing, T4 escalated; overdue: T4, T6, T10.
      // First resolutions in the period: T1 3 h (lisi), T0 10 h (wangwu: resolved in the period, created before it),
      // T2 6 h late (lisi: the assignee at resolution), T7 2 h (wangwu), T8 45 min (nobody). Not T9 (first resolved 11-29).
      // Sorted 45 min, 2 h, 3 h, 6 h, 10 h: mean 4 h 21 min = 15,660 s; P90 = the 5th of 5.
      // Reminders in the period: T2 ×2 (lisi), T4 ×3 (nobody); not T6's on 12-04.
      expect(serviceStats.overall).toEqual({
        openTickets: 5,
        openByStatus: [{ status: 'PENDING', count: 2 }, { status: 'ASSIGNED', count: 1 }, { status: 'PROCESSING', count: 1 }, { status: 'ESCALATED', count: 1 }],
        overdueNow: 3,
        timeToResolve: { tickets: 5, meanSeconds: 15660, p90Seconds: 10 * HOUR },
        resolvedLate: 1,
        slaBreachRate: 0.2,
        remindersSent: 5,
      });
      expect(serviceStats.byAssignee).toEqual([
        {
          userId: 'lisi',
          name: '李四',
          openTickets: 1,
          openByStatus: [{ status: 'PENDING', count: 0 }, { status: 'ASSIGNED', count: 0 }, { status: 'PROCESSING', count: 1 }, { status: 'ESCALATED', count: 0 }],
          overdueNow: 1,
          timeToResolve: { tickets: 2, meanSeconds: 4.5 * HOUR, p90Seconds: 6 * HOUR },
          resolvedLate: 1,
          slaBreachRate: 0.5,
          remindersSent: 2,
        },
        {
          userId: 'wangwu',
          name: '王五',
          openTickets: 1,
          openByStatus: [{ status: 'PENDING', count: 0 }, { status: 'ASSIGNED', count: 1 }, { status: 'PROCESSING', count: 0 }, { status: 'ESCALATED', count: 0 }],
          overdueNow: 0,
          timeToResolve: { tickets: 2, meanSeconds: 6 * HOUR, p90Seconds: 10 * HOUR },
          resolvedLate: 0,
          slaBreachRate: 0,
          remindersSent: 0,
        },
      ]);
      expect(serviceStats.unassigned).toEqual({
        openTickets: 3,
        openByStatus: [{ status: 'PENDING', count: 2 }, { status: 'ASSIGNED', count: 0 }, { status: 'PROCESSING', count: 0 }, { status: 'ESCALATED', count: 1 }],
        overdueNow: 2,
        timeToResolve: { tickets: 1, meanSeconds: 2700, p90Seconds: 2700 },
        resolvedLate: 0,
        slaBreachRate: 0,
        remindersSent: 3,
      });
    });

    it('keeps the open tickets a snapshot of now whatever the period, and has no rate without resolutions', async () => {
      const { serviceStats } = dataOf(await t.gql(ServiceStatsDocument, { from: '2026-11-01', to: '2026-11-01' }, token));
      expect(serviceStats.overall).toMatchObject({ openTickets: 5, overdueNow: 3, timeToResolve: { tickets: 0, meanSeconds: null, p90Seconds: null }, slaBreachRate: null, remindersSent: 0 });
      expect(serviceStats.byAssignee.map((a) => [a.userId, a.openTickets, a.timeToResolve.tickets])).toEqual([['lisi', 1, 0], ['wangwu', 1, 0]]);
      // The whole default period (the last 30 days) holds T9's first resolution too, and T6's reminder.
      const month = dataOf(await t.gql(ServiceStatsDocument, {}, token)).serviceStats;
      expect(month.period).toMatchObject({ from: '2026-11-05', to: '2026-12-04' });
      expect(month.overall).toMatchObject({ timeToResolve: { tickets: 6 }, remindersSent: 6 });
    });

    it('refuses bad periods with coded bilingual errors', async () => {
      const refused = errorOf(await t.gql(ServiceStatsDocument, { from: '2026-12-05', to: '2026-12-04' }, token));
      expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from', messageZh: '开始日期 2026-12-05 晚于结束日期 2026-12-04', messageEn: 'The period starts (2026-12-05) after it ends (2026-12-04)' });
      expect(errorOf(await t.gql(ServiceStatsDocument, { to: 'tomorrow' }, token)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
      expect((await t.gql(ServiceStatsDocument, {})).status).toBe(401);
    });
  });
});
