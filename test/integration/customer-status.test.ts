import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevChannel } from '../../src/notifications/dev-channel.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import {
  AddTicketCommentDocument,
  AssignTicketDocument,
  CreateTicketDocument,
  RevokeStatusLinkDocument,
  TeamRatingsDocument,
  TicketEventLogDocument,
  TicketStatusLinkDocument,
  UpdateTicketStatusDocument,
} from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The customer's status page over real HTTP: what it shows (and never shows), the follow-up note
 * and the rating it posts without JavaScript, and the links it refuses.
 */
describe('the customer status page', () => {
  let t: TestApp;
  let token: string;
  let ticketId: string;
  let link: string;

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    token = await t.token('admin', StaffRole.ADMIN, '管理员');
    await t.app.staff.upsert({ userId: 'lisi', name: '李四' });
    ticketId = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '赵六', customerPhone: '13800138006', description: '打印机无法打印，任务一直卡住' } }, token)).createTicket.id;
    await t.gql(CreateTicketDocument, { input: { customerName: '钱七', customerPhone: '13800138007', description: '别人的问题：邮箱收不到邮件' } }, token);
    await t.gql(AssignTicketDocument, { id: ticketId, assignee: 'lisi', note: '内部：这位客户很着急' }, token);
    await t.gql(AddTicketCommentDocument, { id: ticketId, body: '机房在三楼，报价待主管确认', visibility: 'INTERNAL' }, token);
    await t.gql(AddTicketCommentDocument, { id: ticketId, body: '已安排工程师明天上门', visibility: 'PUBLIC' }, token);
    await t.gql(UpdateTicketStatusDocument, { id: ticketId, status: 'PROCESSING', note: '内部：先远程看看' }, token);
    link = dataOf(await t.gql(TicketStatusLinkDocument, { id: ticketId }, token)).ticket.statusLink;
  });
  afterAll(() => t?.close());

  const open = (url: string, init?: RequestInit) => fetch(url.replace(/^https?:\/\/[^/]+/, t.app.http.url), { redirect: 'manual', ...init });
  const post = (url: string, form: Record<string, string>) =>
    open(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const events = async () => dataOf(await t.gql(TicketEventLogDocument, { id: ticketId }, token)).ticket.events;

  it('shows the status in plain words, progress, the public history and the staff reply, with strict headers', async () => {
    expect(link).toMatch(new RegExp(`/support/status/${ticketId}\\.1\\.[A-Za-z0-9_-]{43}$`));
    const response = await open(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toContain('no-store');
    const page = await response.text();
    expect(page).toContain('处理中');
    expect(page).toContain('80%');
    expect(page).toContain('已安排工程师明天上门');
    expect(page).toContain('打印机无法打印，任务一直卡住');
    expect(page).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d/);
  });

  it('never shows internal notes, change notes, staff names or userids, or another customer\'s data', async () => {
    const page = await (await open(link)).text();
    for (const secret of ['机房在三楼', '内部', '这位客户很着急', '先远程看看', 'lisi', '李四', '管理员', 'admin', '钱七', '邮箱收不到', '13800138007']) expect(page).not.toContain(secret);
    const state = (await (await open(`${link}/state`)).json()) as Record<string, unknown>;
    expect(Object.keys(state)).toEqual(['updated']);
  });

  it('takes a follow-up note without JavaScript, as the customer, and keeps what was typed when refused', async () => {
    const sent = await post(`${link}/notes`, { note: '今天又卡住了，急用' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/\?done=note$/);
    const after = await (await open(new URL(sent.headers.get('location')!, t.app.http.url).toString())).text();
    expect(after).toContain('已收到您的补充说明');
    expect(after).toContain('今天又卡住了，急用');
    expect((await events()).at(-1)).toMatchObject({ type: 'CUSTOMER_NOTE', actorId: 'customer', actorName: '赵六', note: '今天又卡住了，急用' });
    const delivered = async () => (await (t.app.channel as DevChannel).delivered('chat:default')).map((m) => m.text);
    await vi.waitFor(async () => expect(await delivered()).toContainEqual(expect.stringContaining(`💬 工单 #${ticketId} 客户 赵六 补充说明（来自工单进度页）：\n> 今天又卡住了，急用`)), { timeout: 5000 });
    const refused = await post(`${link}/notes`, { note: '长'.repeat(2001) });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain('长'.repeat(50));
    const tooLarge = await post(`${link}/notes`, { note: '长'.repeat(10_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toContain('text/html');
    expect(await tooLarge.text()).toContain('内容太长');
  });

  it('asks for a rating once the ticket is resolved, once per resolution', async () => {
    expect(await (await open(link)).text()).not.toContain('data-testid="rating-form"');
    await t.gql(UpdateTicketStatusDocument, { id: ticketId, status: 'RESOLVED', note: '驱动问题 KB-12' }, token);
    const page = await (await open(link)).text();
    expect(page).toContain('data-testid="rating-form"');
    expect(page).toContain('已解决');
    expect(page).not.toContain('KB-12');
    expect((await post(`${link}/rating`, { score: '5', comment: '很及时' })).status).toBe(303);
    expect((await events()).at(-1)).toMatchObject({ type: 'RATED', actorId: 'customer', to: '5', note: '很及时' });
    const delivered = async () => (await (t.app.channel as DevChannel).delivered('chat:default')).map((m) => m.text);
    await vi.waitFor(async () => expect(await delivered()).toContainEqual(`⭐ 工单 #${ticketId} 客户 赵六 评价：★★★★★（5 分）\n> 很及时`), { timeout: 5000 });
    const { serviceStats } = dataOf(await t.gql(TeamRatingsDocument, {}, token));
    expect(serviceStats.overall).toEqual({ ratings: 1, averageRating: 5 });
    expect(serviceStats.byAssignee.find((a) => a.userId === 'lisi')).toEqual({ userId: 'lisi', ratings: 1, averageRating: 5 });
    const again = await post(`${link}/rating`, { score: '1' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('已经评价过了');
    expect((await post(`${link}/rating`, { score: '9' })).status).toBe(400);
    const rated = await (await open(link)).text();
    expect(rated).toContain('★★★★★');
    expect(rated).not.toContain('data-testid="rating-form"');
  });

  it('refuses a forged link and a revoked one, with a page that says so; the new link works', async () => {
    const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const refusedForged = await open(forged);
    expect(refusedForged.status).toBe(403);
    expect(await refusedForged.text()).toContain('链接不正确');
    expect((await open(link.replace(`/${ticketId}.`, `/${Number(ticketId) + 1}.`))).status).toBe(403);
    const renewed = dataOf(await t.gql(RevokeStatusLinkDocument, { id: ticketId }, token)).revokeStatusLink;
    expect(renewed).toMatch(new RegExp(`/support/status/${ticketId}\\.2\\.`));
    const revoked = await open(link);
    expect(revoked.status).toBe(410);
    expect(await revoked.text()).toContain('已失效');
    expect((await post(`${link}/notes`, { note: '还在吗' })).status).toBe(410);
    expect((await open(`${link}/state`)).status).toBe(410);
    expect((await open(renewed)).status).toBe(200);
    expect((await open(`${renewed}?lang=en`).then((r) => r.text()))).toContain('Resolved');
  });
});
