import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import type { Conversation } from '../../src/local-wecom/long-connection-server.js';
import { TicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) console.warn(`test/browser skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);

const SCREENSHOT = '/tmp/dev-wecom.png';

describe.skipIf(chromiumMissing)('the local WeCom page (/dev/wecom) in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];
  /** Console errors, which include Content-Security-Policy violations (an inline style or script). */
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ LOCAL_WECOM: 'on', OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    admin = await t.token('admin', StaffRole.ADMIN, '管理员');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    // The smart robot connects to the local WeCom within about a second of the start.
    await vi.waitFor(async () => expect((await localState()).bot.connected).toBe(true), { timeout: 10_000, interval: 100 });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(pageErrors.splice(0)).toEqual([]);
    expect(consoleErrors.splice(0)).toEqual([]);
    expect(dialogs.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const localState = async () => (await (await fetch(`${t.app.http.url}/dev/wecom/api/state`)).json()) as { bot: { connected: boolean }; conversations: Conversation[] };

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    // A refused request (the 503 below) is logged too; that one is asserted where it is provoked.
    page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && consoleErrors.push(message.text()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return page;
  }

  async function openPage(path = '/dev/wecom/'): Promise<Page> {
    const page = await newPage();
    await page.goto(`${t.app.http.url}${path}`);
    await eventually(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
    return page;
  }

  const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });
  const messages = (page: Page, kind?: 'user' | 'reply' | 'push') => page.locator(kind ? `[data-testid="message"][data-kind="${kind}"]` : '[data-testid="message"]');
  const contentOf = (message: Locator) => message.getByTestId('message-content');
  /** The bot's finished reply whose text matches. */
  const finishedReply = (page: Page, text: string | RegExp) => messages(page, 'reply').and(page.locator('[data-finished="true"]')).filter({ hasText: text });

  async function say(page: Page, text: string, how: 'enter' | 'click' = 'enter'): Promise<void> {
    const input = page.getByTestId('message-input');
    await input.fill(text);
    if (how === 'enter') await input.press('Enter');
    else await page.getByTestId('send-button').click();
    await eventually(() => input.inputValue()).toBe('');
  }

  it('creates, assigns and resolves a ticket by chatting with the bot, and shows its replies and cards', async () => {
    const page = await openPage();
    expect(await page.getByTestId('intro').textContent()).toContain('本地企业微信：无需企业微信租户即可试用机器人；仅用于开发');
    expect(await page.getByTestId('connection').textContent()).toBe('工单助手已连接');
    expect(await page.getByTestId('conversation-name').allTextContents()).toEqual(['售后服务群', '运维支持群', '与工单助手单聊']);
    expect(await page.locator('#identity option').allTextContents()).toEqual(['张三', '李四', '王五', '赵主管']);
    expect(await page.getByTestId('identity').inputValue()).toBe('zhangsan');
    await page.getByTestId('conversation').filter({ hasText: '售后服务群' }).click();
    expect(await page.getByTestId('chat-title').textContent()).toBe('售后服务群');
    expect(await page.getByTestId('send-hint').textContent()).toContain('@工单助手');

    // 张三 creates a ticket; in a group the page adds the @bot mention the bot needs to hear it.
    await say(page, '/创建工单 @客户王五 手机:13800138000 问题:服务器无法连接');
    const asked = messages(page, 'user').filter({ hasText: '/创建工单' });
    await eventually(() => contentOf(asked).textContent()).toBe('@工单助手 /创建工单 @客户王五 手机:13800138000 问题:服务器无法连接');
    expect(await asked.getAttribute('class')).toContain('from-me');
    expect(await asked.getByTestId('mention').allTextContents()).toEqual(['@工单助手']);
    const created = finishedReply(page, /创建成功/);
    await eventually(() => created.count()).toBe(1);
    const createdText = (await contentOf(created).textContent()) ?? '';
    expect(createdText).toMatch(/^✅ 工单 #\d+ 创建成功！已推送到群聊。$/);
    const id = /#(\d+)/.exec(createdText)![1]!;
    expect(await created.getByTestId('message-sender').textContent()).toBe('工单助手');

    const card = messages(page, 'push').filter({ hasText: `【新工单提醒】#ID${id}` });
    await eventually(() => card.count()).toBe(1);
    expect(await card.getAttribute('data-style')).toBe('new-ticket');
    expect(await card.locator('.card-title').textContent()).toBe(`🟡 【新工单提醒】#ID${id}（由 张三 创建）`);
    expect(await card.locator('strong').allTextContents()).toEqual(['客户信息', '工单详情', '处理状态']);
    expect(await card.locator('.md-quote').first().innerText()).toBe('客户：王五\n联系：13800138000');
    expect(await card.getByTestId('mention').allTextContents()).toEqual(['@所有人']);
    expect(await card.locator('time').textContent()).toMatch(/^\d{2}:\d{2}$/);

    // …assigns it to 李四 (sent with the button this time).
    await say(page, `/分配工单 #${id} @李四`, 'click');
    const assigned = finishedReply(page, '已分配给 @李四');
    await eventually(() => assigned.count()).toBe(1);
    expect(await contentOf(assigned).textContent()).toBe(`✅ 工单 #${id} 已分配给 @李四`);
    const assignedLine = messages(page, 'push').filter({ hasText: `📌 工单 #${id} 已分配` });
    await eventually(() => assignedLine.count()).toBe(1);
    expect(await assignedLine.getAttribute('data-style')).toBe('status');
    expect(await contentOf(assignedLine).textContent()).toContain('负责人：李四（由 张三 更新）');

    // 李四 resolves it by quote-replying to the card.
    await page.getByTestId('identity').selectOption('lisi');
    await eventually(() => asked.getAttribute('class')).toContain('from-other');
    await card.getByTestId('quote-button').click();
    const preview = page.getByTestId('quote-preview');
    await eventually(() => preview.isVisible()).toBe(true);
    expect(await page.getByTestId('quote-preview-text').textContent()).toMatch(new RegExp(`^引用：工单助手：🟡 【新工单提醒】#ID${id}`));
    await say(page, '已解决，重启了服务');
    expect(await preview.isHidden()).toBe(true);
    const resolvedBy = messages(page, 'user').filter({ hasText: '已解决，重启了服务' });
    await eventually(() => resolvedBy.count()).toBe(1);
    expect(await resolvedBy.getAttribute('data-sender')).toBe('lisi');
    expect(await resolvedBy.getByTestId('message-quote').textContent()).toContain(`【新工单提醒】#ID${id}`);
    const resolved = finishedReply(page, '状态已更新为：已解决');
    await eventually(() => resolved.count()).toBe(1);
    expect(await contentOf(resolved).textContent()).toBe(`✅ 工单 #${id} 状态已更新为：已解决`);
    const resolvedLine = messages(page, 'push').filter({ hasText: `📌 工单 #${id} 已解决` });
    await eventually(() => resolvedLine.count()).toBe(1);
    expect(await contentOf(resolvedLine).innerText()).toBe(`📌 工单 #${id} 已解决 | 进度：100% | 负责人：李四（由 李四 更新）\n备注：重启了服务`);

    expect(dataOf(await t.gql(TicketDocument, { id }, admin)).ticket).toMatchObject({ status: 'RESOLVED', progress: 100, assignedTo: 'lisi' });

    // What people type is text, never markup.
    await say(page, '<img src=x onerror=alert(1)> <b>不是粗体</b>');
    const typed = messages(page, 'user').filter({ hasText: '<img src=x onerror=alert(1)>' });
    await eventually(() => typed.count()).toBe(1);
    expect(await contentOf(typed).textContent()).toBe('@工单助手 <img src=x onerror=alert(1)> <b>不是粗体</b>');
    expect(await page.locator('[data-testid="messages"] img, [data-testid="messages"] b').count()).toBe(0);
    await eventually(() => finishedReply(page, '没看懂这条消息').count()).toBe(1);

    // Oldest first, every reply after the message it answers.
    const order = await messages(page).evaluateAll((items) => items.map((item) => item.querySelector('[data-testid="message-content"]')?.textContent ?? ''));
    const position = (text: string) => order.findIndex((entry) => entry.includes(text));
    expect(position('/创建工单')).toBeGreaterThanOrEqual(0);
    expect(position('/创建工单')).toBeLessThan(position('创建成功'));
    expect(position('已解决，重启了服务')).toBeLessThan(position('状态已更新为：已解决'));
    expect(position('状态已更新为：已解决')).toBeLessThan(position('<img src=x'));

    // What a newcomer sees now (the list follows the newest message), and the whole conversation.
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT });
    await page.setViewportSize({ width: 1360, height: 2400 });
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-full.png') });
    expect(dialogs).toEqual([]);
  });

  it('chats 1:1 with the bot without the @ mention, filling the input from a quick command', async () => {
    const page = await openPage('/dev/wecom'); // redirected to /dev/wecom/, which its relative links need
    expect(new URL(page.url()).pathname).toBe('/dev/wecom/');
    await page.getByTestId('identity').selectOption('wangwu');
    await page.getByTestId('conversation').filter({ hasText: '与工单助手单聊' }).click();
    expect(await page.getByTestId('chat-title').textContent()).toBe('与工单助手单聊');
    await page.getByTestId('quick-command').filter({ hasText: '帮助' }).click();
    expect(await page.getByTestId('message-input').inputValue()).toBe('/帮助');
    await page.getByTestId('message-input').press('Enter');
    const help = finishedReply(page, '工单助手可以做这些');
    await eventually(() => help.count()).toBe(1);
    expect(await contentOf(messages(page, 'user').last()).textContent()).toBe('/帮助');
    expect(await help.locator('strong').allTextContents()).toContain('创建工单');
    // Multi-line markdown keeps its lines.
    expect((await contentOf(help).innerText()).split('\n').length).toBeGreaterThan(10);
    expect((await localState()).conversations.find((conversation) => conversation.id === 'wangwu')?.chattype).toBe('single');

    // Another identity has its own 1:1 chat with the bot.
    await page.getByTestId('identity').selectOption('zhaozhuguan');
    await eventually(() => page.getByTestId('empty').isVisible()).toBe(true);
  });

  it('renders the bot markdown safely, and a stream that is still open as 输入中', async () => {
    const at = new Date().toISOString();
    const crafted: Conversation = {
      id: 'wrLocalOps',
      chattype: 'group',
      userMessages: [{ msgid: 'm1', userid: 'wangwu', content: '@工单助手 /查询工单 #1', at: at as unknown as Date }],
      botMessages: [
        { kind: 'reply', msgtype: 'stream', content: '⏳ 正在处理…', finished: false, streamId: 's1', inReplyTo: 'm1', at: at as unknown as Date },
        {
          kind: 'push',
          msgtype: 'markdown',
          content: '🚨 【工单超时提醒】\n\n<@lisi> <font color="warning">**请尽快处理**</font>\n[查看](javascript:alert(1)) [详情](https://example.com/t/1)\n<img src=x onerror=alert(2)>',
          finished: true,
          at: at as unknown as Date,
        },
      ],
    };
    const page = await newPage();
    // One event, then the stream ends (the page reconnects to it much later).
    await page.route('**/dev/wecom/api/events', (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: `retry: 600000\ndata: ${JSON.stringify(crafted)}\n\n` }),
    );
    await page.goto(`${t.app.http.url}/dev/wecom/`);
    // It arrived in a conversation that is not open: the sidebar counts it.
    const ops = page.getByTestId('conversation').filter({ hasText: '运维支持群' });
    await eventually(() => ops.getByTestId('unread').textContent()).toBe('3');
    expect(await ops.locator('.conversation-preview').textContent()).toBe('工单助手：🚨 【工单超时提醒】');
    await ops.click();
    expect(await ops.getByTestId('unread').isHidden()).toBe(true);
    const stream = messages(page, 'reply');
    await eventually(() => stream.getAttribute('data-finished')).toBe('false');
    expect(await stream.getByTestId('typing').textContent()).toBe('输入中');
    expect(await stream.textContent()).toContain('回复 王五');

    const reminder = messages(page, 'push');
    expect(await reminder.getAttribute('data-style')).toBe('overdue');
    expect(await reminder.getByTestId('mention').allTextContents()).toEqual(['@李四']);
    expect(await reminder.locator('.font-warning strong').textContent()).toBe('请尽快处理');
    expect(await reminder.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['https://example.com/t/1']);
    expect(await contentOf(reminder).textContent()).toContain('[查看](javascript:alert(1))');
    expect(await contentOf(reminder).textContent()).toContain('<img src=x onerror=alert(2)>');
    expect(await page.locator('[data-testid="messages"] img').count()).toBe(0);
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-stream.png') });

    // The bot is away: the page says so and keeps what was typed.
    await page.route('**/dev/wecom/api/messages', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'x', extensions: { code: 'BOT_NOT_CONNECTED', messageZh: '机器人尚未连上本地企业微信，请稍候再试' } }] }),
      }),
    );
    await page.getByTestId('message-input').fill('#1 进度 50');
    await page.getByTestId('send-button').click();
    await eventually(() => page.getByTestId('send-error').textContent()).toBe('机器人尚未连上本地企业微信，请稍候再试');
    expect(await page.getByTestId('message-input').inputValue()).toBe('#1 进度 50');
    await page.unroute('**/dev/wecom/api/messages');
    await page.unroute('**/dev/wecom/api/events');
  });
});
