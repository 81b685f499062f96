import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket } from '../../src/db/entities/index.js';
import { ticketWhere, type TicketFilter } from '../../src/tickets/ticket-queries.js';
import { Priority } from '../../src/domain/priority.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The page query the tickets listing sends for this filter, with its parameters inlined. */
function pageQuery(filter: TicketFilter): string {
  return t.app.orm.em.fork().createQueryBuilder(Ticket).where(ticketWhere(filter, new Date()) as never).orderBy({ id: 'desc' }).limit(21).getFormattedQuery();
}

/** The plan with sequential scans priced out: it shows whether an index can serve the query at all. */
async function plan(sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: t.db.url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('set local enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${sql}`);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('rollback');
    await client.end();
  }
}

describe('every tickets filter has an index', () => {
  it.each<[TicketFilter, string]>([
    [{ status: [TicketStatus.PENDING] }, 'tickets_status_priority_idx'],
    [{ status: [TicketStatus.ASSIGNED], priority: [Priority.URGENT] }, 'tickets_status_priority_idx'],
    [{ assignee: 'lisi' }, 'tickets_assignee_idx'],
    [{ customerId: 1 }, 'tickets_customer_id_idx'],
    [{ overdue: true }, 'tickets_open_deadline_idx'],
    [{ text: '服务器' }, 'tickets_text_trgm_idx'],
    // Equality: the name index or the prefix index, whichever the planner prefers.
    [{ customerName: '张三' }, 'Index Scan using customers_name'],
    [{ customerNamePrefix: '张' }, 'Index Scan using customers_name_prefix_idx'],
    [{ customerPhone: '13800138000' }, 'customers_phone_unique'],
  ])('%j uses %s', async (filter, index) => {
    expect(await plan(pageQuery(filter))).toContain(index);
  });
});

describe('following the event log', () => {
  it('reads the events after a position through the (tx_id, id) index', async () => {
    const sql = `select id from ticket_events where (tx_id, id) > ('100'::xid8, 5::bigint) order by tx_id, id limit 500`;
    expect(await plan(sql)).toContain('ticket_events_position_idx');
  });
});
