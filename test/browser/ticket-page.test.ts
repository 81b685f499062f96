import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatChinaTime } from '../../src/chat/china-time.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { TICKET_PAGE_CSP } from '../../src/http/ticket-page-routes.js';
import {
  AssignTicketDocument,
  CreateTicketDocument,
  type CreateTicketInput,
  NotificationsDocument,
  RunRemindersDocument,
  TicketDocument,
  UpdateTicketStatusDocument,
  UpsertStaffDocument,
} from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { chromiumMissing, launchChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skipped = chromiumMissing();

/** WeCom's in-app browser on an Android phone. */
const WECOM_PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.188 Mobile Safari/537.36 wxwork/4.1.30 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light',
  locale: 'zh-CN',
  // Far from China: the page must show China time whatever the phone's zone.
  timezoneId: 'America/Los_Angeles',
};

const china = (iso: string) => formatChinaTime(new Date(iso));

describe.skipIf(skipped)('the ticket page behind a card\'s 查看详情 link, in Chromium on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let agent: string;
  let ticketId: string;
  let olderIds: string[];
  let cardLink: URL;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];
  const cspViolations: string[] = [];

  const create = async (description: string, input: Partial<CreateTicketInput> = {}) =>
    dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', company: 'XX科技有限公司', description, ...input } }, agent)).createTicket;
  const ticket = async (id: string) => dataOf(await t.gql(TicketDocument, { id }, agent)).ticket;
  /** The same path and query on the test server (APP_DOMAIN is the default http://localhost:4000). */
  const onServer = (link: string | URL) => {
    const url = new URL(link);
    return `${t.app.http.url}${url.pathname}${url.search}`;
  };

  beforeAll(async () => {
    t = await startTestApp();
    agent = await t.token('wangwu', StaffRole.AGENT, '王五');
    const admin = await t.token('boss', StaffRole.ADMIN, '赵主管');
    dataOf(await t.gql(UpsertStaffDocument, { input: { userId: 'lisi', name: '李四' } }, admin));
    olderIds = [(await create('登录失败报错500')).id, (await create('无法导出数据')).id];
    ticketId = (await create('服务器无法连接，紧急\n重启路由器后仍然无法访问 <管理后台>')).id;
    dataOf(await t.gql(AssignTicketDocument, { id: ticketId, assignee: '李四' }, agent));
    dataOf(await t.gql(UpdateTicketStatusDocument, { id: ticketId, status: 'PROCESSING', note: '已联系客户，正在排查网络配置' }, agent));
    // Overdue by two hours (the API only takes future deadlines), then the sweep reminds.
    await t.db.query(`update tickets set deadline = now() - interval '2 hours' where id = $1`, [ticketId]);
    expect(dataOf(await t.gql(RunRemindersDocument, {}, admin)).runReminders.remindersSent).toBe(1);

    // The link the group got, from the card in the outbox.
    const card = await vi.waitFor(async () => {
      const { notifications } = dataOf(await t.gql(NotificationsDocument, { filter: { ticketId, kind: ['NEW_TICKET'] } }, admin));
      const text = notifications.edges[0]?.node.text;
      if (!text) throw new Error('the card is not in the outbox yet');
      return text;
    }, { timeout: 10_000 });
    cardLink = new URL(/\n📊 查看详情：\[安全链接\]\((\S+?)\)\n/.exec(card)![1]!);
    browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(pageErrors.splice(0)).toEqual([]);
    expect(cspViolations.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function phonePage(): Promise<{ page: Page; requests: { url: string; referer: string | undefined }[] }> {
    const context = await browser.newContext(WECOM_PHONE);
    contexts.push(context);
    const page = await context.newPage();
    const requests: { url: string; referer: string | undefined }[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('request', (request) => requests.push({ url: request.url(), referer: request.headers()['referer'] }));
    return { page, requests };
  }

  const testIds = (page: Page, id: string) => page.getByTestId(id).allInnerTexts();
  const text = (page: Page, id: string) => page.getByTestId(id).innerText();

  function expectGuardedHeaders(response: Response | null, status: number): void {
    expect(response?.status()).toBe(status);
    const headers = response!.headers();
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('private, no-store');
    expect(headers['content-security-policy']).toBe(TICKET_PAGE_CSP);
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-robots-tag']).toContain('noindex');
  }

  it('the card carries a signed link under APP_DOMAIN that expires in 72 hours', () => {
    expect(cardLink.origin).toBe('http://localhost:4000');
    expect(cardLink.pathname).toBe(`/t/${ticketId}`);
    expect([...cardLink.searchParams.keys()]).toEqual(['exp', 'sig']);
    const expiresIn = Number(cardLink.searchParams.get('exp')) * 1000 - Date.now();
    expect(expiresIn).toBeGreaterThan(71.9 * 3_600_000);
    expect(expiresIn).toBeLessThanOrEqual(72 * 3_600_000 + 1000);
  });

  it('opens the read-only page: ticket, customer, problem, timeline and reminders in China time, the customer\'s other tickets', async () => {
    const expected = await ticket(ticketId);
    const { page, requests } = await phonePage();
    const response = await page.goto(onServer(cardLink));
    expectGuardedHeaders(response, 200);
    expect(await page.title()).toBe(`工单 #${ticketId} ${expected.title}`);

    // The ticket.
    expect(await text(page, 'ticket-header')).toContain(`#${ticketId}`);
    expect(await text(page, 'title')).toBe(expected.title);
    expect(await text(page, 'status')).toBe('处理中');
    expect(await text(page, 'priority')).toBe('🚨 紧急');
    expect(await page.getByTestId('progress').locator('progress').getAttribute('value')).toBe('80');
    expect(await text(page, 'progress')).toContain('80%');
    expect(await text(page, 'assignee')).toBe('李四');
    expect(await text(page, 'deadline')).toMatch(new RegExp(`^${china(expected.deadline)} ⏰ 已超时 (1|2) 小时$`));
    expect(await text(page, 'description')).toContain('服务器无法连接，紧急\n重启路由器后仍然无法访问 <管理后台>');

    // The customer.
    expect(await text(page, 'customer-name')).toBe('张三');
    expect(await text(page, 'customer-phone')).toBe('13800138000');
    expect(await page.getByTestId('customer-phone').locator('a').getAttribute('href')).toBe('tel:13800138000');
    expect(await text(page, 'customer-company')).toBe('XX科技有限公司');

    // Every event, oldest first, at its China time, with who did it.
    const events = await testIds(page, 'timeline-event');
    expect(events).toHaveLength(expected.events.length);
    expected.events.forEach((event, i) => expect(events[i]).toContain(china(event.createdAt)));
    expect(events[0]).toMatch(/^创建\s+王五\s+\S+ \S+\s+创建工单（待分配）$/);
    expect(events.find((e) => e.includes('分配给 李四'))).toContain('王五');
    const processing = events.find((e) => e.includes('状态：已分配 → 处理中'));
    expect(processing).toContain('已联系客户，正在排查网络配置');
    expect(processing).toContain('王五');
    expect(events.filter((e) => e.includes('已联系客户，正在排查网络配置'))).toHaveLength(1); // status and progress moved together: one note
    expect(events.some((e) => e.includes('进度：0% → 80%'))).toBe(true);
    expect(events.find((e) => e.includes('第 1 次超时催促'))).toContain('系统');

    // The reminder.
    const reminders = await testIds(page, 'reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toContain('第 1 次');
    expect(reminders[0]).toContain(china(expected.reminders[0]!.sentAt));
    expect(reminders[0]).toContain('提醒：@李四 @所有人');
    expect(reminders[0]).toMatch(/待发送|已发送 · 开发通道/);

    // The customer's other tickets, newest first.
    const recent = await testIds(page, 'recent-ticket');
    const older = await Promise.all([...olderIds].reverse().map(ticket));
    expect(recent).toHaveLength(2);
    older.forEach((other, i) => {
      expect(recent[i]).toContain(`#${other.id} ${other.title}`);
      expect(recent[i]).toContain('待分配');
      expect(recent[i]).toContain(china(other.createdAt));
    });
    expect(await text(page, 'ticket-header')).not.toContain('undefined');

    // Its own stylesheet, and nothing else; no Referer carries the link anywhere.
    const styled = await page.evaluate(() => {
      const g = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string }; document: { body: unknown; documentElement: { scrollWidth: number; clientWidth: number } } };
      return { background: g.getComputedStyle(g.document.body).backgroundColor, overflows: g.document.documentElement.scrollWidth > g.document.documentElement.clientWidth };
    });
    expect(styled).toEqual({ background: 'rgb(242, 243, 245)', overflows: false });
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([`/t/${ticketId}`, '/t/assets/ticket.css']);
    expect(requests.map((r) => r.referer ?? '')).toEqual(['', '']);
    await page.screenshot({ path: '/tmp/ticket-page.png', fullPage: true });
    await page.screenshot({ path: '/tmp/ticket-page-top.png' });

    // A link to another of the customer's tickets is signed too, and expires with this one.
    const [newest] = older;
    const next = page.waitForResponse((r) => r.url().includes(`/t/${newest!.id}?`));
    await page.getByTestId('recent-ticket').first().getByRole('link').click();
    expectGuardedHeaders(await next, 200);
    expect(await text(page, 'title')).toBe(newest!.title);
    expect(new URL(page.url()).searchParams.get('exp')).toBe(cardLink.searchParams.get('exp'));
  });

  it('refuses a forged signature, another ticket\'s id with this signature, a garbled link and a missing one (403)', async () => {
    const { page } = await phonePage();
    const sig = cardLink.searchParams.get('sig')!;
    const forged = new URL(cardLink);
    forged.searchParams.set('sig', `${sig.slice(0, 10)}${sig[10] === 'x' ? 'y' : 'x'}${sig.slice(11)}`);
    const otherId = new URL(cardLink);
    otherId.pathname = `/t/${olderIds[0]}`;
    const longer = new URL(cardLink);
    longer.searchParams.set('exp', String(Number(cardLink.searchParams.get('exp')) + 86_400));
    const cut = new URL(cardLink);
    cut.searchParams.set('sig', sig.slice(0, 30));
    for (const link of [forged, otherId, longer, cut, new URL(`${cardLink.origin}${cardLink.pathname}`)]) {
      expectGuardedHeaders(await page.goto(onServer(link)), 403);
      expect(await text(page, 'refusal-message'), link.href).toBe('链接无效：签名不正确，请从工单卡片重新打开');
      expect(await page.content()).not.toContain('服务器无法连接');
      expect(await page.content()).not.toContain('张三');
    }
    await page.screenshot({ path: '/tmp/ticket-page-forged.png' });
  });

  it('refuses an expired link with how long links last and what to send instead (410)', async () => {
    const { page } = await phonePage();
    const expired = t.app.detailLinks!.urlFor(Number(ticketId), new Date(Date.now() - 60_000));
    expectGuardedHeaders(await page.goto(onServer(expired)), 410);
    expect(await text(page, 'refusal-message')).toBe(`链接已过期（有效期 72 小时），请在群里发送 /查询工单 #${ticketId} 获取最新信息`);
    expect(await page.content()).not.toContain('服务器无法连接');
    await page.screenshot({ path: '/tmp/ticket-page-expired.png' });
  });

  it('says a ticket that is gone is gone (404), as a page', async () => {
    const { page } = await phonePage();
    expectGuardedHeaders(await page.goto(onServer(t.app.detailLinks!.urlFor(999_999))), 404);
    expect(await text(page, 'refusal-message')).toContain('工单 #999999 不存在');
  });
});
