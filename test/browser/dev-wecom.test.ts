import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import type { Conversation } from '../../src/local-wecom/long-connection-server.js';
import { TicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { chromiumMissing, launchChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skipped = chromiumMissing();

const SCREENSHOT = '/tmp/dev-wecom.png';
const CHANNELS_SCREENSHOT = '/tmp/dev-wecom-channels.png';
const CARD_SCREENSHOT = '/tmp/dev-wecom-card.png';

describe.skipIf(skipped)('the local WeCom page (/dev/wecom) in Chromium', () => {
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
    browser = await launchChromium();
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
  const messages = (page: Page, kind?: 'user' | 'reply' | 'push' | 'webhook' | 'app') => page.locator(kind ? `[data-testid="message"][data-kind="${kind}"]` : '[data-testid="message"]');
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

  it('creates a ticket by chat, claims it with the card\'s 认领 and resolves it by quote-reply, showing the replies and the template card as it changes', async () => {
    const page = await openPage();
    expect(await page.getByTestId('intro').textContent()).toContain('本地企业微信：无需企业微信租户即可试用机器人；仅用于开发');
    expect(await page.getByTestId('connection').textContent()).toBe('工单助手已连接');
    expect(await page.getByTestId('conversation-name').allTextContents()).toEqual(['售后服务群', '运维支持群', '与工单助手单聊', '工单应用（私信）']);
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

    // The new-ticket card: a template card as WeCom draws it, its rows and its buttons.
    const card = messages(page, 'push').filter({ hasText: `【新工单提醒】#ID${id}` });
    await eventually(() => card.count()).toBe(1);
    const cardContent = contentOf(card);
    expect(await cardContent.getAttribute('data-card-type')).toBe('button_interaction');
    expect(await card.getByTestId('card-source').textContent()).toBe('工单系统');
    expect(await card.getByTestId('card-title').textContent()).toBe(`【新工单提醒】#ID${id}`);
    expect(await card.getByTestId('card-desc').textContent()).toBe('售后工单 - 服务器无法连接');
    expect(await card.getByTestId('card-subtitle').textContent()).toBe('问题描述：服务器无法连接');
    const rows = async () => card.getByTestId('card-row').evaluateAll((items) => items.map((item) => [item.querySelector('dt')?.textContent, item.querySelector('dd')?.textContent]));
    expect((await rows()).slice(0, 5)).toEqual([
      ['客户', '王五'],
      ['联系', '13800138000'],
      ['优先级', '➡️ 普通'],
      ['状态', '待分配 · 0%'],
      ['负责人', '待分配'],
    ]);
    expect((await rows())[5]?.[0]).toBe('期限');
    const buttons = card.getByTestId('card-button');
    expect(await buttons.allTextContents()).toEqual(['认领', '已解决']);
    expect(await buttons.evaluateAll((items) => items.map((item) => item.hasAttribute('disabled')))).toEqual([false, false]);
    // 查看详情 opens the signed ticket page in a new tab.
    const detail = card.getByTestId('card-link');
    expect(await detail.textContent()).toBe('查看详情');
    expect(await detail.getAttribute('href')).toMatch(/^https?:\/\//);
    expect(await detail.getAttribute('target')).toBe('_blank');
    expect(await detail.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await card.locator('time').textContent()).toMatch(/^\d{2}:\d{2}$/);
    await card.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: CARD_SCREENSHOT });

    // 李四 claims it with the card's 认领: the card changes in place for the group.
    await page.getByTestId('identity').selectOption('lisi');
    await eventually(() => asked.getAttribute('class')).toContain('from-other');
    await buttons.filter({ hasText: '认领' }).click();
    await eventually(() => card.getByTestId('card-desc').textContent()).toBe('已被李四认领');
    expect(await card.count()).toBe(1);
    expect(await buttons.allTextContents()).toEqual(['已认领', '已解决']);
    const owner = card.getByTestId('card-row').filter({ hasText: '负责人' }).getByTestId('mention');
    expect(await owner.textContent()).toBe('@李四');
    expect(await owner.getAttribute('data-userid')).toBe('lisi');
    expect(await owner.getAttribute('class')).toContain('mention-me');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: CARD_SCREENSHOT.replace('.png', '-claimed.png') });
    expect(dataOf(await t.gql(TicketDocument, { id }, admin)).ticket).toMatchObject({ status: 'ASSIGNED', assignedTo: 'lisi' });
    const assignedLine = messages(page, 'push').filter({ hasText: `📌 工单 #${id} 已分配` });
    await eventually(() => assignedLine.count()).toBe(1);
    expect(await assignedLine.getAttribute('data-style')).toBe('status');
    expect(await contentOf(assignedLine).textContent()).toContain('负责人：李四（由 李四 更新）');

    // …and resolves it by quote-replying to the card: the quote carries the card's title, which names the ticket.
    await card.getByTestId('quote-button').click();
    const preview = page.getByTestId('quote-preview');
    await eventually(() => preview.isVisible()).toBe(true);
    expect(await page.getByTestId('quote-preview-text').textContent()).toBe(`引用：工单助手：【新工单提醒】#ID${id} 已被李四认领`);
    await say(page, '已解决，重启了服务', 'click');
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

    // The card still offers 已解决 (a quote-reply does not touch it); a click brings it up to date.
    await buttons.filter({ hasText: '已解决' }).click();
    await eventually(() => card.getByTestId('card-desc').textContent()).toBe('已由李四标记解决');
    expect(await buttons.allTextContents()).toEqual(['已解决']);
    expect((await rows())[3]).toEqual(['状态', '已解决 · 100%']);

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

  it("shows the app's private message to 王五 in 工单应用（私信）, and the webhook's reminder in the group with his @ highlighted", async () => {
    const page = await openPage();
    await page.getByTestId('identity').selectOption('zhangsan');
    await page.getByTestId('conversation').filter({ hasText: '售后服务群' }).click();
    await eventually(() => page.getByTestId('empty').or(messages(page).first()).count()).toBe(1);
    const before = await finishedReply(page, /创建成功/).count();
    await say(page, '/创建工单 @客户赵六 手机:13900139000 问题:打印机卡纸');
    await eventually(() => finishedReply(page, /创建成功/).count()).toBe(before + 1);
    const id = /#(\d+)/.exec((await contentOf(finishedReply(page, /创建成功/).last()).textContent()) ?? '')![1]!;
    await say(page, `/分配工单 #${id} @王五`);
    await eventually(() => finishedReply(page, `工单 #${id} 已分配给 @王五`).count()).toBe(1);

    // 王五's private message from the app: counted in the sidebar until he opens it.
    await page.getByTestId('identity').selectOption('wangwu');
    const appEntry = page.getByTestId('conversation').filter({ hasText: '工单应用（私信）' });
    await eventually(() => appEntry.getByTestId('unread').textContent()).toBe('1');
    expect(await appEntry.locator('.conversation-preview').textContent()).toBe(`工单应用：📋 工单 #${id} 已分配给你（由 张三 分配）`);
    await appEntry.click();
    expect(await page.getByTestId('chat-title').textContent()).toBe('工单应用（私信）');
    const notice = messages(page, 'app').filter({ hasText: `工单 #${id} 已分配给你` });
    await eventually(() => notice.count()).toBe(1);
    expect(await notice.getByTestId('message-sender').textContent()).toBe('工单应用');
    expect(await notice.getAttribute('data-style')).toBe('assigned');
    expect(await notice.locator('.card-title').textContent()).toBe(`📋 工单 #${id} 已分配给你（由 张三 分配）`);
    expect(await notice.locator('.md-quote').innerText()).toContain('问题：打印机卡纸');
    expect(await notice.getByTestId('quote-button').count()).toBe(0);
    // Nobody writes to the app here.
    expect(await page.getByTestId('message-input').isDisabled()).toBe(true);
    expect(await page.getByTestId('send-button').isDisabled()).toBe(true);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: CHANNELS_SCREENSHOT.replace('.png', '-app.png') });
    // It is 王五's, not 赵主管's.
    await page.getByTestId('identity').selectOption('zhaozhuguan');
    await eventually(() => page.locator('#chat-members').textContent()).toContain('赵主管');
    expect(await messages(page, 'app').filter({ hasText: `工单 #${id} 已分配给你` }).count()).toBe(0);

    // Overdue: the reminder comes by the group's webhook, from 群机器人, and @-mentions 王五.
    await t.db.query(`update tickets set deadline = now() - interval '3 hours' where id = $1`, [Number(id)]);
    const run = await fetch(`${t.app.http.url}/api/admin/reminders/run`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(run.status).toBe(200);
    await page.getByTestId('identity').selectOption('wangwu');
    await page.getByTestId('conversation').filter({ hasText: '售后服务群' }).click();
    const reminder = messages(page, 'webhook').filter({ hasText: `#${id}` });
    await eventually(() => reminder.count()).toBe(1);
    expect(await reminder.getByTestId('message-sender').textContent()).toBe('群机器人');
    expect(await reminder.getAttribute('data-sender')).toBe('webhook');
    expect(await reminder.getAttribute('data-style')).toBe('overdue');
    expect(await reminder.getAttribute('data-mentions-me')).toBe('true');
    const mentioned = reminder.getByTestId('message-mentions').getByTestId('mention');
    expect(await mentioned.allTextContents()).toEqual(['@王五']);
    expect(await mentioned.getAttribute('data-userid')).toBe('wangwu');
    expect(await mentioned.getAttribute('class')).toContain('mention-me');
    expect(await page.locator('#chat-members').textContent()).toContain('群机器人');
    // The new-ticket card went by the smart robot: the webhook sent only the reminder.
    expect(await messages(page, 'webhook').count()).toBe(1);
    await reminder.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: CHANNELS_SCREENSHOT });
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
          msgtype: 'template_card',
          content: JSON.stringify({
            card_type: 'button_interaction',
            source: { desc: '<b>工单系统</b>', desc_color: 2 },
            main_title: { title: '【新工单提醒】#ID1 <img src=x onerror=alert(3)>', desc: '<script>alert(4)</script>' },
            card_action: { type: 1, url: 'javascript:alert(5)' },
            horizontal_content_list: [{ keyname: '负责人', value: '李四', type: 3, userid: 'lisi' }, { keyname: '链接', value: '危险', type: 1, url: 'javascript:alert(6)' }],
            jump_list: [{ type: 1, title: '查看详情', url: 'javascript:alert(7)' }, { type: 1, title: '工单页', url: 'https://example.com/t/1' }],
            button_list: [{ text: '认领', style: 1, key: 'claim:1' }],
            task_id: 't1_crafted',
          }),
          finished: true,
          at: at as unknown as Date,
        },
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
    await eventually(() => ops.getByTestId('unread').textContent()).toBe('4');
    expect(await ops.locator('.conversation-preview').textContent()).toBe('工单助手：🚨 【工单超时提醒】');
    await ops.click();
    expect(await ops.getByTestId('unread').isHidden()).toBe(true);
    const stream = messages(page, 'reply');
    await eventually(() => stream.getAttribute('data-finished')).toBe('false');
    expect(await stream.getByTestId('typing').textContent()).toBe('输入中');
    expect(await stream.textContent()).toContain('回复 王五');

    const reminder = messages(page, 'push').filter({ hasText: '工单超时提醒' });
    expect(await reminder.getAttribute('data-style')).toBe('overdue');
    expect(await reminder.getByTestId('mention').allTextContents()).toEqual(['@李四']);
    expect(await reminder.locator('.font-warning strong').textContent()).toBe('请尽快处理');
    expect(await reminder.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['https://example.com/t/1']);
    expect(await contentOf(reminder).textContent()).toContain('[查看](javascript:alert(1))');
    expect(await contentOf(reminder).textContent()).toContain('<img src=x onerror=alert(2)>');
    expect(await page.locator('[data-testid="messages"] img, [data-testid="messages"] script, [data-testid="messages"] b').count()).toBe(0);

    // A card's texts are text too, and only its http(s) links are links.
    const craftedCard = messages(page, 'push').filter({ hasText: '【新工单提醒】#ID1' });
    expect(await craftedCard.getByTestId('card-title').textContent()).toBe('【新工单提醒】#ID1 <img src=x onerror=alert(3)>');
    expect(await craftedCard.getByTestId('card-desc').textContent()).toBe('<script>alert(4)</script>');
    expect(await craftedCard.getByTestId('card-source').textContent()).toBe('<b>工单系统</b>');
    expect(await craftedCard.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['https://example.com/t/1']);
    expect(await craftedCard.getByTestId('card-row').filter({ hasText: '链接' }).locator('dd').textContent()).toBe('危险');
    // A click on a card the local WeCom does not have there is refused, and the page says so.
    await craftedCard.getByTestId('card-button').click();
    await eventually(() => page.getByTestId('send-error').textContent()).toBe('这个会话里没有这张卡片');
    expect(await craftedCard.getByTestId('card-button').isEnabled()).toBe(true);
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
