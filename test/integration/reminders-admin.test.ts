import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { CreateTicketDocument, RunRemindersDocument } from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { runCli } from '../support/service-process.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: string;
let agent: string;

beforeAll(async () => {
  // API only: no deadline jobs run and no scheduler writes them, so every overdue ticket is one
  // whose job is missing, and each run's counts are exactly the sweep's own.
  t = await startTestApp({ SERVICE_ROLE: 'api' });
  admin = await t.token('root', StaffRole.ADMIN, '管理员');
  agent = await t.token('lisi', StaffRole.AGENT, '李四');
});
afterAll(() => t.close());

/** Open tickets whose deadline passed `hoursAgo` hours ago (set in the database: the clock here is real). */
async function overdueTickets(count: number, hoursAgo: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { createTicket } = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', description: `超时问题 ${i}` } }, agent));
    ids.push(createTicket.id);
  }
  await t.db.query(`update tickets set deadline = now() - make_interval(hours => $2::int) where id = any($1::int[])`, [ids.map(Number), hoursAgo]);
  return ids;
}

const runOverHttp = (token?: string) =>
  fetch(`${t.app.http.url}/api/admin/reminders/run`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('running the overdue check by hand', () => {
  it('POST /api/admin/reminders/run answers the brief\'s shape for an ADMIN token, and JSON errors for anyone else', async () => {
    await overdueTickets(2, 3);
    const response = await runOverHttp(admin);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true, overdue_count: 2, reminders_sent: 2 });
    // Done already: the same check right after sends nothing more.
    expect(await (await runOverHttp(admin)).json()).toEqual({ success: true, overdue_count: 2, reminders_sent: 0 });

    const anonymous = await runOverHttp();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/json');
    expect(await anonymous.json()).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED', messageZh: expect.stringContaining('ADMIN') } });
    const forbidden = await runOverHttp(agent);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
  });

  it('Mutation.runReminders reports the same figures, for ADMIN only', async () => {
    const [first] = await overdueTickets(1, 5);
    expect(dataOf(await t.gql(RunRemindersDocument, {}, admin)).runReminders).toEqual({ overdueCount: 3, remindersSent: 1, jobsRepaired: 1 });
    expect(errorOf(await t.gql(RunRemindersDocument, {}, agent))).toMatchObject({ code: 'FORBIDDEN' });
    const { rows } = await t.db.query<{ reminder_count: number }>('select reminder_count from tickets where id = $1', [Number(first)]);
    expect(rows[0]!.reminder_count).toBe(1);
  });

  it('npm run reminders:check prints the same answer and delivers what it wrote when no worker is running', async () => {
    await t.db.query(`update tickets set last_reminder_at = last_reminder_at - interval '2 hours' where reminder_count > 0`);
    const [fresh] = await overdueTickets(1, 1);
    const { stdout, code } = await runCli('reminders-check', { DATABASE_URL: t.db.url });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ success: true, overdue_count: 4, reminders_sent: 4 });
    const { rows } = await t.db.query<{ status: string; n: string }>(`select status, count(*) as n from notifications where kind = 'REMINDER' group by status`);
    expect(rows).toEqual([{ status: 'SENT', n: '7' }]);
    const { rows: delivered } = await t.db.query<{ text: string }>('select text from dev_channel_messages where text like $1', [`%工单编号：#${fresh}\n%`]);
    expect(delivered).toHaveLength(1);
  });

  it('npm run reminders:check answers a clear error when it cannot run', async () => {
    const { stdout, code } = await runCli('reminders-check', { DATABASE_URL: 'postgresql://nobody:wrong@127.0.0.1:1/none' });
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ success: false, error: expect.any(String) });
  });
});

describe('the jobs dashboard (Agendash)', () => {
  const dashboard = (path: string, authorization?: string) => fetch(`${t.app.http.url}/admin/jobs${path}`, { headers: authorization ? { authorization } : {}, redirect: 'manual' });
  const basic = (token: string) => `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`;

  it('asks a browser for credentials, and refuses tokens below ADMIN', async () => {
    const anonymous = await dashboard('/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(await anonymous.json()).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await dashboard('/', basic(agent))).status).toBe(403);
    expect((await dashboard('/api', `Bearer ${agent}`)).status).toBe(403);
    expect((await dashboard('/', basic('not-a-token'))).status).toBe(401);
  });

  it('shows the deadline jobs to an admin, with the token as the password', async () => {
    await vi.waitFor(async () => expect((await t.db.query(`select 1 from agenda_jobs where name = 'ticket-deadline'`)).rowCount).toBeGreaterThan(0));
    expect((await dashboard('')).status).toBe(301);
    const page = await dashboard('/', basic(admin));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    const api = await dashboard('/api', basic(admin));
    expect(api.status).toBe(200);
    const body = (await api.json()) as { overview: { displayName: string }[]; jobs: { job: { name: string; data: { ticketId: number } } }[] };
    expect(body.overview.map((o) => o.displayName)).toContain('ticket-deadline');
    expect(body.jobs[0]).toMatchObject({ job: { name: 'ticket-deadline', data: { ticketId: expect.any(Number) } } });
  });
});
