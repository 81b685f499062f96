import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { GroupWebhooksDocument, RemoveGroupWebhookDocument, SetGroupWebhookDocument } from '../support/graphql.generated.js';
import { dataOf, errorOf } from '../support/graphql-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const KEY_URL = (key: string) => `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`;

describe('group webhooks, for admins', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ GROUP_WEBHOOK_URL: KEY_URL('default-key-0001') });
    admin = await t.token('admin', StaffRole.ADMIN, '管理员');
  });
  afterAll(() => t?.close());

  it('lists the configured default webhook without its key, and sets, replaces and removes a group\'s', async () => {
    expect(dataOf(await t.gql(GroupWebhooksDocument, {}, admin)).groupWebhooks).toEqual([expect.objectContaining({ chatId: null, label: 'webhook …0001', dead: false })]);
    const set = dataOf(await t.gql(SetGroupWebhookDocument, { chatId: 'wrGroupA', url: KEY_URL('group-a-key-aaaa') }, admin)).setGroupWebhook;
    expect(set).toEqual({ chatId: 'wrGroupA', label: 'webhook …aaaa', dead: false });
    expect(t.app.webhooks.serves('chat:wrGroupA')).toBe(true);
    expect(JSON.stringify(dataOf(await t.gql(GroupWebhooksDocument, {}, admin)))).not.toContain('group-a-key');

    await t.app.webhooks.markDead(KEY_URL('group-a-key-aaaa'), 'webhook …aaaa answered 93000 invalid webhook url');
    expect(t.app.webhooks.serves('chat:wrGroupA')).toBe(false);
    const listed = dataOf(await t.gql(GroupWebhooksDocument, {}, admin)).groupWebhooks.find((w) => w.chatId === 'wrGroupA');
    expect(listed).toMatchObject({ dead: true, lastError: expect.stringContaining('93000'), deadAt: expect.any(String) });
    // An admin setting it (a new key, or the same one after re-adding the robot) revives it.
    expect(dataOf(await t.gql(SetGroupWebhookDocument, { chatId: 'wrGroupA', url: KEY_URL('group-a-key-bbbb') }, admin)).setGroupWebhook).toMatchObject({ label: 'webhook …bbbb', dead: false });
    expect(t.app.webhooks.serves('chat:wrGroupA')).toBe(true);

    expect(dataOf(await t.gql(RemoveGroupWebhookDocument, { chatId: 'wrGroupA' }, admin)).removeGroupWebhook).toBe(true);
    expect(dataOf(await t.gql(RemoveGroupWebhookDocument, { chatId: 'wrGroupA' }, admin)).removeGroupWebhook).toBe(false);
    expect(t.app.webhooks.serves('chat:wrGroupA')).toBe(false);
  });

  it('refuses a URL without a key, and anyone but an admin', async () => {
    const bad = errorOf(await t.gql(SetGroupWebhookDocument, { chatId: 'wrGroupB', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' }, admin));
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageZh: expect.stringContaining('带 key 的地址') });
    const agent = await t.token('lisi', StaffRole.AGENT, '李四');
    expect(errorOf(await t.gql(GroupWebhooksDocument, {}, agent)).code).toBe('FORBIDDEN');
  });
});
