import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { CreateTicketDocument, SubmitTicketDocument, TicketDocument } from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

/** Customers submitting tickets on the website: Mutation.submitTicket without a token, and the /support form without script. */
describe('website submissions', () => {
  let t: TestApp;
  let staff: string;
  let phoneSeq = 0;
  /** A phone number of its own for each test, so the per-phone limit of one does not reach another. */
  const nextPhone = () => `1390000${String(1000 + ++phoneSeq)}`;

  beforeAll(async () => {
    t = await startTestApp({ SUPPORT_IP_LIMIT: '1000' });
    staff = await t.token('lisi', StaffRole.AGENT, '李四');
  });
  afterAll(() => t?.close());

  it('creates a ticket without a token, the customer matched by phone as everywhere else, through the staff use case as the website', async () => {
    const known = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138001', company: 'XX科技', description: '上个月的问题' } }, staff)).createTicket;
    const response = await t.gql(SubmitTicketDocument, { input: { name: '张三', phone: '+86 138-0013-8001', product: 'OA办公系统', problem: '登录后页面空白' } });
    const submitted = dataOf(response).submitTicket;
    expect(submitted).toMatchObject({ status: 'PENDING', duplicate: false });
    expect(submitted.statusLink).toMatch(new RegExp(`/support/status/${submitted.id}\\.1\\.[A-Za-z0-9_-]{43}$`));
    expect(submitted.id).not.toBe(known.id);
    const ticket = dataOf(await t.gql(TicketDocument, { id: submitted.id }, staff)).ticket;
    expect(ticket).toMatchObject({ description: '登录后页面空白', product: 'OA办公系统', createdBy: 'website', customer: { id: known.customer.id, name: '张三' } });
    expect(ticket.events[0]).toMatchObject({ type: 'CREATED', actorId: 'website', actorName: '网站提交' });
  });

  it('announces the ticket in the default group, marked 网站提交', async () => {
    const { id } = dataOf(await t.gql(SubmitTicketDocument, { input: { name: '王五', phone: nextPhone(), problem: '发票抬头开错了' } })).submitTicket;
    await vi.waitFor(async () => {
      const { rows } = await t.db.query<{ conversation: string; text: string }>(`select conversation, text from notifications where ticket_id = $1 and kind = 'NEW_TICKET'`, [Number(id)]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.conversation).toBe('chat:default');
      expect(rows[0]!.text).toMatch(new RegExp(`^🟡 【新工单提醒】#ID${id}（网站提交）\\n`));
    }, { timeout: 10_000 });
  });

  it('lets nothing else through without a token', async () => {
    const anonymous = async (query: string) => {
      const response = await fetch(t.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return { status: response.status, code: ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code };
    };
    const submit = `submitTicket(input: { name: "a", phone: "13800138000", problem: "x" }) { id }`;
    for (const query of [
      '{ ticketStats { total } }',
      '{ __schema { types { name } } }',
      `mutation { ${submit} createTicket(input: { customerName: "a", description: "x" }) { id } }`,
      `mutation { ...F } fragment F on Mutation { ${submit} }`,
      `mutation A { ${submit} } query B { ticketStats { total } }`,
      'mutation { createTicket(input: { customerName: "a", description: "x" }) { id } }',
      'not graphql',
    ]) {
      expect(await anonymous(query), query).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
    // What a submitted ticket shows is the customer's own: no staff data to select.
    const staffData = await fetch(t.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation { ${submit.replace('{ id }', '{ id customer { phone } }')} }` }) });
    expect(staffData.status).toBe(400);
    expect(((await staffData.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a filled honeypot, clearly, and creates nothing', async () => {
    const phone = nextPhone();
    const error = errorOf(await t.gql(SubmitTicketDocument, { input: { name: '机器人', phone, problem: '买便宜的药', website: 'http://spam.example' } }));
    expect(error.code).toBe('SUBMISSION_REFUSED');
    expect(error.extensions?.['messageZh']).toContain('提交未被受理');
    expect(error.extensions?.['messageEn']).toContain('not accepted');
    expect((await t.db.query(`select 1 from customers where phone = $1`, [phone])).rowCount).toBe(0);
  });

  it.each([
    [{ name: '张三', phone: '12345', problem: '打不开' }, 'phone', '手机号格式不正确'],
    [{ name: '张三', phone: '13800138000', problem: '   ' }, 'problem', '问题描述不能为空'],
    [{ name: '', phone: '13800138000', problem: '打不开' }, 'name', '姓名不能为空'],
    [{ name: '张三', phone: '13800138000', problem: 'x'.repeat(5001) }, 'problem', '问题描述不能超过 5000 个字'],
  ])('answers bad input with a coded, bilingual error (%#)', async (input, field, zh) => {
    const error = errorOf(await t.gql(SubmitTicketDocument, { input }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ field });
    expect(String(error.extensions?.['messageZh'])).toContain(zh);
    expect(error.extensions?.['messageEn']).toEqual(expect.any(String));
  });

  it('answers a repeat of the same problem within minutes with the earlier ticket', async () => {
    const phone = nextPhone();
    const first = dataOf(await t.gql(SubmitTicketDocument, { input: { name: '赵六', phone, problem: 'VPN 连不上，错误 E731' } })).submitTicket;
    const again = dataOf(await t.gql(SubmitTicketDocument, { input: { name: '赵六', phone, problem: 'vpn连不上 错误E731！' } })).submitTicket;
    expect(again).toEqual({ ...first, duplicate: true });
    const other = dataOf(await t.gql(SubmitTicketDocument, { input: { name: '赵六', phone, problem: '打印机卡纸' } })).submitTicket;
    expect(other.id).not.toBe(first.id);
  });

  it('repeats posted at the same moment still make one ticket', async () => {
    const phone = nextPhone();
    const input = { name: '孙七', phone, problem: '服务器无法连接' };
    const answers = await Promise.all([1, 2, 3].map(() => t.gql(SubmitTicketDocument, { input })));
    expect(new Set(answers.map((a) => dataOf(a).submitTicket.id)).size).toBe(1);
  });

  it('limits submissions per phone number (3 an hour by default), repeats not counted', async () => {
    const phone = nextPhone();
    for (const problem of ['打印机卡纸', '扫描仪不工作', '网络很慢']) dataOf(await t.gql(SubmitTicketDocument, { input: { name: '周八', phone, problem } }));
    expect(dataOf(await t.gql(SubmitTicketDocument, { input: { name: '周八', phone, problem: '网络很慢' } })).submitTicket.duplicate).toBe(true);
    const error = errorOf(await t.gql(SubmitTicketDocument, { input: { name: '周八', phone, problem: '邮箱收不到邮件' } }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.extensions).toMatchObject({ limit: 'phone', retryAfterSeconds: expect.any(Number) });
    expect(String(error.extensions?.['messageZh'])).toContain('此手机号近期提交的工单已达上限');
  });

  it('takes the form without script: a urlencoded post answers a page with the ticket number, no-store, with strict headers', async () => {
    const response = await fetch(`${t.app.http.url}/support`, form({ lang: 'zh', name: '吴九', phone: nextPhone(), company: '', product: '财务软件', problem: '报表导出乱码', website: '' }));
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
    const page = await response.text();
    const number = /data-testid="ticket-number">#(\d+)</.exec(page)?.[1];
    expect(number).toBeDefined();
    expect(page).toContain('工单已提交');
    const ticket = dataOf(await t.gql(TicketDocument, { id: number! }, staff)).ticket;
    expect(ticket).toMatchObject({ description: '报表导出乱码', product: '财务软件', createdBy: 'website' });
  });

  it('re-renders a refused form with what was typed and why', async () => {
    const response = await fetch(`${t.app.http.url}/support`, form({ name: '郑十 <b>', phone: '123', company: 'ACME', problem: '无法登录 & 报错', website: '' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('data-code="BAD_USER_INPUT"');
    expect(page).toContain('手机号格式不正确');
    expect(page).toContain('value="郑十 &lt;b&gt;"');
    expect(page).toContain('value="123"');
    expect(page).toContain('value="ACME"');
    expect(page).toContain('>无法登录 &amp; 报错</textarea>');
    const honeypot = await fetch(`${t.app.http.url}/support`, form({ lang: 'en', name: 'Bot', phone: nextPhone(), problem: 'spam', website: 'x' }));
    expect(honeypot.status).toBe(400);
    const refused = await honeypot.text();
    expect(refused).toContain('data-code="SUBMISSION_REFUSED"');
    expect(refused).toContain('not accepted');
    expect(refused).toContain('<html lang="en">');
  });

  it('offers the products seen before on tickets, in Chinese first and in English on request', async () => {
    const zh = await fetch(`${t.app.http.url}/support`);
    expect(zh.status).toBe(200);
    const page = await zh.text();
    expect(page).toContain('<option value="OA办公系统">');
    expect(page).toContain('<form class="card" method="post" action="/support"');
    expect(page).toContain('姓名');
    expect(page).toContain('href="/support?lang=en"');
    expect(await (await fetch(`${t.app.http.url}/support?lang=en`)).text()).toContain('Report a problem');
    const css = await fetch(`${t.app.http.url}/support/assets/support.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });
});

describe('the per-address limit', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({ SUPPORT_IP_LIMIT: '2', SUPPORT_IP_WINDOW_MINUTES: '10' });
    b = await startTestApp({ SUPPORT_IP_LIMIT: '2', SUPPORT_IP_WINDOW_MINUTES: '10' }, a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('holds across instances, on the GraphQL path and the form alike', async () => {
    dataOf(await a.gql(SubmitTicketDocument, { input: { name: '甲', phone: '13700137001', problem: '问题一' } }));
    dataOf(await b.gql(SubmitTicketDocument, { input: { name: '乙', phone: '13700137002', problem: '问题二' } }));
    const error = errorOf(await a.gql(SubmitTicketDocument, { input: { name: '丙', phone: '13700137003', problem: '问题三' } }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.extensions).toMatchObject({ limit: 'ip' });
    const page = await fetch(`${b.app.http.url}/support`, form({ name: '丙', phone: '13700137003', problem: '问题三' }));
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await page.text()).toContain('提交过于频繁');
  });
});
