import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { SUPPORT_PAGE_CSP } from '../../src/http/support-routes.js';
import { CreateTicketDocument, TicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { chromiumMissing, launchChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skipped = chromiumMissing();

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

describe.skipIf(skipped)('the customer portal at /support, in Chromium on a phone, with script turned off', () => {
  let t: TestApp;
  let browser: Browser;
  let staff: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    // One submission per phone, so the second shows the limit.
    t = await startTestApp({ SUPPORT_PHONE_LIMIT: '1', SUPPORT_IP_LIMIT: '100' });
    staff = await t.token('lisi', StaffRole.AGENT, '李四');
    dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '老客户', customerPhone: '13600136000', product: '财务软件', description: '旧问题' } }, staff));
    browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(problems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page that records every console error, page error and failed request as a problem. */
  async function phonePage(): Promise<Page> {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      // Chromium reports a refusal's own status (400, 429) for the page itself; that answer is expected (and checked).
      const refusal = /^Failed to load resource: the server responded with a status of (400|429)\b/.test(message.text()) && new URL(message.location().url).pathname === '/support';
      if (!refusal) problems.push(message.text());
    });
    page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
    return page;
  }

  async function fillForm(page: Page, fields: { name: string; phone: string; problem: string; product?: string }): Promise<void> {
    await page.getByLabel('姓名').fill(fields.name);
    await page.getByLabel('手机号').fill(fields.phone);
    if (fields.product) await page.getByLabel('产品（可选）').fill(fields.product);
    await page.getByLabel('问题描述').fill(fields.problem);
  }

  it('opens the form with strict headers, submits it and shows the ticket number', async () => {
    const page = await phonePage();
    const response = await page.goto(`${t.app.http.url}/support`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toBe(SUPPORT_PAGE_CSP);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    await expect(page.title()).resolves.toBe('提交售后问题');
    // The products tickets named before are offered.
    expect(await page.locator('#products option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toContain('财务软件');
    // Styled by its own stylesheet, nothing overflowing a phone's width.
    expect(await page.locator('button[type=submit]').evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The honeypot is out of sight.
    expect(await page.locator('input[name=website]').boundingBox().then((box) => box!.x + box!.width)).toBeLessThan(0);

    await fillForm(page, { name: '张三', phone: '138 0013 8000', product: '财务软件', problem: '报表导出后中文乱码' });
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '提交' }).click()]);
    expect(answer.status()).toBe(201);
    expect(answer.headers()['cache-control']).toBe('no-store');
    await expect(page.getByTestId('submitted').locator('h1').innerText()).resolves.toBe('工单已提交');
    const number = (await page.getByTestId('ticket-number').innerText()).replace('#', '');
    const ticket = dataOf(await t.gql(TicketDocument, { id: number }, staff)).ticket;
    expect(ticket).toMatchObject({ description: '报表导出后中文乱码', product: '财务软件', customer: { phone: '13800138000', name: '张三' } });
    // The private status link it gives opens the ticket's status page.
    const link = await page.getByTestId('status-link').getAttribute('href');
    await page.goto(link!.replace(/^https?:\/\/[^/]+/, t.app.http.url));
    await expect(page.getByTestId('status').innerText()).resolves.toBe('已受理');
  });

  it('refuses a filled honeypot with a clear message, the values kept', async () => {
    const page = await phonePage();
    await page.goto(`${t.app.http.url}/support`);
    await fillForm(page, { name: '机器人', phone: '13800138111', problem: '便宜的药' });
    await page.locator('input[name=website]').fill('http://spam.example', { force: true });
    await page.getByRole('button', { name: '提交' }).click();
    const alert = page.getByRole('alert');
    await expect(alert.innerText()).resolves.toContain('提交未被受理');
    await expect(alert.getAttribute('data-code')).resolves.toBe('SUBMISSION_REFUSED');
    await expect(page.getByLabel('问题描述').inputValue()).resolves.toBe('便宜的药');
    await expect(page.locator('input[name=website]').inputValue()).resolves.toBe('');
  });

  it('shows a rate limit on the page, and works in English', async () => {
    const page = await phonePage();
    await page.goto(`${t.app.http.url}/support`);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.title()).resolves.toBe('Report a problem');
    await page.getByLabel('Name').fill('Li Si');
    await page.getByLabel('Mobile number').fill('13900139000');
    await page.getByLabel('Problem').fill('The VPN drops every hour');
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByTestId('ticket-number').innerText()).resolves.toMatch(/^#\d+$/);

    await page.getByRole('link', { name: 'Report another problem' }).click();
    await page.getByLabel('Name').fill('Li Si');
    await page.getByLabel('Mobile number').fill('13900139000');
    await page.getByLabel('Problem').fill('The printer jams');
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Submit' }).click()]);
    expect(answer.status()).toBe(429);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('Too many tickets for this phone number');
    await expect(page.getByLabel('Problem').inputValue()).resolves.toBe('The printer jams');
  });
});
