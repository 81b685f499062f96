import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import {
  AssignTicketDocument,
  CreateTicketDocument,
  type CreateTicketInput,
  ServiceStatsDocument,
  TicketStatsDocument,
  UpdateTicketStatusDocument,
  UpsertStaffDocument,
} from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { chromiumMissing, launchChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skipped = chromiumMissing();

describe.skipIf(skipped)('the live dashboard in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let agent: string;
  let lateTicketId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];

  const create = async (description: string, input: Partial<CreateTicketInput> = {}) =>
    dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', description, ...input } }, agent)).createTicket;

  beforeAll(async () => {
    t = await startTestApp();
    agent = await t.token('wangwu', StaffRole.AGENT, '王五');
    dataOf(await t.gql(UpsertStaffDocument, { input: { userId: 'lisi', name: '李四' } }, await t.token('boss', StaffRole.ADMIN)));
    lateTicketId = (await create('打印机卡纸')).id;
    // The API only accepts future deadlines; this one passed before the page was opened.
    await t.db.query(`update tickets set deadline = now() - interval '2 hours' where id = $1`, [lateTicketId]);
    await create('发票开错了');
    browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newPage(storedToken?: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    if (storedToken) await context.addInitScript({ content: `localStorage.setItem('ticket-dashboard.token', ${JSON.stringify(storedToken)})` });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    return page;
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(`${t.app.http.url}/dashboard`);
    await page.getByTestId('token-input').fill(token);
    await page.getByRole('button', { name: '连接' }).click();
  }

  const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });
  const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
  const connection = (page: Page) => page.getByTestId('connection').getAttribute('data-state');
  const feedTexts = (page: Page) => page.getByTestId('feed-item').allTextContents();
  const overdueIds = (page: Page) => page.getByTestId('overdue-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-ticket-id')));

  /** Every number on the page equals what the server counts now. */
  async function expectCountsMatchServer(page: Page): Promise<void> {
    const { ticketStats } = dataOf(await t.gql(TicketStatsDocument, {}, agent));
    const expected: Record<string, string> = { 'total-count': `${ticketStats.total}`, 'open-count': `${ticketStats.open}`, 'overdue-count': `${ticketStats.overdue}` };
    for (const { status, count } of ticketStats.byStatus) expected[`status-count-${status}`] = `${count}`;
    for (const { priority, count } of ticketStats.byPriority) expected[`priority-count-${priority}`] = `${count}`;
    const shown = async () => Object.fromEntries(await Promise.all(Object.keys(expected).map(async (id) => [id, await text(page, id)])));
    await eventually(shown).toEqual(expected);
  }

  it('shows the counts and overdue tickets, then follows every change live without reloading', async () => {
    const page = await newPage();
    await signIn(page, agent);
    await eventually(() => connection(page)).toBe('connected');
    expect(await text(page, 'connection')).toBe('已连接');
    expect(await text(page, 'total-count')).toBe('2');
    expect(await text(page, 'status-count-PENDING')).toBe('2');
    expect(await text(page, 'priority-count-NORMAL')).toBe('2');
    expect(await text(page, 'overdue-count')).toBe('1');
    expect(await overdueIds(page)).toEqual([lateTicketId]);
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));

    const urgent = await create('服务器无法连接，紧急');
    expect(urgent.priority).toBe('URGENT');
    await eventually(() => feedTexts(page)).toContainEqual(expect.stringContaining(`#${urgent.id} 服务器无法连接，紧急 新建工单 🚨 紧急 (王五)`));
    expect(await text(page, 'status-count-PENDING')).toBe('3');
    expect(await text(page, 'priority-count-URGENT')).toBe('1');
    expect(await text(page, 'open-count')).toBe('3');

    dataOf(await t.gql(UpdateTicketStatusDocument, { id: urgent.id, status: 'PROCESSING' }, agent));
    await eventually(() => feedTexts(page)).toContainEqual(expect.stringContaining(`#${urgent.id} 服务器无法连接，紧急 状态 待分配 → 处理中 (王五)`));
    expect(await text(page, 'status-count-PENDING')).toBe('2');
    expect(await text(page, 'status-count-PROCESSING')).toBe('1');

    const invoice = await create('发票抬头写错');
    dataOf(await t.gql(AssignTicketDocument, { id: invoice.id, assignee: '李四' }, agent));
    await eventually(() => feedTexts(page)).toContainEqual(expect.stringContaining(`#${invoice.id} 发票抬头写错 分配给 李四 (王五)`));
    expect(await text(page, 'status-count-ASSIGNED')).toBe('1');
    expect((await feedTexts(page))[0]).toContain(`#${invoice.id} 发票抬头写错 状态 待分配 → 已分配`); // newest first

    // Overdue by the clock alone: no event arrives when the deadline passes.
    const soonLate = await create('网站打不开', { deadline: new Date(Date.now() + 2_000).toISOString() });
    expect(await overdueIds(page)).toEqual([lateTicketId]);
    await eventually(() => overdueIds(page)).toEqual([lateTicketId, soonLate.id]);
    expect(await text(page, 'overdue-count')).toBe('2');

    dataOf(await t.gql(UpdateTicketStatusDocument, { id: lateTicketId, status: 'RESOLVED' }, agent));
    await eventually(() => overdueIds(page)).toEqual([soonLate.id]);
    expect(await text(page, 'status-count-RESOLVED')).toBe('1');

    await expectCountsMatchServer(page);
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  it('resumes after the server drops it as too slow (1013): the missed change is shown once and counted once', async () => {
    const page = await newPage(agent); // the token stored by an earlier visit: no form
    let refuse = false;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      if (refuse) return void socket.close({ code: 1013, reason: 'Try Again Later' });
      socket.connectToServer();
      sockets.push(socket);
    });
    await page.goto(`${t.app.http.url}/dashboard/`);
    await eventually(() => connection(page)).toBe('connected');
    expect(await page.getByTestId('token-form').isHidden()).toBe(true);
    const seen = await create('收到的最后一条');
    await eventually(() => feedTexts(page)).toContainEqual(expect.stringContaining(`#${seen.id} 收到的最后一条 新建工单`));

    refuse = true; // held offline until the change below is committed
    await sockets.at(-1)!.close({ code: 1013, reason: 'Try Again Later' });
    await eventually(() => connection(page)).toBe('reconnecting');
    expect(await text(page, 'connection')).toBe('已断开，正在重连…');
    const missed = await create('断线期间新建的工单，紧急');
    refuse = false;

    await eventually(() => connection(page)).toBe('connected');
    await eventually(() => feedTexts(page)).toContainEqual(expect.stringContaining(`#${missed.id} 断线期间新建的工单，紧急 新建工单`));
    expect((await feedTexts(page)).filter((item) => item.includes(`#${missed.id} `))).toHaveLength(1);
    await expectCountsMatchServer(page);
  });

  it('shows the team figures of the last 30 days with the snapshot: overall, per assignee and unassigned', async () => {
    // Resolved three hours after it was created, by 李四, before its deadline.
    const backup = await create('数据库备份失败');
    await t.db.query(`update tickets set created_at = created_at - interval '3 hours' where id = $1`, [backup.id]);
    dataOf(await t.gql(AssignTicketDocument, { id: backup.id, assignee: '李四' }, agent));
    dataOf(await t.gql(UpdateTicketStatusDocument, { id: backup.id, status: 'RESOLVED' }, agent));
    const { serviceStats } = dataOf(await t.gql(ServiceStatsDocument, {}, agent));
    const lisi = serviceStats.byAssignee.find((a) => a.userId === 'lisi')!;
    expect(lisi).toMatchObject({ name: '李四', timeToResolve: { tickets: 1 }, resolvedLate: 0 });

    const page = await newPage(agent);
    await page.goto(`${t.app.http.url}/dashboard/`);
    await eventually(() => connection(page)).toBe('connected');
    const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);
    expect(await text(page, 'team-period')).toBe(`（近 30 天：${serviceStats.period.from} 至 ${serviceStats.period.to}）`);
    expect(await text(page, 'team-resolved')).toBe(String(serviceStats.overall.timeToResolve.tickets));
    expect(await text(page, 'team-p90')).toBe('3 小时'); // the slowest of at most ten resolutions
    expect(await text(page, 'team-mean')).toMatch(/^(\d+ 小时( \d+ 分钟)?|\d+ 分钟)$/);
    expect(await text(page, 'team-breach')).toBe(percent(serviceStats.overall.slaBreachRate));
    expect(await text(page, 'team-reminders')).toBe(String(serviceStats.overall.remindersSent));
    expect(await text(page, 'team-satisfaction')).toBe('–'); // nobody rated yet: the status page's tests rate
    const rows = await page.getByTestId('team-row').evaluateAll((items) => items.map((row) => [row.getAttribute('data-user-id'), ...[...row.children].map((cell) => cell.textContent)]));
    expect(rows).toContainEqual(['lisi', '李四', String(lisi.openTickets), String(lisi.overdueNow), '1', '3 小时', '3 小时', '0.0%', String(lisi.remindersSent), '–']);
    const { unassigned } = serviceStats;
    expect(rows.at(-1)).toEqual(['', '未分配', String(unassigned.openTickets), String(unassigned.overdueNow), String(unassigned.timeToResolve.tickets), expect.any(String), expect.any(String), percent(unassigned.slaBreachRate), String(unassigned.remindersSent), '–']);
    expect(rows).toHaveLength(serviceStats.byAssignee.length + 1);
  });

  it('asks for the token again, with a message, when the server rejects it', async () => {
    const page = await newPage();
    await signIn(page, 'not-a-valid-token');
    await eventually(() => page.getByTestId('token-form').isVisible()).toBe(true);
    expect(await text(page, 'token-error')).toBe('令牌无效或已过期，请重新输入');
    expect(await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('ticket-dashboard.token'))).toBeNull();
    expect(await connection(page)).toBe('signedOut');
  });
});
