import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ormOptions } from '../../src/db/orm.js';
import { createTestDatabase } from '../support/database.js';
import { ProblemTermCount } from '../../src/db/entities/index.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import type { DevChannel } from '../../src/notifications/dev-channel.js';
import { CreateTicketDocument, SimilarTicketsDocument, UpdateTicketStatusDocument } from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Similar past problems on hand-written Chinese tickets: paraphrases of one problem (exporting
 * data) among other problems, some sharing its words (数据, 无法, 报表) without being it.
 */
describe('similar tickets', () => {
  let t: TestApp;
  let token: string;
  const id: Record<string, string> = {};
  let customerA = '';

  const PROBLEMS: Array<[key: string, customer: string, description: string]> = [
    ['export', '张三', '无法导出数据，点击导出按钮没有反应'],
    ['exportReport', '李雷', '财务报表导出失败，提示导出超时'],
    ['exportExcel', '韩梅梅', '数据导出成Excel的时候报错'],
    ['login', '张三', '无法登录系统，一直提示密码错误'],
    ['loginAgain', '李雷', '登录不上去，输入密码后页面没反应'],
    ['printer', '王五', '打印机无法打印，任务一直卡在队列里'],
    ['server', '王五', '服务器无法连接，远程桌面超时'],
    ['reportFigures', '韩梅梅', '月度报表数据不对，合计金额算错了'],
    ['dataLoss', '张三', '昨天录入的数据不见了'],
    ['invoice', '李雷', '电子发票开不出来，提示税号错误'],
    ['cancelledExport', '王五', '无法导出数据，点击导出按钮没有反应'],
  ];

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    token = await t.token('admin', StaffRole.ADMIN, '管理员');
    for (const [key, customerName, description] of PROBLEMS) {
      const created = dataOf(await t.gql(CreateTicketDocument, { input: { customerName, customerPhone: phoneOf(customerName), description } }, token)).createTicket;
      id[key] = created.id;
      if (key === 'export') customerA = created.customer.id;
    }
    await t.gql(UpdateTicketStatusDocument, { id: id['export']!, status: 'RESOLVED', note: '清理浏览器缓存后导出恢复正常' }, token);
    await t.gql(UpdateTicketStatusDocument, { id: id['exportReport']!, status: 'RESOLVED' }, token);
    await t.gql(UpdateTicketStatusDocument, { id: id['cancelledExport']!, status: 'CANCELLED' }, token);
  });
  afterAll(() => t?.close());

  const phoneOf = (name: string) => ({ 张三: '13800138000', 李雷: '13800138001', 韩梅梅: '13800138002', 王五: '13800138003' })[name]!;
  const similar = async (text: string, extra: { customerId?: string; limit?: number } = {}) => dataOf(await t.gql(SimilarTicketsDocument, { text, ...extra }, token)).similarTickets;
  const keyOf = (ticketId: string) => Object.entries(id).find(([, v]) => v === ticketId)?.[0];

  describe.each([
    ['before the first count of terms', false],
    ['with terms counted', true],
  ])('%s', (_, counted) => {
    beforeAll(async () => {
      if (counted) await t.app.orm.em.fork().getRepository(ProblemTermCount).recount();
    });

    it('ranks paraphrases of the same problem above tickets that only share its words', async () => {
      const found = await similar('导出数据一直失败');
      const keys = found.map((f) => keyOf(f.ticket.id));
      const exports = ['export', 'exportReport', 'exportExcel'];
      expect(keys.slice(0, 3).sort()).toEqual([...exports].sort());
      for (const other of found.slice(3)) expect(other.score).toBeLessThan(found[2]!.score);
      expect(found.map((f) => f.score)).toEqual([...found.map((f) => f.score)].sort((a, b) => b - a));
      expect(found.every((f) => f.score > 0 && f.score <= 1)).toBe(true);
    });

    it('finds a login problem said differently', async () => {
      const [first, second] = await similar('登录失败，输入密码以后进不去');
      expect([keyOf(first!.ticket.id), keyOf(second!.ticket.id)].sort()).toEqual(['login', 'loginAgain']);
    });

    it('never returns cancelled tickets, even a word-for-word match', async () => {
      const found = await similar('无法导出数据，点击导出按钮没有反应', { limit: 20 });
      expect(keyOf(found[0]!.ticket.id)).toBe('export');
      expect(found[0]!.score).toBe(1);
      expect(found.map((f) => f.ticket.id)).not.toContain(id['cancelledExport']);
      expect(found.every((f) => f.ticket.status !== 'CANCELLED')).toBe(true);
    });

    it('says how each was resolved: the note, when and by whom', async () => {
      const [best] = await similar('无法导出数据');
      expect(best!.ticket).toMatchObject({ id: id['export'], status: 'RESOLVED' });
      expect(best!.resolution).toMatchObject({ note: '清理浏览器缓存后导出恢复正常', resolvedBy: '管理员' });
      const report = (await similar('财务报表导出失败')).find((f) => f.ticket.id === id['exportReport'])!;
      expect(report.resolution).toBeNull();
    });

    it('keeps to one customer when asked, and to the limit', async () => {
      const found = await similar('数据导出失败', { customerId: customerA });
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((f) => ['export', 'login', 'dataLoss'].includes(keyOf(f.ticket.id)!))).toBe(true);
      expect(keyOf(found[0]!.ticket.id)).toBe('export');
      expect(await similar('无法', { limit: 2 })).toHaveLength(2);
    });

    it('finds nothing for words no ticket has, or for no words at all', async () => {
      expect(await similar('鼠标滚轮失灵')).toEqual([]);
      expect(await similar('？！…')).toEqual([]);
    });
  });

  it('refuses a limit out of range with a coded error', async () => {
    const error = errorOf(await t.gql(SimilarTicketsDocument, { text: '无法导出', limit: 50 }, token));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('1 到 20');
  });

  it('names the best earlier match on a new ticket\'s card', async () => {
    const created = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '赵六', customerPhone: '13800138009', description: '无法导出数据，点击导出按钮没有反应' } }, token)).createTicket;
    const unrelated = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '赵六', customerPhone: '13800138009', description: '会议室投影仪没有信号' } }, token)).createTicket;
    const delivered = async () => (await (t.app.channel as DevChannel).delivered('chat:default')).map((m) => m.text);
    await vi.waitFor(async () => expect(await delivered()).toContainEqual(expect.stringContaining(`#ID${unrelated.id}`)), { timeout: 5000 });
    const card = (await delivered()).find((text) => text.includes(`#ID${created.id}`))!;
    expect(card).toContain(`相似问题：#${id['export']} 无法导出数据，点击导出按钮没有反应（已解决）`);
    expect((await delivered()).find((text) => text.includes(`#ID${unrelated.id}`))).not.toContain('相似问题');
  });
});

describe('the similar-tickets migration', () => {
  it('gives the tickets already stored their terms, and counts them', async () => {
    const db = await createTestDatabase({ empty: true });
    const orm = await MikroORM.init(ormOptions({ url: db.url }));
    try {
      await orm.migrator.up({ to: 'Migration20261204022832' });
      const { rows: [customer] } = await db.query<{ id: number }>(`insert into customers (name, created_at, updated_at) values ('张三', now(), now()) returning id`);
      for (const description of ['无法导出数据', '打印机无法打印']) {
        await db.query(
          `insert into tickets (title, description, priority, customer_id, deadline, created_at, updated_at, version) values ($1, $2, 'NORMAL', $3, now(), now(), now(), 1)`,
          [description, description, customer!.id],
        );
      }
      await orm.migrator.up();
      const { rows } = await db.query<{ terms: string }>('select problem_terms::text as terms from tickets order by id');
      expect(rows.map((r) => r.terms)).toEqual([`'导出' '数据' '无法'`, `'打印' '无法'`]);
      const { rows: counts } = await db.query<{ term: string; tickets: number }>('select term, tickets from problem_term_counts order by term');
      expect(counts).toEqual([{ term: '', tickets: 2 }, { term: '导出', tickets: 1 }, { term: '打印', tickets: 1 }, { term: '数据', tickets: 1 }, { term: '无法', tickets: 2 }]);
    } finally {
      await orm.close();
      await db.drop();
    }
  });
});
