import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { CreateTicketDocument, UpsertStaffDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { chromiumMissing, launchChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skipped = chromiumMissing();

describe.skipIf(skipped)('the GraphQL IDE in Chromium, offline', () => {
  let t: TestApp;
  let browser: Browser;
  let agent: string;
  const offline: string[] = [];
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    dataOf(await t.gql(UpsertStaffDocument, { input: { userId: 'wangwu', name: '王五' } }, await t.token('boss', StaffRole.ADMIN)));
    agent = await t.token('wangwu', StaffRole.AGENT, '王五');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page that can reach the service and nothing else, as on an intranet without internet. */
  async function openIde(): Promise<Page> {
    const context = await browser.newContext();
    const origin = new URL(t.app.http.url).origin;
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      offline.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${t.app.http.url}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor();
    return page;
  }

  const result = (page: Page) => page.locator('.result-window');
  /** Replaces the operation in the editor, as someone typing would. */
  async function typeQuery(page: Page, text: string): Promise<void> {
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  it('loads from the service alone, takes a token and runs a query', async () => {
    const page = await openIde();
    await page.click('.graphiql-execute-button');
    await expect.poll(() => result(page).innerText()).toContain('UNAUTHENTICATED');

    await page.fill('#token', `Bearer ${agent}`);
    await page.click('#token-bar button');
    await expect.poll(() => page.locator('#token-state').innerText()).toContain('token set');
    await page.click('.graphiql-execute-button');
    await expect.poll(() => result(page).innerText()).toContain('"userId": "wangwu"');
    // With the token the schema loads too: the Docs pane browses it.
    await page.click('[aria-label="Show Documentation Explorer"]');
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText()).toContain('Mutation');
    expect(await result(page).innerText()).toContain('"name": "王五"');

    expect(offline).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('runs a subscription over graphql-ws with the same token', async () => {
    const page = await openIde();
    await page.fill('#token', agent);
    await page.click('#token-bar button');
    await typeQuery(page, 'subscription NewTickets { ticketUpdated(filter: { types: [CREATED] }) { event { type } ticket { id description } } }');
    await page.click('.graphiql-execute-button');
    // The subscription is live once the server holds it; then a ticket created through the API shows up.
    await expect.poll(() => t.app.hub.subscriberCount).toBe(1);
    const created = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', description: '服务器无法连接' } }, agent)).createTicket;
    await expect.poll(() => result(page).innerText()).toContain(`"id": "${created.id}"`);
    expect(await result(page).innerText()).toContain('服务器无法连接');
    expect(offline).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

describe('the GraphQL IDE setting', () => {
  it('is not served in production unless configured', async () => {
    const production = await startTestApp({ NODE_ENV: 'production' });
    try {
      const response = await fetch(`${production.app.http.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text()).not.toContain('<html');
    } finally {
      await production.close();
    }
    const enabled = await startTestApp({ NODE_ENV: 'production', GRAPHQL_IDE: 'on' });
    try {
      const response = await fetch(`${enabled.app.http.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      await enabled.close();
    }
  });
});
