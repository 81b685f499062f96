import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Every route the service serves (an unknown path too): each must answer malformed input with JSON. */
const ROUTES = ['/graphql', '/healthz', '/readyz', '/dashboard/', '/admin/jobs/', '/api/admin/reminders/run', '/no/such/route'];

const MALFORMED: { name: string; contentType: string; body: string | Buffer; status: number; code: string }[] = [
  { name: 'a body that is not JSON', contentType: 'application/json', body: 'not json', status: 400, code: 'BAD_REQUEST' },
  { name: 'truncated JSON', contentType: 'application/json', body: '{"query": "{ me { id } }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'a form body', contentType: 'application/x-www-form-urlencoded', body: 'query=%7B%7D', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'plain text', contentType: 'text/plain', body: '{ me { id } }', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'an unsupported charset', contentType: 'application/json; charset=latin-9', body: '{}', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'an oversize body', contentType: 'application/json', body: JSON.stringify({ query: `{ me { id } }`, variables: { x: 'x'.repeat(300 * 1024) } }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
];

describe('malformed HTTP requests get coded JSON errors on every route', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('boss', StaffRole.ADMIN);
  });
  afterAll(async () => t?.close());

  async function post(route: string, contentType: string, body: string | Buffer) {
    const response = await fetch(`${t.app.http.url}${route}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${admin}` }, body });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  for (const route of ROUTES) {
    for (const bad of MALFORMED) {
      it(`${route}: ${bad.name} → ${bad.status} ${bad.code}`, async () => {
        const response = await post(route, bad.contentType, bad.body);
        expect(response.status).toBe(bad.status);
        expect(response.contentType).toMatch(/^application\/json/);
        expect(response.text).not.toMatch(/<html|<pre|\bat \S+ \(|SyntaxError|node_modules/i);
        const { errors } = JSON.parse(response.text) as { errors: { message: string; extensions: { code: string; messageZh: string; messageEn: string } }[] };
        expect(errors).toHaveLength(1);
        expect(errors[0]!.extensions.code).toBe(bad.code);
        expect(errors[0]!.extensions.messageZh).toMatch(/\p{Script=Han}/u);
        expect(errors[0]!.extensions.messageEn).toMatch(/[A-Za-z]{3,}/);
      });
    }
  }

  it('an unknown path answers 404 as JSON, whatever the method', async () => {
    const response = await fetch(`${t.app.http.url}/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });

  it('well-formed requests still work beside them', async () => {
    const query = await post('/graphql', 'application/json', JSON.stringify({ query: '{ me { id } }' }));
    expect(query.status).toBe(200);
    expect(JSON.parse(query.text)).toEqual({ data: { me: null } });
    const bodiless = await fetch(`${t.app.http.url}/api/admin/reminders/run`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(await bodiless.json()).toMatchObject({ success: true });
  });
});
