import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWeComHttpApi } from '../../src/local-wecom/http-api-server.js';
import { createLogger } from '../../src/logger.js';
import { WeComAppClient } from '../../src/wecom/app-api.js';
import { SenderIds } from '../../src/wecom/sender-ids.js';

/** Smart-robot sender ids through the self-built app against the local WeCom (reference 6: openuserid_to_userid). */
describe('smart-robot sender ids', () => {
  let api: FakeWeComHttpApi;
  const clock = { now: () => new Date() };
  const client = (secret = 'app-secret') => new WeComAppClient({ corpId: 'ww-sender-test', secret, agentId: 1000002, apiBase: api.url }, clock, createLogger('silent'));
  const translations = () => api.requests.filter((r) => r.path.startsWith('/cgi-bin/batch/openuserid_to_userid')).length;

  beforeAll(async () => {
    api = await FakeWeComHttpApi.start({ corpId: 'ww-sender-test', apps: [{ agentId: 1000002, secret: 'app-secret' }] });
  });
  afterAll(() => api?.close());

  it('translates an encrypted open_userid to the userid, keeps a plain userid, and asks about each id once', async () => {
    const senders = new SenderIds(client(), createLogger('silent'));
    const before = translations();
    expect(await senders.userIdOf('woAJ2GCAAAzhangsanOpenUserid0001')).toBe('zhangsan');
    expect(await senders.userIdOf('lisi')).toBe('lisi');
    expect(await Promise.all([senders.userIdOf('woAJ2GCAAAzhangsanOpenUserid0001'), senders.userIdOf('lisi')])).toEqual(['zhangsan', 'lisi']);
    expect(translations() - before).toBe(2);
  });

  it('asks about concurrent messages of one new sender once', async () => {
    const senders = new SenderIds(client(), createLogger('silent'));
    const before = translations();
    expect(await Promise.all([1, 2, 3].map(() => senders.userIdOf('woAJ2GCAAAwangwuOpenUserid000004')))).toEqual(['wangwu', 'wangwu', 'wangwu']);
    expect(translations() - before).toBe(1);
  });

  it('uses the id as it came while WeCom cannot be asked, and asks again next time', async () => {
    const senders = new SenderIds(client('wrong-secret'), createLogger('silent'));
    expect(await senders.userIdOf('woAJ2GCAAAzhangsanOpenUserid0001')).toBe('woAJ2GCAAAzhangsanOpenUserid0001');
    expect(await new SenderIds(undefined, createLogger('silent')).userIdOf('woAJ2GCAAAzhangsanOpenUserid0001')).toBe('woAJ2GCAAAzhangsanOpenUserid0001');
  });
});
