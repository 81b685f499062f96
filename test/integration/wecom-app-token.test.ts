import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWeComHttpApi } from '../../src/local-wecom/http-api-server.js';
import { createLogger } from '../../src/logger.js';
import { WeComApiError, WeComAppClient } from '../../src/wecom/app-api.js';

/** The self-built app's access token against the local WeCom, on a clock the test moves. */
describe('the app access token', () => {
  let now = new Date('2026-12-01T08:00:00Z');
  const clock = { now: () => now };
  let api: FakeWeComHttpApi;
  const credentials = (secret = 'app-secret') => ({ corpId: 'ww-token-test', secret, agentId: 1000002, apiBase: api.url });

  beforeAll(async () => {
    api = await FakeWeComHttpApi.start({ corpId: 'ww-token-test', apps: [{ agentId: 1000002, secret: 'app-secret' }], tokenExpiresInSeconds: 600, now: clock.now });
  });
  afterAll(() => api?.close());

  it('is fetched once for many calls, even concurrent ones, and again before it expires', async () => {
    const client = new WeComAppClient(credentials(), clock, createLogger('silent'));
    const before = api.gettokenCalls;
    await Promise.all([client.directory(), client.directory(), client.directory()]);
    await client.directory();
    expect(api.gettokenCalls - before).toBe(1);
    now = new Date(now.getTime() + 500_000); // 100 s before WeCom's expiry: refreshed early
    await client.directory();
    expect(api.gettokenCalls - before).toBe(2);
    expect(api.requests.filter((r) => (r.response as { errcode?: number } | undefined)?.errcode === 42001)).toEqual([]);
  });

  it('replaces a token WeCom revoked, once, and says what WeCom answered when it cannot', async () => {
    const client = new WeComAppClient(credentials(), clock, createLogger('silent'));
    await client.directory();
    const before = api.gettokenCalls;
    api.revokeTokens();
    expect((await client.directory()).length).toBeGreaterThan(0);
    expect(api.gettokenCalls - before).toBe(1);
    const wrong = new WeComAppClient(credentials('wrong-secret'), clock, createLogger('silent'));
    await expect(wrong.directory()).rejects.toBeInstanceOf(WeComApiError);
    await expect(wrong.directory()).rejects.toMatchObject({ errcode: 40091 });
  });
});
