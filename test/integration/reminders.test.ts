import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Priority } from '../../src/domain/priority.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { SWEEP_JOB } from '../../src/reminders/deadline-jobs.js';
import type { DevChannel } from '../../src/notifications/dev-channel.js';
import {
  AssignTicketDocument,
  ChangeTicketDeadlineDocument,
  CreateTicketDocument,
  type CreateTicketInput,
  RunRemindersDocument,
  TicketRemindersDocument,
  TicketUpdatedDocument,
  type TicketUpdatedSubscription,
  UpdateTicketStatusDocument,
} from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { LiveSubscription } from '../support/live-client.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let clock: TestClock;
beforeAll(() => {
  clock = TestClock.install();
});
afterAll(() => clock.uninstall());

/** A ticket due an hour from now (the clock's now), created over the API. */
async function createTicket(app: TestApp, token: string, input: Partial<CreateTicketInput> = {}) {
  return dataOf(
    await app.gql(
      CreateTicketDocument,
      { input: { customerName: '张三', customerPhone: '13800138000', description: '服务器无法连接', deadline: new Date(clock.now().getTime() + HOUR).toISOString(), ...input } },
      token,
    ),
  ).createTicket;
}

const jobOf = async (app: TestApp, id: string) => (await app.app.jobs.jobs.find([Number(id)])).get(Number(id));

/** The ticket has a deadline job at this time (the scheduler follows the event log). */
const scheduled = (app: TestApp, id: string, at: string) =>
  vi.waitFor(async () => expect((await jobOf(app, id))?.nextRunAt?.toISOString()).toBe(at), { timeout: 5000 });

describe('deadline reminders', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ REMINDER_SCAN_MS: '100', REMINDER_ESCALATE_AFTER: '3' }, undefined, { clock });
    token = await t.token('wangwu', StaffRole.AGENT, '王五');
    await t.app.staff.upsert({ userId: 'lisi', name: '李四' });
    await t.app.staff.upsert({ userId: 'boss', name: '赵主管', role: StaffRole.LEAD });
  });

  afterAll(() => t?.close());

  const create = (input: Partial<CreateTicketInput> = {}) => createTicket(t, token, input);
  const remindersOf = async (id: string) => dataOf(await t.gql(TicketRemindersDocument, { id }, token)).ticket;
  const delivered = () => (t.app.channel as DevChannel).delivered();

  it('reminds the assignee once when the deadline passes, then once per interval', async () => {
    const ticket = await create();
    await t.gql(AssignTicketDocument, { id: ticket.id, assignee: 'lisi' }, token);
    await scheduled(t, ticket.id, ticket.deadline);

    clock.set(new Date(Date.parse(ticket.deadline) + 1000));
    await vi.waitFor(async () => expect((await remindersOf(ticket.id)).reminders).toHaveLength(1), { timeout: 5000 });
    await vi.waitFor(async () => expect((await remindersOf(ticket.id)).reminders[0]?.notification?.status).toBe('SENT'), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const first = await remindersOf(ticket.id);
    expect(first.reminders).toHaveLength(1);
    expect(first.reminders[0]).toMatchObject({ sequence: 1, mentionedUserIds: ['lisi'], mentionAll: false, notification: { kind: 'REMINDER', channel: 'DEV' } });
    expect(first.reminders[0]!.notification!.text).toContain('🚨 【工单超时提醒】');
    expect(first.reminders[0]!.notification!.text).toContain('@李四 请尽快处理！');
    expect(first.events.map((e) => e.type)).toEqual(['CREATED', 'ASSIGNED', 'STATUS_CHANGED', 'DEADLINE_PASSED', 'REMINDED']);
    expect(first).toMatchObject({ reminderCount: 1, overdue: true });

    clock.advance(HOUR);
    await vi.waitFor(async () => expect((await remindersOf(ticket.id)).reminders).toHaveLength(2), { timeout: 5000 });
    const textsFor = async () => (await delivered()).map((m) => m.text).filter((text) => text.includes(`#${ticket.id}\n`));
    await vi.waitFor(async () => expect(await textsFor()).toHaveLength(2), { timeout: 5000 });
    const texts = await textsFor();
    expect(texts[1]).toContain('第 2 次');
  });

  it('reminders are in the ticketUpdated stream: the deadline passing, then the reminder', async () => {
    const ticket = await create({ description: '大屏显示超时' });
    const live = new LiveSubscription<TicketUpdatedSubscription>(t.app.http.url, token, print(TicketUpdatedDocument), { filter: { ticketId: ticket.id } });
    try {
      await scheduled(t, ticket.id, ticket.deadline);
      await vi.waitFor(() => expect(t.app.hub.subscriberCount).toBeGreaterThan(0));
      clock.set(new Date(Date.parse(ticket.deadline) + 1000));
      await vi.waitFor(() => expect(live.received.map((r) => r.ticketUpdated.event.type)).toEqual(['DEADLINE_PASSED', 'REMINDED']), { timeout: 5000 });
      expect(live.received.map((r) => r.ticketUpdated.event.actorId)).toEqual(['system', 'system']);
    } finally {
      await live.dispose();
    }
  });

  it('@-mentions everyone when the ticket has no assignee, and the assignee and everyone when it is urgent', async () => {
    const unassigned = await create({ description: '打印机无法打印' });
    const urgent = await create({ description: '生产系统宕机，紧急' });
    await t.gql(AssignTicketDocument, { id: urgent.id, assignee: 'lisi' }, token);
    expect(urgent.priority).toBe(Priority.URGENT);
    await scheduled(t, unassigned.id, unassigned.deadline);
    await scheduled(t, urgent.id, urgent.deadline);

    clock.set(new Date(Date.parse(urgent.deadline) + 1000));
    await vi.waitFor(async () => expect((await remindersOf(unassigned.id)).reminders[0]?.notification?.status).toBe('SENT'), { timeout: 5000 });
    await vi.waitFor(async () => expect((await remindersOf(urgent.id)).reminders[0]?.notification?.status).toBe('SENT'), { timeout: 5000 });
    const [nobody] = (await remindersOf(unassigned.id)).reminders;
    const [pressing] = (await remindersOf(urgent.id)).reminders;
    expect(nobody).toMatchObject({ mentionedUserIds: [], mentionAll: true, notification: { mentionedUserIds: [], mentionAll: true } });
    expect(nobody!.notification!.text).toContain('负责人：待分配');
    expect(nobody!.notification!.text).toContain('@所有人 工单还没有负责人，请尽快认领处理！');
    expect(pressing).toMatchObject({ mentionedUserIds: ['lisi'], mentionAll: true, notification: { mentionedUserIds: ['lisi'], mentionAll: true } });
    expect(pressing!.notification!.text).toContain('@李四 @所有人 紧急工单，请尽快处理！');
  });

  it('removes the job when the ticket is resolved, and brings it back when it is reopened', async () => {
    const ticket = await create();
    await scheduled(t, ticket.id, ticket.deadline);
    await t.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.RESOLVED }, token);
    await vi.waitFor(async () => expect(await jobOf(t, ticket.id)).toBeUndefined(), { timeout: 5000 });

    clock.set(new Date(Date.parse(ticket.deadline) + 1000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await remindersOf(ticket.id)).reminders).toHaveLength(0);

    await t.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.PROCESSING, note: '客户反馈问题复现' }, token);
    await vi.waitFor(async () => expect((await remindersOf(ticket.id)).reminders).toHaveLength(1), { timeout: 5000 });
  });

  it('does not send a reminder for a ticket resolved a moment earlier', async () => {
    const ticket = await create();
    await t.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.RESOLVED }, token);
    clock.set(new Date(Date.parse(ticket.deadline) + 1000));
    // The ticket's job, had it not been removed yet, runs the same check:
    expect(await t.app.reminders.checkDeadline(Number(ticket.id))).toMatchObject({ next: null, reminded: null });
    expect((await remindersOf(ticket.id)).reminders).toHaveLength(0);
  });

  it('moves the job when the deadline changes, and reminds at the new deadline', async () => {
    const ticket = await create();
    await scheduled(t, ticket.id, ticket.deadline);
    const later = new Date(Date.parse(ticket.deadline) + 2 * HOUR).toISOString();
    const moved = dataOf(await t.gql(ChangeTicketDeadlineDocument, { id: ticket.id, deadline: later, note: '客户同意延期' }, token)).changeTicketDeadline;
    expect(moved.deadline).toBe(later);
    await scheduled(t, ticket.id, later);

    clock.set(new Date(Date.parse(ticket.deadline) + 1000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await remindersOf(ticket.id)).reminders).toHaveLength(0);
    clock.set(new Date(Date.parse(later) + 1000));
    await vi.waitFor(async () => expect((await remindersOf(ticket.id)).reminders).toHaveLength(1), { timeout: 5000 });
    const { events } = await remindersOf(ticket.id);
    expect(events).toContainEqual(expect.objectContaining({ type: 'DEADLINE_CHANGED', actorId: 'wangwu', from: ticket.deadline, to: later, note: '客户同意延期' }));
  });

  it('refuses to move the deadline of a closed ticket or into the past', async () => {
    const ticket = await create();
    const past = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', description: '无关' } }, token)).createTicket;
    const intoThePast = await t.gql(ChangeTicketDeadlineDocument, { id: past.id, deadline: new Date(clock.now().getTime() - MINUTE).toISOString() }, token);
    expect(intoThePast.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'deadline' } });
    await t.gql(UpdateTicketStatusDocument, { id: ticket.id, status: TicketStatus.CANCELLED }, token);
    const closed = await t.gql(ChangeTicketDeadlineDocument, { id: ticket.id, deadline: new Date(clock.now().getTime() + HOUR).toISOString() }, token);
    expect(closed.errors?.[0]).toMatchObject({ message: expect.stringContaining('不能再修改处理期限'), extensions: { code: 'INVALID_TRANSITION' } });
  });

  it('escalates after three reminders, tells the leads, and goes on at the escalated cadence', async () => {
    const ticket = await create();
    await t.gql(AssignTicketDocument, { id: ticket.id, assignee: 'lisi' }, token);
    await scheduled(t, ticket.id, ticket.deadline);
    clock.set(new Date(Date.parse(ticket.deadline) + 1000));
    for (let n = 1; n <= 3; n++) {
      await vi.waitFor(async () => expect((await remindersOf(ticket.id)).reminders).toHaveLength(n), { timeout: 5000 });
      if (n < 3) {
        expect((await remindersOf(ticket.id)).status).toBe('ASSIGNED');
        clock.advance(HOUR);
      }
    }
    const escalated = await remindersOf(ticket.id);
    expect(escalated.status).toBe('ESCALATED');
    expect(escalated.events.filter((e) => e.type === 'ESCALATED')).toEqual([
      { type: 'ESCALATED', actorId: 'system', from: 'ASSIGNED', to: 'ESCALATED', note: '已催促 3 次仍未解决，自动升级' },
    ]);
    await vi.waitFor(async () => {
      const notice = (await delivered()).find((m) => m.text.includes(`工单 #${ticket.id} 已催促 3 次`));
      expect(notice).toMatchObject({ mentions: ['boss'], mentionAll: false });
      expect(notice!.text).toContain('⬆️ 【工单已升级】');
      expect(notice!.text).toContain('@赵主管');
    }, { timeout: 5000 });

    clock.advance(30 * MINUTE);
    await vi.waitFor(async () => expect((await remindersOf(ticket.id)).reminders).toHaveLength(4), { timeout: 5000 });
    const [third, fourth] = (await remindersOf(ticket.id)).reminders.slice(2);
    expect(Date.parse(fourth!.sentAt) - Date.parse(third!.sentAt)).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(Date.parse(fourth!.sentAt) - Date.parse(third!.sentAt)).toBeLessThan(HOUR);
    expect((await remindersOf(ticket.id)).events.filter((e) => e.type === 'ESCALATED')).toHaveLength(1);
  });
});

describe('an early warning before the deadline (configured)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ REMINDER_SCAN_MS: '100', REMINDER_EARLY_WARNING_MINUTES: '30' }, undefined, { clock });
    token = await t.token('wangwu', StaffRole.AGENT, '王五');
  });
  afterAll(() => t?.close());

  it('warns once, 30 minutes before the deadline, then reminds at the deadline', async () => {
    const ticket = await createTicket(t, token);
    const warnAt = new Date(Date.parse(ticket.deadline) - 30 * MINUTE).toISOString();
    await scheduled(t, ticket.id, warnAt);
    clock.set(new Date(Date.parse(warnAt) + 1000));
    await scheduled(t, ticket.id, ticket.deadline);
    const warnings = await t.db.query<{ text: string; status: string }>(`select text, status from notifications where kind = 'DEADLINE_WARNING' and ticket_id = $1`, [Number(ticket.id)]);
    expect(warnings.rows).toHaveLength(1);
    expect(warnings.rows[0]!.text).toContain('⏰ 【工单即将超时】');
    expect(warnings.rows[0]!.text).toContain('还剩 29 分钟');
    // The job running again inside the window sends nothing more.
    await t.app.reminders.checkDeadline(Number(ticket.id));
    expect((await t.db.query(`select 1 from notifications where kind = 'DEADLINE_WARNING'`)).rowCount).toBe(1);

    clock.set(new Date(Date.parse(ticket.deadline) + 1000));
    await vi.waitFor(async () => expect((await t.db.query(`select 1 from reminders where ticket_id = $1`, [Number(ticket.id)])).rowCount).toBe(1), { timeout: 5000 });
  });
});

describe('the hourly sweep, with the deadline jobs running', () => {
  let t: TestApp;
  let token: string;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ REMINDER_SCAN_MS: '100' }, undefined, { clock });
    token = await t.token('wangwu', StaffRole.AGENT, '王五');
    admin = await t.token('root', StaffRole.ADMIN, '管理员');
  });
  afterAll(() => t?.close());

  /** The hourly sweep has run for the hour before `at` and is idle until the next one. */
  const sweepDone = (at: Date) =>
    vi.waitFor(
      async () => {
        const { rows } = await t.db.query<{ next_run_at: Date; locked_at: Date | null }>(`select next_run_at, locked_at from agenda_jobs where name = $1`, [SWEEP_JOB]);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.next_run_at.getTime()).toBeGreaterThan(at.getTime());
        expect(rows[0]!.locked_at).toBeNull();
      },
      { timeout: 5000 },
    );
  const deleteJob = (id: string) => t.db.query(`delete from agenda_jobs where name = 'ticket-deadline' and data->>'ticketId' = $1`, [id]);

  it('sends the reminder a lost job would have sent, repairs the jobs, and leaves what the jobs did alone', async () => {
    // Within one hour, so that the hourly sweep job itself (at :00) does not run in between. The jump
    // crosses an :00, so that hour's sweep is due at once: let it finish before the jobs go missing.
    const hour = new Date(clock.now().getTime() + HOUR);
    hour.setUTCMinutes(5, 0, 0);
    clock.set(hour);
    await sweepDone(hour);
    const at = (minutes: number) => new Date(hour.getTime() + minutes * MINUTE).toISOString();
    const lost = await createTicket(t, token, { description: '工单的任务丢失了', deadline: at(30) });
    const healthy = await createTicket(t, token, { description: '任务正常', deadline: at(30) });
    const later = await createTicket(t, token, { description: '稍后到期', deadline: at(50) });
    for (const ticket of [lost, healthy, later]) await scheduled(t, ticket.id, ticket.deadline);
    await deleteJob(lost.id);
    await deleteJob(later.id);

    clock.set(new Date(Date.parse(lost.deadline) + 1000));
    await vi.waitFor(async () => expect((await t.db.query(`select 1 from reminders where ticket_id = $1`, [Number(healthy.id)])).rowCount).toBe(1), { timeout: 5000 });
    expect((await t.db.query(`select 1 from reminders where ticket_id = $1`, [Number(lost.id)])).rowCount).toBe(0);

    expect(dataOf(await t.gql(RunRemindersDocument, {}, admin)).runReminders).toEqual({ overdueCount: 2, remindersSent: 1, jobsRepaired: 2 });
    expect((await t.db.query(`select 1 from reminders where ticket_id = $1`, [Number(lost.id)])).rowCount).toBe(1);
    const nextHour = new Date(clock.now().getTime() + HOUR);
    const repaired = await jobOf(t, lost.id);
    expect(Math.abs(repaired!.nextRunAt!.getTime() - nextHour.getTime())).toBeLessThan(5000);
    expect((await jobOf(t, later.id))?.nextRunAt?.toISOString()).toBe(later.deadline);

    expect(dataOf(await t.gql(RunRemindersDocument, {}, admin)).runReminders).toEqual({ overdueCount: 2, remindersSent: 0, jobsRepaired: 0 });
  });
});

describe('two instances running the jobs at once', () => {
  let a: TestApp;
  let b: TestApp;
  let token: string;
  beforeAll(async () => {
    a = await startTestApp({ REMINDER_SCAN_MS: '100', REMINDER_CONCURRENCY: '4' }, undefined, { clock });
    b = await startTestApp({ REMINDER_SCAN_MS: '100', REMINDER_CONCURRENCY: '4' }, a, { clock });
    token = await a.token('wangwu', StaffRole.AGENT, '王五');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('send each reminder exactly once, even when both check the same tickets at the same moment', async () => {
    // Deadline jobs check one ticket each; the sweep checks its pages at once.
    const checks = [a, b].map(({ app }) => [vi.spyOn(app.reminders, 'checkDeadline'), vi.spyOn(app.reminders, 'checkDeadlines')] as const);
    const deadline = new Date(clock.now().getTime() + HOUR).toISOString();
    const tickets = [];
    for (let i = 0; i < 40; i++) tickets.push(await createTicket(i % 2 ? a : b, token, { description: `问题 ${i}`, deadline }));
    await vi.waitFor(async () => expect((await a.db.query(`select 1 from agenda_jobs where name = 'ticket-deadline'`)).rowCount).toBe(40), { timeout: 5000 });

    clock.set(new Date(Date.parse(deadline) + 1000));
    // While the deadline jobs fire (on whichever instance locked them), the other instance's sweep checks the same tickets.
    await Promise.all([a.app.sweep.run(), b.app.sweep.run()]);
    await vi.waitFor(async () => expect((await a.db.query(`select 1 from dev_channel_messages where idempotency_key like 'ticket:%:reminder:%'`)).rowCount).toBe(40), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rows } = await a.db.query<{ ticket_id: number; n: string }>('select ticket_id, count(*) as n from reminders group by ticket_id');
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.n === '1')).toBe(true);
    expect((await a.db.query(`select 1 from notifications where kind = 'REMINDER' and status = 'SENT'`)).rowCount).toBe(40);
    expect((await a.db.query(`select 1 from ticket_events where type = 'REMINDED'`)).rowCount).toBe(40);
    const [onA, onB] = checks.map(([one, many]) => one.mock.calls.length + many.mock.calls.reduce((n, [ids]) => n + ids.length, 0));
    expect(onA! + onB!).toBeGreaterThanOrEqual(40);
    expect(onA).toBeGreaterThan(0);
    expect(onB).toBeGreaterThan(0);
  });
});
