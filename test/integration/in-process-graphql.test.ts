import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticatedActor } from '../../src/auth/tokens.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { CreateTicketDocument, TicketDocument, UpdateTicketStatusDocument, UpsertStaffDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const agent: AuthenticatedActor = { userId: 'zhangsan', role: StaffRole.AGENT, name: '张三' };

describe('the API run in process, as the chat adapter runs it', () => {
  it('creates a ticket as the sender, which API clients then see with its author', async () => {
    const created = await t.app.operations.run(CreateTicketDocument, { input: { customerName: '王五', customerPhone: '13800138000', description: '服务器无法连接' } }, agent);
    if (!created.ok) throw new Error(created.error.message);
    const id = created.data.createTicket.id;
    const seen = dataOf(await t.gql(TicketDocument, { id }, await t.token('lisi'))).ticket;
    expect(seen).toMatchObject({ id, createdBy: 'zhangsan', status: 'PENDING', customer: { name: '王五', phone: '13800138000' } });
  });

  it('returns refusals with their code and the Chinese message, not as exceptions', async () => {
    const created = await t.app.operations.run(CreateTicketDocument, { input: { customerName: '王五', description: '打印机卡纸' } }, agent);
    if (!created.ok) throw new Error(created.error.message);
    const id = created.data.createTicket.id;
    for (const status of ['RESOLVED', 'CLOSED'] as const) {
      expect(await t.app.operations.run(UpdateTicketStatusDocument, { id, status }, agent)).toMatchObject({ ok: true });
    }
    const refused = await t.app.operations.run(UpdateTicketStatusDocument, { id, status: 'PROCESSING' }, agent);
    expect(refused).toEqual({ ok: false, error: { code: 'INVALID_TRANSITION', message: expect.stringMatching(/已关闭/) } });
    expect(refused.ok === false && refused.error.message).not.toMatch(/[A-Za-z]{4,}/);

    expect(await t.app.operations.run(TicketDocument, { id: '99999' }, agent)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/99999/) } });
    expect(await t.app.operations.run(CreateTicketDocument, { input: { customerName: '王五', description: '网'.repeat(6000) } }, agent)).toMatchObject({
      ok: false,
      error: { code: 'BAD_USER_INPUT' },
    });
  });

  it('holds the sender to their role', async () => {
    const refused = await t.app.operations.run(UpsertStaffDocument, { input: { userId: 'lisi', name: '李四' } }, agent);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
