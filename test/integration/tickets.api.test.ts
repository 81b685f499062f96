import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import {
  AssignTicketDocument,
  CreateTicketDocument,
  type CreateTicketInput,
  CustomerDocument,
  CustomersDocument,
  TicketDocument,
  TicketsDocument,
  UpdateTicketStatusDocument,
  UpsertStaffDocument,
} from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let agent: string;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.token('wangwu', StaffRole.AGENT, '王五');
  admin = await t.token('boss', StaffRole.ADMIN, '老板');
  for (const input of [
    { userId: 'lisi', name: '李四', aliases: ['小李'] },
    { userId: 'lisi2', name: '李思' },
    { userId: 'zhao1', name: '赵六' },
    { userId: 'zhao2', name: '赵六' },
  ]) {
    dataOf(await t.gql(UpsertStaffDocument, { input }, admin));
  }
});

afterAll(() => t.close());

const create = async (input: Partial<CreateTicketInput> = {}) =>
  dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', description: '服务器无法连接', ...input } }, agent)).createTicket;

async function countRows(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(rows[0]!.n);
}

describe('createTicket', () => {
  it('creates a pending ticket with a 24-hour deadline and records who created it', async () => {
    const before = Date.now();
    const ticket = await create({ company: 'XX科技有限公司', product: '云服务器管理系统' });
    expect(ticket).toMatchObject({
      title: '服务器无法连接',
      description: '服务器无法连接',
      product: '云服务器管理系统',
      status: 'PENDING',
      priority: 'NORMAL',
      progress: 0,
      assignedTo: null,
      createdBy: 'wangwu',
      overdue: false,
      version: 1,
      customer: { name: '张三', phone: '13800138000', company: 'XX科技有限公司' },
    });
    const hours = (Date.parse(ticket.deadline) - before) / 3_600_000;
    expect(hours).toBeGreaterThan(23.99);
    expect(hours).toBeLessThan(24.01);

    const { ticket: stored } = dataOf(await t.gql(TicketDocument, { id: ticket.id }, agent));
    expect(stored.events).toEqual([expect.objectContaining({ type: 'CREATED', actorId: 'wangwu', actorName: '王五', to: 'PENDING', ticketId: ticket.id })]);
  });

  it('derives the priority from the problem text unless one is given', async () => {
    expect((await create({ description: '紧急！数据库宕机' })).priority).toBe('URGENT');
    expect((await create({ description: '高优先级：报表导出失败' })).priority).toBe('HIGH');
    expect((await create({ description: '紧急！数据库宕机', priority: 'LOW' })).priority).toBe('LOW');
  });

  it('takes an explicit deadline', async () => {
    const deadline = new Date(Date.now() + 2 * 3_600_000).toISOString();
    expect((await create({ deadline })).deadline).toBe(deadline);
  });

  it('finds the customer by phone first, then by exact name, and creates one otherwise', async () => {
    const first = await create({ customerName: '钱七', customerPhone: '13900000001' });
    const byPhone = await create({ customerName: '钱七七', customerPhone: '139 0000 0001' });
    expect(byPhone.customer.id).toBe(first.customer.id);
    expect(byPhone.customer.name).toBe('钱七');

    const byName = await create({ customerName: '钱七', customerPhone: null });
    expect(byName.customer.id).toBe(first.customer.id);

    const other = await create({ customerName: '孙八', customerPhone: '13900000002' });
    expect(other.customer.id).not.toBe(first.customer.id);

    const noPhone = await create({ customerName: '周九', customerPhone: null });
    const phoneAddedLater = await create({ customerName: '周九', customerPhone: '13900000003' });
    expect(phoneAddedLater.customer).toMatchObject({ id: noPhone.customer.id, phone: '13900000003' });
  });

  it('fills in a missing company but never overwrites one', async () => {
    const first = await create({ customerName: '郑十三', customerPhone: '13900000020' });
    expect(first.customer.company).toBeNull();
    const filled = await create({ customerName: '郑十三', customerPhone: '13900000020', company: '郑氏科技' });
    expect(filled.customer).toMatchObject({ id: first.customer.id, company: '郑氏科技' });
    const kept = await create({ customerName: '郑十三', customerPhone: '13900000020', company: '别的公司' });
    expect(kept.customer).toMatchObject({ id: first.customer.id, company: '郑氏科技' });
  });

  it('refuses an ambiguous customer name, listing the candidates, and writes nothing', async () => {
    await create({ customerName: '吴十', customerPhone: '13900000010' });
    await create({ customerName: '吴十', customerPhone: '13900000011' });
    const [tickets, events, customers] = [await countRows('tickets'), await countRows('ticket_events'), await countRows('customers')];
    const error = errorOf(await t.gql(CreateTicketDocument, { input: { customerName: '吴十', description: '无法登录' } }, agent));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('有多位名为「吴十」的客户');
    expect(error.extensions?.['candidates']).toHaveLength(2);
    expect([await countRows('tickets'), await countRows('ticket_events'), await countRows('customers')]).toEqual([tickets, events, customers]);
  });

  it.each([
    [{ customerPhone: '12345' }, 'customerPhone', '手机号格式不正确'],
    [{ description: '  ' }, 'description', '问题描述不能为空'],
    [{ description: '长'.repeat(5001) }, 'description', '问题描述不能超过 5000 个字'],
    [{ title: '题'.repeat(201) }, 'title', '标题不能超过 200 个字'],
    [{ customerName: null, customerPhone: null }, 'customerName', '请提供客户姓名或手机号'],
    [{ deadline: '2020-01-01T00:00:00Z' }, 'deadline', '处理期限必须晚于当前时间'],
  ])('rejects bad input %#: %j', async (input, field, message) => {
    const tickets = await countRows('tickets');
    const error = errorOf(await t.gql(CreateTicketDocument, { input: { customerName: '张三', description: '服务器无法连接', ...input } }, agent));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field } });
    expect(error.message).toContain(message);
    expect(error.extensions?.['messageEn']).toEqual(expect.any(String));
    expect(await countRows('tickets')).toBe(tickets);
  });
});

describe('assignTicket', () => {
  let id: string;
  beforeEach(async () => {
    id = (await create()).id;
  });

  it.each([['lisi'], ['@李四'], ['小李']])('assigns by userid, display name or alias: %s', async (assignee) => {
    const ticket = dataOf(await t.gql(AssignTicketDocument, { id, assignee }, agent)).assignTicket;
    expect(ticket).toMatchObject({ status: 'ASSIGNED', assignedTo: 'lisi', assignedToName: '李四', version: 2 });
    const { events } = dataOf(await t.gql(TicketDocument, { id }, agent)).ticket;
    expect(events.map((e) => [e.type, e.from, e.to])).toEqual([
      ['CREATED', null, 'PENDING'],
      ['ASSIGNED', null, 'lisi'],
      ['STATUS_CHANGED', 'PENDING', 'ASSIGNED'],
    ]);
  });

  it('hands an assigned ticket over without changing its status', async () => {
    dataOf(await t.gql(AssignTicketDocument, { id, assignee: 'lisi' }, agent));
    const ticket = dataOf(await t.gql(AssignTicketDocument, { id, assignee: 'lisi2', note: '李四休假' }, agent)).assignTicket;
    expect(ticket).toMatchObject({ status: 'ASSIGNED', assignedTo: 'lisi2', assignedToName: '李思' });
    const { events } = dataOf(await t.gql(TicketDocument, { id }, agent)).ticket;
    expect(events.at(-1)).toMatchObject({ type: 'ASSIGNED', from: 'lisi', to: 'lisi2', note: '李四休假' });
  });

  it('lists the candidates for an ambiguous name and changes nothing', async () => {
    const error = errorOf(await t.gql(AssignTicketDocument, { id, assignee: '@赵六' }, agent));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('「赵六」对应多名员工：赵六(zhao1)、赵六(zhao2)');
    expect(error.extensions?.['candidates']).toEqual([
      { userId: 'zhao1', name: '赵六' },
      { userId: 'zhao2', name: '赵六' },
    ]);
    expect(dataOf(await t.gql(TicketDocument, { id }, agent)).ticket).toMatchObject({ status: 'PENDING', assignedTo: null, version: 1 });
  });

  it('suggests similar staff for an unknown name', async () => {
    const error = errorOf(await t.gql(AssignTicketDocument, { id, assignee: '李' }, agent));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('找不到员工「李」，是否指：');
    expect(error.extensions?.['candidates']).toEqual(expect.arrayContaining([{ userId: 'lisi', name: '李四' }]));
  });

  it('refuses to assign a closed ticket', async () => {
    dataOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'RESOLVED' }, agent));
    dataOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'CLOSED' }, agent));
    expect(errorOf(await t.gql(AssignTicketDocument, { id, assignee: 'lisi' }, agent)).code).toBe('INVALID_TRANSITION');
  });

  it('reports an unknown ticket as NOT_FOUND and a malformed id as BAD_USER_INPUT', async () => {
    expect(errorOf(await t.gql(AssignTicketDocument, { id: '999999', assignee: 'lisi' }, agent))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('工单 #999999 不存在') });
    expect(errorOf(await t.gql(AssignTicketDocument, { id: 'abc', assignee: 'lisi' }, agent)).code).toBe('BAD_USER_INPUT');
  });
});

describe('updateTicketStatus', () => {
  it('walks a ticket from pending to closed, with progress following status', async () => {
    const { id } = await create();
    const step = async (status: 'PROCESSING' | 'RESOLVED' | 'CLOSED', extra: { progress?: number; note?: string } = {}) =>
      dataOf(await t.gql(UpdateTicketStatusDocument, { id, status, ...extra }, agent)).updateTicketStatus;
    expect(await step('PROCESSING')).toMatchObject({ status: 'PROCESSING', progress: 80 });
    expect(await step('RESOLVED', { note: '网络配置错误，已修复' })).toMatchObject({ status: 'RESOLVED', progress: 100, resolvedAt: expect.any(String) });
    const closed = await step('CLOSED');
    expect(closed).toMatchObject({ status: 'CLOSED', progress: 100, closedAt: expect.any(String), version: 4 });
    const { events } = dataOf(await t.gql(TicketDocument, { id }, agent)).ticket;
    expect(events.map((e) => [e.type, e.from, e.to])).toEqual([
      ['CREATED', null, 'PENDING'],
      ['STATUS_CHANGED', 'PENDING', 'PROCESSING'],
      ['PROGRESS_CHANGED', '0', '80'],
      ['STATUS_CHANGED', 'PROCESSING', 'RESOLVED'],
      ['PROGRESS_CHANGED', '80', '100'],
      ['STATUS_CHANGED', 'RESOLVED', 'CLOSED'],
    ]);
    expect(events[3]!.note).toBe('网络配置错误，已修复');
  });

  it('records escalation as its own event type', async () => {
    const { id } = await create();
    dataOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'ESCALATED', note: '客户投诉' }, agent));
    const { events } = dataOf(await t.gql(TicketDocument, { id }, agent)).ticket;
    expect(events.at(-1)).toMatchObject({ type: 'ESCALATED', from: 'PENDING', to: 'ESCALATED', note: '客户投诉' });
  });

  it('updates progress alone when the status stays the same', async () => {
    const { id } = await create();
    dataOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'PROCESSING', progress: 20 }, agent));
    const ticket = dataOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'PROCESSING', progress: 50 }, agent)).updateTicketStatus;
    expect(ticket).toMatchObject({ status: 'PROCESSING', progress: 50 });
  });

  it('rejects an illegal transition with a reason, and changes nothing', async () => {
    const { id } = await create();
    dataOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'CANCELLED' }, agent));
    const events = await countRows('ticket_events');
    const error = errorOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'PROCESSING' }, agent));
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { from: 'CANCELLED', to: 'PROCESSING', allowed: [] } });
    expect(error.extensions?.['messageZh']).toBe('工单状态不能从「已取消」变更为「处理中」，该状态不可再变更');
    expect(await countRows('ticket_events')).toBe(events);
  });

  it.each([[-5], [101]])('rejects progress %d', async (progress) => {
    const { id } = await create();
    expect(errorOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'PROCESSING', progress }, agent))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'progress' } });
  });

  it('rejects an oversize note', async () => {
    const { id } = await create();
    expect(errorOf(await t.gql(UpdateTicketStatusDocument, { id, status: 'PROCESSING', note: '注'.repeat(2001) }, agent))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'note' } });
  });

  it('assigns with expectedVersion only a ticket still at that version (a first-come claim)', async () => {
    const { id, version } = await create();
    const stale = await t.gql(AssignTicketDocument, { id, assignee: 'lisi', expectedVersion: version - 1 }, agent);
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`工单 #${id} 已被其他人修改`), extensions: { version, expectedVersion: version - 1 } });
    expect(dataOf(await t.gql(TicketDocument, { id }, agent)).ticket).toMatchObject({ assignedTo: null, version });
    const claimed = dataOf(await t.gql(AssignTicketDocument, { id, assignee: 'lisi', expectedVersion: version }, agent)).assignTicket;
    expect(claimed).toMatchObject({ assignedTo: 'lisi', version: version + 1 });
  });

  it('lets exactly one of two concurrent updates win; the other gets CONFLICT', async () => {
    const { id } = await create();
    // Hold the row so both mutations read version 1 and then queue on the lock; release, and only one can commit.
    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    await client.query('begin');
    await client.query('select * from tickets where id = $1 for update', [Number(id)]);
    const racing = Promise.all([
      t.gql(UpdateTicketStatusDocument, { id, status: 'PROCESSING' }, agent),
      t.gql(UpdateTicketStatusDocument, { id, status: 'ESCALATED' }, agent),
    ]);
    await waitFor(async () => {
      const { rows } = await t.db.query<{ n: string }>(`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      return Number(rows[0]!.n) === 2;
    });
    await client.query('commit');
    await client.end();
    const results = await racing;
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(errorOf(losers[0]!)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`工单 #${id} 已被其他人同时修改`) });
    const { ticket } = dataOf(await t.gql(TicketDocument, { id }, agent));
    expect(ticket.version).toBe(2);
    expect(ticket.events).toHaveLength(winners[0]!.data!.updateTicketStatus.status === 'PROCESSING' ? 3 : 2);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ticket and tickets queries', () => {
  it('answers narrow selections, reading only what they need', async () => {
    const { id, customer } = await create();
    const response = await fetch(t.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` },
      body: JSON.stringify({ query: `{ ticket(id: "${id}") { __typename overdue ... on Ticket { customer { name } } } only: ticket(id: "${id}") { id } }` }),
    });
    expect(await response.json()).toEqual({ data: { ticket: { __typename: 'Ticket', overdue: false, customer: { name: customer.name } }, only: { id } } });
  });

  it('returns NOT_FOUND for an unknown ticket', async () => {
    expect(errorOf(await t.gql(TicketDocument, { id: '#424242' }, agent)).code).toBe('NOT_FOUND');
  });

  it('filters by status, priority, assignee, customer, overdue and text, newest first', async () => {
    const customer = `筛选客户${Date.now()}`;
    const a = await create({ customerName: customer, customerPhone: null, description: '打印机卡纸 紧急' });
    const b = await create({ customerName: customer, customerPhone: null, description: '显示器闪烁' });
    dataOf(await t.gql(AssignTicketDocument, { id: b.id, assignee: 'lisi' }, agent));
    await t.db.query(`update tickets set deadline = now() - interval '2 hours' where id = $1`, [Number(a.id)]);

    const ids = async (filter: Record<string, unknown>) =>
      dataOf(await t.gql(TicketsDocument, { filter: { customerId: a.customer.id, ...filter }, first: 50 }, agent)).tickets.edges.map((e) => e.node.id);

    expect(await ids({})).toEqual([b.id, a.id]);
    expect(await ids({ status: ['ASSIGNED'] })).toEqual([b.id]);
    expect(await ids({ priority: ['URGENT'] })).toEqual([a.id]);
    expect(await ids({ assignee: 'lisi' })).toEqual([b.id]);
    expect(await ids({ overdue: true })).toEqual([a.id]);
    expect(await ids({ overdue: false })).toEqual([b.id]);
    expect(await ids({ text: '闪烁' })).toEqual([b.id]);
    expect(await ids({ text: '100%_' })).toEqual([]);
    const overdue = dataOf(await t.gql(TicketDocument, { id: a.id }, agent)).ticket;
    expect(overdue.overdue).toBe(true);
  });

  it('pages through every ticket exactly once with opaque cursors', async () => {
    const total = dataOf(await t.gql(TicketsDocument, { first: 1 }, agent)).tickets.totalCount;
    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const { tickets } = dataOf(await t.gql(TicketsDocument, { first: 7, after }, agent));
      seen.push(...tickets.edges.map((e) => e.node.id));
      expect(tickets.totalCount).toBe(total);
      if (!tickets.pageInfo.hasNextPage) break;
      after = tickets.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((x, y) => y - x));
  });

  it('pages back from the last page to the first with last/before, as Relay clients do', async () => {
    const forward: string[] = [];
    let after: string | null | undefined;
    let lastPage;
    for (;;) {
      const { tickets } = dataOf(await t.gql(TicketsDocument, { first: 5, after }, agent));
      forward.push(...tickets.edges.map((e) => e.node.id));
      expect(tickets.pageInfo.hasPreviousPage).toBe(after !== undefined);
      expect(tickets.pageInfo.startCursor).toBe(tickets.edges[0]?.cursor ?? null);
      expect(tickets.pageInfo.endCursor).toBe(tickets.edges.at(-1)?.cursor ?? null);
      lastPage = tickets;
      if (!tickets.pageInfo.hasNextPage) break;
      after = tickets.pageInfo.endCursor;
    }

    const backward: string[][] = [lastPage.edges.map((e) => e.node.id)];
    let before = lastPage.pageInfo.startCursor;
    for (;;) {
      const { tickets } = dataOf(await t.gql(TicketsDocument, { last: 5, before }, agent));
      backward.unshift(tickets.edges.map((e) => e.node.id));
      expect(tickets.pageInfo.hasNextPage).toBe(true);
      if (!tickets.pageInfo.hasPreviousPage) break;
      before = tickets.pageInfo.startCursor;
    }
    // Newest first on every page, whichever way it was fetched.
    expect(backward.flat()).toEqual(forward);
    expect(backward[0]).toEqual(forward.slice(0, backward[0]!.length));
  });

  it('refuses first and last together, in both languages', async () => {
    const error = errorOf(await t.gql(TicketsDocument, { first: 5, last: 5 }, agent));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'last' } });
    expect(error.message).toContain('first');
  });

  it.each([[0], [101]])('rejects a backward page size of %d', async (last) => {
    expect(errorOf(await t.gql(TicketsDocument, { last }, agent))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'last' } });
  });

  it('rejects a bad before cursor', async () => {
    expect(errorOf(await t.gql(TicketsDocument, { last: 5, before: 'not-a-cursor' }, agent))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'before' } });
  });

  it.each([['not-a-cursor'], ['eyJmb28iOjF9'], ['']])('rejects a bad cursor %j', async (after) => {
    const response = await t.gql(TicketsDocument, { first: 5, after }, agent);
    if (after === '') {
      expect(dataOf(response).tickets.edges.length).toBeGreaterThan(0);
      return;
    }
    expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'after' } });
  });

  it.each([[0], [101]])('rejects a page size of %d', async (first) => {
    expect(errorOf(await t.gql(TicketsDocument, { first }, agent))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'first' } });
  });
});

describe('customers', () => {
  it('finds a customer with their latest tickets', async () => {
    const first = await create({ customerName: '冯十一', customerPhone: '13700000001', company: '冯氏集团' });
    const second = await create({ customerName: '冯十一', customerPhone: '13700000001', description: '登录失败报错500' });
    const { customer } = dataOf(await t.gql(CustomerDocument, { id: first.customer.id, first: 10 }, agent));
    expect(customer).toMatchObject({ name: '冯十一', phone: '13700000001', company: '冯氏集团' });
    expect(customer.tickets.map((x) => x.id)).toEqual([second.id, first.id]);
    expect(dataOf(await t.gql(CustomerDocument, { id: first.customer.id, first: 1 }, agent)).customer.tickets.map((x) => x.id)).toEqual([second.id]);
  });

  it('searches by name, phone or company', async () => {
    await create({ customerName: '陈十二', customerPhone: '13700000002', company: '陈记贸易' });
    const names = async (search: string) => dataOf(await t.gql(CustomersDocument, { search }, agent)).customers.edges.map((e) => e.node.name);
    expect(await names('陈十')).toEqual(['陈十二']);
    expect(await names('1370000000')).toEqual(expect.arrayContaining(['陈十二', '冯十一']));
    expect(await names('陈记')).toEqual(['陈十二']);
  });

  it('returns NOT_FOUND for an unknown customer', async () => {
    expect(errorOf(await t.gql(CustomerDocument, { id: '987654' }, agent)).code).toBe('NOT_FOUND');
  });
});

describe('under concurrency', () => {
  it('keeps every query of a use case inside its transaction, so a small pool never deadlocks', async () => {
    const small = await startTestApp({ DATABASE_POOL_MAX: '2' });
    try {
      const token = await small.token('lisi');
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          small.gql(CreateTicketDocument, { input: { customerName: `并发${i % 3}`, customerPhone: `1360000000${i % 3}`, description: `并发 ${i}` } }, token),
        ),
      );
      expect(results.filter((r) => r.errors)).toEqual([]);
      const { rows } = await small.db.query<{ n: string }>('select count(distinct customer_id) as n from tickets');
      expect(Number(rows[0]!.n)).toBe(3);
    } finally {
      await small.close();
    }
  });
});
