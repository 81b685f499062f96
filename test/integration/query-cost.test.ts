import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { AssignTicketDocument, CreateTicketDocument, TicketsWithEverythingDocument, UpsertStaffDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let token: string;

beforeAll(async () => {
  // API only: the statements counted are the request's, not a worker's polling.
  t = await startTestApp({ SERVICE_ROLE: 'api' });
  token = await t.token('boss', StaffRole.ADMIN);
  dataOf(await t.gql(UpsertStaffDocument, { input: { userId: 'lisi', name: '李四' } }, token));
  for (let i = 0; i < 60; i++) {
    const { createTicket } = dataOf(
      await t.gql(CreateTicketDocument, { input: { customerName: `客户${i % 12}`, customerPhone: `1390000${String(i % 12).padStart(4, '0')}`, description: `问题 ${i}` } }, token),
    );
    if (i % 2 === 0) dataOf(await t.gql(AssignTicketDocument, { id: createTicket.id, assignee: 'lisi' }, token));
  }
});
afterAll(() => t.close());

async function statementsFor(first: number): Promise<{ statements: number; tickets: number }> {
  t.sql.length = 0;
  const { tickets } = dataOf(await t.gql(TicketsWithEverythingDocument, { first }, token));
  return { statements: t.sql.length, tickets: tickets.edges.length };
}

describe('N+1', () => {
  it('loads a page of tickets with customers, their tickets, events and reminders in a constant number of SQL statements', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.tickets).toBe(5);
    expect(large.tickets).toBe(50);
    // page + count, customers, customers' recent tickets, events, reminders
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(6);
  });
});
