import { describe, expect, it, vi } from 'vitest';
import { startTestApp } from '../support/test-app.js';

interface State {
  bot: { connected: boolean };
  groups: { name: string }[];
  staff: { name: string }[];
}
interface ErrorBody {
  errors: { extensions: { code: string; messageZh: string } }[];
}
const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

/** /dev/wecom's JSON and event stream; the page itself is driven in test/browser/dev-wecom.test.ts. */
describe('the local WeCom routes', () => {
  it('lists groups and staff, takes messages, streams changes, and lets the service shut down with a stream open', async () => {
    const t = await startTestApp({ LOCAL_WECOM: 'on', OUTBOX_POLL_MS: '100', EVENT_LOG_POLL_MS: '100' });
    const base = `${t.app.http.url}/dev/wecom`;
    try {
      await vi.waitFor(async () => expect((await json<State>(await fetch(`${base}/api/state`))).bot.connected).toBe(true), { timeout: 10_000 });
      const state = await json<State>(await fetch(`${base}/api/state`));
      expect(state.groups.map((g) => g.name)).toEqual(['售后服务群', '运维支持群']);
      expect(state.staff.map((s) => s.name)).toEqual(['张三', '李四', '王五', '赵主管']);

      const events = await fetch(`${base}/api/events`);
      expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = events.body!.getReader();
      const post = (body: unknown) => fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const sent = await post({ chatId: 'wrLocalAfterSales', userId: 'zhangsan', text: '@工单助手 /帮助' });
      expect(sent.status).toBe(202);
      let streamed = '';
      while (!streamed.includes('工单助手可以做这些')) streamed += new TextDecoder().decode((await reader.read()).value);
      expect(streamed).toContain('"id":"wrLocalAfterSales"');

      const bad = await post({ userId: '张 三', text: 'x' });
      expect(bad.status).toBe(400);
      expect((await json<ErrorBody>(bad)).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      // Only the local WeCom's own staff and groups: nobody becomes a LEAD or a group by typing its id.
      const stranger = await json<ErrorBody>(await post({ chatId: 'wrLocalAfterSales', userId: 'stranger', text: '/帮助' }));
      expect(stranger.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: expect.stringContaining('本地企业微信没有这位员工') });
      const elsewhere = await json<ErrorBody>(await post({ chatId: 'wrSomewhereElse', userId: 'zhangsan', text: '/帮助' }));
      expect(elsewhere.errors[0]!.extensions.messageZh).toContain('本地企业微信没有这个群');
      expect((await fetch(`${base}`, { redirect: 'manual' })).headers.get('location')).toBe('/dev/wecom/');
      expect((await fetch(`${base}/`)).headers.get('content-security-policy')).toContain("default-src 'self'");
    } finally {
      await t.close();
    }
  });

  it('is not there unless the local WeCom runs', async () => {
    const t = await startTestApp();
    try {
      const response = await fetch(`${t.app.http.url}/dev/wecom/api/state`);
      expect(response.status).toBe(404);
      expect((await json<ErrorBody>(response)).errors[0]!.extensions.code).toBe('NOT_FOUND');
    } finally {
      await t.close();
    }
  });
});
