import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { CreateTicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  token = await t.token('lisi', StaffRole.AGENT);
});
afterAll(() => t.close());

async function post(query: string) {
  const response = await fetch(t.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const nested = (depth: number): string => (depth === 0 ? 'id' : `id customer { tickets { ${nested(depth - 1)} } }`);

describe('query limits (GraphQL Armor)', () => {
  it('accepts ordinary queries', async () => {
    const { body } = await post(`{ tickets(first: 5) { edges { node { ${nested(2)} } } } }`);
    expect(body.errors).toBeUndefined();
  });

  it('rejects queries nested too deep', async () => {
    const { body } = await post(`{ tickets { edges { node { ${nested(6)} } } } }`);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: tickets { totalCount }`).join(' ');
    const { body } = await post(`{ ${aliases} }`);
    expect(body.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('rejects oversized documents', async () => {
    const values = Array.from({ length: 2500 }, (_, i) => i).join(', ');
    const { body } = await post(`query Big($ids: [Int] = [${values}]) { tickets(first: 1) { totalCount } }`);
    expect(body.errors?.[0]?.message).toMatch(/token/i);
  });

  it('does not suggest field names to a prober', async () => {
    const { body } = await post('{ tickets { edges { node { titl } } } }');
    expect(body.errors?.[0]?.message).toBe('Cannot query field "titl" on type "Ticket".');
  });
});

describe('health endpoints', () => {
  it('reports liveness and readiness', async () => {
    const live = await fetch(`${t.app.http.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.app.http.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
  });

  it('reports not ready, while staying alive, when the database goes away', async () => {
    const doomed = await startTestApp();
    try {
      const token = await doomed.token('lisi');
      // Leave idle connections in both pools, so the drop kills them under the running service.
      dataOf(await doomed.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', description: '服务器无法连接' } }, token));
      dataOf(await doomed.gql(CreateTicketDocument, { input: { customerName: '张三', customerPhone: '13800138000', description: '服务器无法连接' } }, token));
      await doomed.db.drop();
      const ready = await fetch(`${doomed.app.http.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
      expect((await fetch(`${doomed.app.http.url}/healthz`)).status).toBe(200);
    } finally {
      await doomed.close();
    }
  });
});
