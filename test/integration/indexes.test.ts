import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket } from '../../src/db/entities/index.js';
import { ServiceReportRepository, type Statement } from '../../src/db/repositories/service-report.repository.js';
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
async function plan(sql: string, params: readonly unknown[] = []): Promise<string> {
  const client = new pg.Client({ connectionString: t.db.url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('set local enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, [...params]);
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

describe('the service report and the team figures', () => {
  const span = { start: new Date('2026-11-30T16:00:00Z'), end: new Date('2026-12-31T16:00:00Z') };
  const reads = () => new ServiceReportRepository(t.app.orm.em.fork()).statements;
  /** MikroORM's `?` placeholders as PostgreSQL's `$1, $2, …`. */
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };

  it.each<[string, () => Statement, string[]]>([
    ["a customer's tickets created in a period, with their events", () => reads().customerTickets(1, span), ['tickets_customer_created_idx', 'ticket_events_ticket_id_idx']],
    ['the open tickets now', () => reads().openTickets(new Date()), ['tickets_open_deadline_idx']],
    ['the first resolutions in a period', () => reads().resolutions(span), ['ticket_events_resolved_idx', 'ticket_events_reopened_idx']],
    ['the reminders in a period', () => reads().reminders(span), ['ticket_events_reminded_idx']],
    ['the ratings in a period', () => reads().ratings(span), ['ticket_events_by_customers_idx']],
  ])('read %s through %j, never a scan', async (_, statement, indexes) => {
    const { sql, params } = statement();
    const shown = await plan(numbered(sql), params);
    for (const index of indexes) expect(shown).toContain(index);
    expect(shown).not.toContain('Seq Scan');
  });
});
