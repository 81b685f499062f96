import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/issue-token.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { AppError } from '../../src/domain/errors.js';
import { MeDocument, UpsertStaffDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('npm run token', () => {
  it('creates the staff record if missing and issues a token that works against the API', async () => {
    const token = await issueToken(t.app.staff, TEST_JWT_SECRET, { userId: 'newcomer', role: StaffRole.ADMIN, name: '新同事' });
    expect(dataOf(await t.gql(MeDocument, {}, token)).me).toEqual({ userId: 'newcomer', name: '新同事', role: 'ADMIN' });
    expect(dataOf(await t.gql(UpsertStaffDocument, { input: { userId: 'lisi', name: '李四' } }, token)).upsertStaff.userId).toBe('lisi');
  });

  it('keeps an existing staff record as it is', async () => {
    const token = await issueToken(t.app.staff, TEST_JWT_SECRET, { userId: 'lisi', role: StaffRole.AGENT, name: '别的名字' });
    expect(dataOf(await t.gql(MeDocument, {}, token)).me).toMatchObject({ userId: 'lisi', name: '李四' });
  });

  it('refuses a malformed userid', async () => {
    await expect(issueToken(t.app.staff, TEST_JWT_SECRET, { userId: 'bad id', role: StaffRole.AGENT })).rejects.toBeInstanceOf(AppError);
  });
});
