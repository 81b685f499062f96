import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { CreateTicketDocument, MeDocument, StaffMembersDocument, TicketsDocument, UpsertStaffDocument } from '../support/graphql.generated.js';
import { dataOf, errorOf, execute } from '../support/graphql-client.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const newTicket = { input: { customerName: '张三', description: '服务器无法连接' } };
const key = (secret: string) => new TextEncoder().encode(secret);

async function rawPost(headers: Record<string, string>) {
  const response = await fetch(t.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ tickets { totalCount } }' }),
  });
  return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions: { code: string } }[] } };
}

describe('authentication', () => {
  it('refuses anonymous reads, writes and introspection with 401 UNAUTHENTICATED', async () => {
    for (const response of [await t.gql(TicketsDocument, {}), await t.gql(CreateTicketDocument, newTicket)]) {
      expect(response.status).toBe(401);
      expect(errorOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('请先登录') });
    }
    const introspection = await fetch(t.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { types { name } } }' }) });
    expect(introspection.status).toBe(401);
  });

  it.each([
    ['a malformed header', async () => 'Token abc', '格式应为'],
    ['a forged token', async () => `Bearer ${await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256' }).setSubject('evil').setIssuer('wecom-tickets').setExpirationTime('1h').sign(key('another-secret-another-secret-another'))}`, '令牌无效'],
    ['an expired token', async () => `Bearer ${await new SignJWT({ role: 'AGENT' }).setProtectedHeader({ alg: 'HS256' }).setSubject('lisi').setIssuer('wecom-tickets').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key(TEST_JWT_SECRET))}`, '已过期'],
    ['an unsigned token', async () => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"lisi","role":"ADMIN"}').toString('base64url')}.`, '令牌无效'],
    ['a token without a role', async () => `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('lisi').setIssuer('wecom-tickets').setExpirationTime('1h').sign(key(TEST_JWT_SECRET))}`, '角色'],
  ])('rejects %s with 401', async (_name, header, message) => {
    const { status, body } = await rawPost({ authorization: await header() });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toContain(message);
  });
});

describe('authorization by role', () => {
  it('lets any role read and AGENT and above write', async () => {
    for (const role of [StaffRole.AGENT, StaffRole.LEAD, StaffRole.ADMIN]) {
      const token = await t.token(`user-${role}`, role);
      expect(dataOf(await t.gql(TicketsDocument, {}, token)).tickets.totalCount).toBeGreaterThanOrEqual(0);
      expect(dataOf(await t.gql(CreateTicketDocument, newTicket, token)).createTicket.createdBy).toBe(`user-${role}`);
    }
  });

  it('keeps staff administration to ADMIN', async () => {
    const input = { userId: 'lisi', name: '李四', role: 'LEAD' as const };
    for (const role of [StaffRole.AGENT, StaffRole.LEAD]) {
      const error = errorOf(await t.gql(UpsertStaffDocument, { input }, await t.token('someone', role)));
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toContain('需要 ADMIN 或更高权限');
    }
    const admin = await t.token('boss', StaffRole.ADMIN);
    expect(dataOf(await t.gql(UpsertStaffDocument, { input }, admin)).upsertStaff).toMatchObject({ userId: 'lisi', name: '李四', role: 'LEAD' });
    expect(dataOf(await t.gql(StaffMembersDocument, { search: '李' }, admin)).staffMembers.map((s) => s.userId)).toEqual(['lisi']);
  });

  it('validates staff records', async () => {
    const admin = await t.token('boss', StaffRole.ADMIN);
    const error = errorOf(await t.gql(UpsertStaffDocument, { input: { userId: 'has space', name: '某人' } }, admin));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'userId' } });
  });

  it('tells a caller who they are', async () => {
    const admin = await t.token('boss', StaffRole.ADMIN);
    await t.gql(UpsertStaffDocument, { input: { userId: 'wang', name: '王五', role: 'AGENT' } }, admin);
    expect(dataOf(await t.gql(MeDocument, {}, await t.token('wang'))).me).toEqual({ userId: 'wang', name: '王五', role: 'AGENT' });
    expect(dataOf(await t.gql(MeDocument, {}, await t.token('nobody'))).me).toBeNull();
  });

  it('sends the same bearer token the CLI issues', async () => {
    const response = await execute(t.endpoint, TicketsDocument, {}, await t.token('lisi', StaffRole.LEAD, '李四'));
    expect(response.status).toBe(200);
  });
});
