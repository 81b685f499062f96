import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../src/chat/byte-limit.js';
import { DeliveryChannel, NotificationKind } from '../../src/domain/notification.js';
import type { Channel } from '../../src/notifications/channel.js';
import { routeMessage, type ChannelRoutes } from '../../src/notifications/channel-router.js';
import { WEBHOOK_TEXT_MAX_BYTES, webhookBody, webhookLabel } from '../../src/wecom/group-webhook.js';

const channel = (name: DeliveryChannel): Channel => ({ name, send: async () => undefined });
const robot = channel(DeliveryChannel.SMART_ROBOT);
const hook = channel(DeliveryChannel.GROUP_WEBHOOK);
const dev = channel(DeliveryChannel.DEV);

const routes = (options: { robot?: boolean; hooks?: string[]; dead?: string[]; kinds?: NotificationKind[] }): ChannelRoutes => ({
  smartRobot: options.robot ? robot : undefined,
  webhook: { channel: hook, serves: (c) => (options.hooks ?? []).includes(c), has: (c) => [...(options.hooks ?? []), ...(options.dead ?? [])].includes(c) },
  webhookKinds: new Set(options.kinds ?? [NotificationKind.DEADLINE_WARNING, NotificationKind.REMINDER, NotificationKind.ESCALATION]),
  fallback: dev,
});

const route = (r: ChannelRoutes, conversation: string, kind: NotificationKind) => routeMessage(r, { conversation, kind }).name;

describe('which channel carries a message', () => {
  it('sends a group\'s reminders by its webhook and the rest by the smart robot, by default', () => {
    const both = routes({ robot: true, hooks: ['chat:wrA'] });
    expect(route(both, 'chat:wrA', NotificationKind.REMINDER)).toBe('GROUP_WEBHOOK');
    expect(route(both, 'chat:wrA', NotificationKind.ESCALATION)).toBe('GROUP_WEBHOOK');
    expect(route(both, 'chat:wrA', NotificationKind.NEW_TICKET)).toBe('SMART_ROBOT');
    expect(route(both, 'chat:wrB', NotificationKind.REMINDER)).toBe('SMART_ROBOT');
  });

  it('follows the configured kinds', () => {
    const cards = routes({ robot: true, hooks: ['chat:wrA'], kinds: [NotificationKind.NEW_TICKET] });
    expect(route(cards, 'chat:wrA', NotificationKind.NEW_TICKET)).toBe('GROUP_WEBHOOK');
    expect(route(cards, 'chat:wrA', NotificationKind.REMINDER)).toBe('SMART_ROBOT');
  });

  it('uses a webhook alone for everything where there is no bot, the default group\'s for groups without their own', () => {
    const hooksOnly = routes({ hooks: ['chat:default'] });
    expect(route(hooksOnly, 'chat:wrB', NotificationKind.NEW_TICKET)).toBe('GROUP_WEBHOOK');
    expect(route(hooksOnly, 'chat:default', NotificationKind.TICKET_UPDATE)).toBe('GROUP_WEBHOOK');
  });

  it('falls back to the smart robot where a group\'s webhook is dead, and keeps a dead webhook\'s messages (as dead letters) where there is no bot', () => {
    expect(route(routes({ robot: true, dead: ['chat:wrA'] }), 'chat:wrA', NotificationKind.REMINDER)).toBe('SMART_ROBOT');
    expect(route(routes({ dead: ['chat:default'] }), 'chat:wrB', NotificationKind.NEW_TICKET)).toBe('GROUP_WEBHOOK');
  });

  it('sends private messages by the self-built app where there is one', () => {
    const withApp = { ...routes({ robot: true }), app: channel(DeliveryChannel.APP_MESSAGE) };
    expect(route(withApp, 'user:lisi', NotificationKind.ESCALATION)).toBe('APP_MESSAGE');
    expect(route(withApp, 'chat:wrA', NotificationKind.ESCALATION)).toBe('SMART_ROBOT');
  });

  it('sends 1:1 messages by the smart robot without an app, and everything to the development channel when nothing is configured', () => {
    expect(route(routes({ robot: true, hooks: ['chat:default'] }), 'user:lisi', NotificationKind.ESCALATION)).toBe('SMART_ROBOT');
    expect(route(routes({}), 'chat:wrA', NotificationKind.REMINDER)).toBe('DEV');
    expect(route(routes({}), 'user:lisi', NotificationKind.REMINDER)).toBe('DEV');
  });
});

describe('group webhook messages', () => {
  it('are markdown when they call nobody', () => {
    expect(webhookBody({ text: '📌 **工单 #1** 已解决', mentions: [], mentionAll: false })).toEqual({ msgtype: 'markdown', markdown: { content: '📌 **工单 #1** 已解决' } });
  });

  it('are text with mentioned_list when they call people, @all included, within 2,048 bytes', () => {
    const body = webhookBody({ text: '🚨 【工单超时提醒】\n\n> **负责人**：李四\n' + '长'.repeat(2000), mentions: ['lisi'], mentionAll: true }) as { msgtype: string; text: { content: string; mentioned_list: string[] } };
    expect(body.msgtype).toBe('text');
    expect(body.text.mentioned_list).toEqual(['lisi', '@all']);
    expect(body.text.content).toMatch(/^🚨 【工单超时提醒】\n\n负责人：李四\n长/);
    expect(utf8Bytes(body.text.content)).toBeLessThanOrEqual(WEBHOOK_TEXT_MAX_BYTES);
    expect(body.text.content).toMatch(/（内容过长，已截断）$/);
  });

  it('never show the key whole', () => {
    expect(webhookLabel('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe('webhook …5aaa');
  });
});
