import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { STATUS_PAGE_CSP } from '../../src/http/status-page-routes.js';
import { AddTicketCommentDocument, RevokeStatusLinkDocument, SubmitTicketDocument, TicketEventLogDocument, TicketStatusLinkDocument, UpdateTicketStatusDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { chromiumMissing, launchChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skipped = chromiumMissing();

/** The customer's status page in Chromium on a phone, from a ticket they submitted: live status, a follow-up note, a rating, refused links. */
describe.skipIf(skipped)('the customer status page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let staff: string;
  let ticketId: string;
  let link: string;
  const errors: string[] = [];

  const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, t.app.http.url);
  const events = async () => dataOf(await t.gql(TicketEventLogDocument, { id: ticketId }, staff)).ticket.events;
  const openPage = async (url: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN', timezoneId: 'America/Los_Angeles' });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(local(url));
    return page;
  };

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
    staff = await t.token('lisi', StaffRole.AGENT, '李四');
    // Submitted by the customer on the website, who gets the link back.
    const submitted = dataOf(await t.gql(SubmitTicketDocument, { input: { name: '赵六', phone: '13800138006', problem: '打印机无法打印，任务一直卡住' } })).submitTicket;
    ticketId = submitted.id;
    link = submitted.statusLink;
    expect(dataOf(await t.gql(TicketStatusLinkDocument, { id: ticketId }, staff)).ticket.statusLink).toBe(link);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('follows the ticket live: staff reply and resolve it through the API, the page shows it without a reload', async () => {
    const page = await openPage(link);
    const response = await page.request.get(local(link));
    expect(response.headers()['content-security-policy']).toBe(STATUS_PAGE_CSP);
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('已受理');
    await t.gql(AddTicketCommentDocument, { id: ticketId, body: '已远程修复打印队列', visibility: 'PUBLIC' }, staff);
    await t.gql(AddTicketCommentDocument, { id: ticketId, body: '内部：驱动版本太旧', visibility: 'INTERNAL' }, staff);
    await t.gql(UpdateTicketStatusDocument, { id: ticketId, status: 'RESOLVED' }, staff);
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 15_000 }).toBe('已解决');
    const live = await page.getByTestId('live').textContent();
    expect(live).toContain('已远程修复打印队列');
    expect(live).not.toContain('驱动版本太旧');
    expect(await page.getByTestId('progress').textContent()).toBe('100%');
    expect(await page.getByTestId('rating-form').isVisible()).toBe(true);
  });

  it('adds a follow-up note and rates the resolution, with plain forms', async () => {
    const page = await openPage(link);
    await page.getByTestId('note-form').locator('textarea').fill('打印恢复了，但扫描还不行');
    await page.getByTestId('note-form').getByRole('button').click();
    await page.waitForURL(/done=note/);
    expect(await page.getByRole('status').textContent()).toContain('已收到您的补充说明');
    expect(await page.getByTestId('live').textContent()).toContain('打印恢复了，但扫描还不行');
    await page.getByTestId('rating-form').getByLabel('4 分').check();
    await page.getByTestId('rating-form').locator('textarea').fill('处理及时');
    await page.getByTestId('rating-form').getByRole('button').click();
    await page.waitForURL(/done=rating/);
    expect(await page.getByRole('status').textContent()).toContain('感谢您的评价');
    expect(await page.getByTestId('live').textContent()).toContain('★★★★☆');
    expect(await page.getByTestId('rating-form').count()).toBe(0);
    expect((await events()).filter((e) => e.type === 'CUSTOMER_NOTE' || e.type === 'RATED').map((e) => [e.type, e.to, e.note])).toEqual([
      ['CUSTOMER_NOTE', null, '打印恢复了，但扫描还不行'],
      ['RATED', '4', '处理及时'],
    ]);
  });

  it('refuses a forged link and a revoked one with a page that says so', async () => {
    const forged = await openPage(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(await forged.locator('main').textContent()).toContain('这个链接不正确');
    await t.gql(RevokeStatusLinkDocument, { id: ticketId }, staff);
    const revoked = await openPage(link);
    expect(await revoked.locator('main').textContent()).toContain('这个链接已失效');
  });

  it('logs no script errors and breaks no content policy', () => {
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of (403|410)/.test(e))).toEqual([]);
  });
});
