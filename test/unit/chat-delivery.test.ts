import { describe, expect, it } from 'vitest';
import { announcements } from '../../src/chat-adapter/ticket-announcer.js';
import { utf8Bytes } from '../../src/chat/byte-limit.js';
import type { LoggedUpdate } from '../../src/db/event-log-store.js';
import { Priority } from '../../src/domain/priority.js';
import type { TicketRecord } from '../../src/domain/records.js';
import { SYSTEM_ACTOR, TicketEventType, WEBSITE_ACTOR } from '../../src/domain/ticket-event.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { ConversationRateLimiter } from '../../src/notifications/rate-limit.js';
import { pushContent, SMART_ROBOT_MAX_BYTES } from '../../src/wecom/smart-robot.js';

const ticket = (fields: Partial<TicketRecord> = {}): TicketRecord => ({
  id: 7, title: '打印机卡纸', description: '打印机卡纸', product: null, status: TicketStatus.PENDING, priority: Priority.NORMAL, progress: 0, customerId: 3,
  assignedTo: null, assignedToName: null, deadline: new Date('2026-02-02T07:30:00Z'), reminderCount: 0, lastReminderAt: null, groupMessageId: null,
  sourceChatId: 'wrGroup', createdBy: 'zhangsan', createdAt: new Date('2026-02-01T07:30:00Z'), updatedAt: new Date('2026-02-01T07:30:00Z'),
  resolvedAt: null, closedAt: null, version: 1, ...fields,
});

let nextEvent = 0;
const update = (type: TicketEventType, tx: bigint, fields: Partial<TicketRecord> = {}, event: { actorId?: string; actorName?: string | null; note?: string | null } = {}): LoggedUpdate => {
  const id = String(++nextEvent);
  return {
    event: { id, ticketId: 7, type, actorId: event.actorId ?? 'zhangsan', actorName: event.actorName === undefined ? '张三' : event.actorName, fromValue: null, toValue: null, note: event.note ?? null, createdAt: new Date() },
    ticket: ticket(fields),
    position: { tx, id: BigInt(id) },
  };
};

const customers = new Map([[3, { name: '赵六', phone: '13900139000', company: null }]]);

describe('what the groups are told of ticket changes', () => {
  it('sends a new ticket\'s card to the group it came from, with who created it', () => {
    const [card] = announcements([update(TicketEventType.CREATED, 1n)], { customers });
    expect(card).toMatchObject({ kind: 'NEW_TICKET', ticketId: 7, conversation: 'chat:wrGroup', mentionAll: true, idempotencyKey: 'ticket:7:new_ticket:0' });
    expect(card!.text).toMatch(/^🟡 【新工单提醒】#ID7（由 张三 创建）\n/);
    expect(card!.text).toContain('> 客户：赵六');
  });

  it('puts the ticket\'s signed 查看详情 link on its card when the service gives links', () => {
    const [card] = announcements([update(TicketEventType.CREATED, 1n)], { customers, detailUrl: (id) => `https://tickets.example.com/t/${id}?exp=1&sig=x` });
    expect(card!.text).toContain('📋 回复"分配给@某人"可转交工单\n📊 查看详情：[安全链接](https://tickets.example.com/t/7?exp=1&sig=x)\n');
    expect(announcements([update(TicketEventType.CREATED, 1n)], { customers })[0]!.text).not.toContain('查看详情');
  });

  it('gives the new ticket\'s card its interactive form too (认领, 已解决, the 查看详情 link), for the channels that can show one', () => {
    const [card] = announcements([update(TicketEventType.CREATED, 1n)], { customers, detailUrl: (id) => `https://tickets.example.com/t/${id}` });
    expect(card!.card).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '【新工单提醒】#ID7' },
      jump_list: [{ type: 1, title: '查看详情', url: 'https://tickets.example.com/t/7' }],
      button_list: [{ text: '认领', key: 'claim:7' }, { text: '已解决', key: 'resolve:7' }],
    });
    // Each push gives it its own task_id (reference 1.11): none is stored.
    expect(card!.card).not.toHaveProperty('task_id');
    const [line] = announcements([update(TicketEventType.STATUS_CHANGED, 2n, { status: TicketStatus.PROCESSING })], { customers });
    expect(line!.card).toBeUndefined();
  });

  it('sends a ticket created outside a chat to the default group', () => {
    expect(announcements([update(TicketEventType.CREATED, 1n, { sourceChatId: null })], { customers })[0]?.conversation).toBe('chat:default');
  });

  it('a ticket a customer submitted on the website goes to the default group, marked 网站提交', () => {
    const [card] = announcements([update(TicketEventType.CREATED, 1n, { sourceChatId: null, createdBy: WEBSITE_ACTOR.userId }, { actorId: WEBSITE_ACTOR.userId, actorName: WEBSITE_ACTOR.name })], { customers });
    expect(card!.conversation).toBe('chat:default');
    expect(card!.text).toMatch(/^🟡 【新工单提醒】#ID7（网站提交）\n/);
    expect(card!.text).not.toContain('由 ');
  });

  it('makes one line of a change that moved status and progress together, with its note, keyed by its first event', () => {
    const resolved = { status: TicketStatus.RESOLVED, progress: 100, assignedTo: 'lisi', assignedToName: '李四' };
    const lines = announcements([
      update(TicketEventType.STATUS_CHANGED, 5n, resolved, { note: '网络配置错误' }),
      update(TicketEventType.PROGRESS_CHANGED, 5n, resolved),
    ], { customers });
    expect(lines).toEqual([
      expect.objectContaining({ kind: 'TICKET_UPDATE', text: '📌 工单 #7 已解决 | 进度：100% | 负责人：李四（由 张三 更新）\n备注：网络配置错误', mentions: [], idempotencyKey: `ticket:7:ticket_update:${nextEvent - 1}` }),
    ]);
  });

  it('says nothing of the system\'s own changes (reminders send their own messages) or of deadline moves', () => {
    const system = { actorId: SYSTEM_ACTOR.userId, actorName: SYSTEM_ACTOR.name };
    expect(announcements([
      update(TicketEventType.REMINDED, 2n, {}, system),
      update(TicketEventType.ESCALATED, 2n, { status: TicketStatus.ESCALATED }, system),
      update(TicketEventType.DEADLINE_CHANGED, 3n),
    ], { customers })).toEqual([]);
  });
});

describe('private messages (with the self-built app)', () => {
  const privately = { leads: [{ userId: 'boss', name: '赵主管' }, { userId: 'boss2', name: '钱主管' }] };

  it('tells the new assignee, unless they took it themselves', () => {
    const assigned = update(TicketEventType.ASSIGNED, 4n, { assignedTo: 'lisi', assignedToName: '李四', status: TicketStatus.ASSIGNED }, {});
    const withTo = { ...assigned, event: { ...assigned.event, toValue: 'lisi' } };
    const notice = announcements([withTo], { customers, privately }).find((d) => d.kind === 'ASSIGNMENT');
    expect(notice).toMatchObject({ conversation: 'user:lisi', mentions: [], idempotencyKey: `ticket:7:assignment:${withTo.event.id}` });
    expect(notice!.text).toMatch(/^📋 \*\*工单 #7 已分配给你\*\*（由 张三 分配）\n> 客户：赵六 \(13900139000\)/);
    const self = { ...withTo, event: { ...withTo.event, actorId: 'lisi' } };
    expect(announcements([self], { customers, privately }).some((d) => d.kind === 'ASSIGNMENT')).toBe(false);
    expect(announcements([withTo], { customers }).some((d) => d.kind === 'ASSIGNMENT')).toBe(false);
  });

  it('tells every lead of an escalation, the one after reminders included', () => {
    const system = { actorId: SYSTEM_ACTOR.userId, actorName: SYSTEM_ACTOR.name };
    const escalated = update(TicketEventType.ESCALATED, 6n, { status: TicketStatus.ESCALATED }, system);
    const notices = announcements([escalated], { customers, privately });
    expect(notices.map((d) => [d.kind, d.conversation])).toEqual([['ESCALATION', 'user:boss'], ['ESCALATION', 'user:boss2']]);
    expect(notices[0]!.text).toMatch(/^⬆️ \*\*工单 #7 已升级\*\*\n/);
    expect(new Set(notices.map((d) => d.idempotencyKey)).size).toBe(2);
  });
});

describe('per-conversation rate limits', () => {
  it('lets 30 a minute through, then says when the next may go', () => {
    const limiter = new ConversationRateLimiter([{ limit: 30, windowMs: 60_000 }, { limit: 1000, windowMs: 3_600_000 }]);
    for (let i = 0; i < 30; i++) expect(limiter.take('g', 1000 + i)).toEqual({ allowed: true });
    expect(limiter.take('g', 2000)).toEqual({ allowed: false, retryAt: 61_000 });
    expect(limiter.take('other', 2000)).toEqual({ allowed: true });
    expect(limiter.take('g', 61_001)).toEqual({ allowed: true });
  });

  it('holds the hourly limit too, counting replies that went anyway', () => {
    const limiter = new ConversationRateLimiter([{ limit: 2, windowMs: 60_000 }, { limit: 3, windowMs: 3_600_000 }]);
    limiter.record('g', 0);
    expect(limiter.take('g', 1)).toEqual({ allowed: true });
    expect(limiter.take('g', 70_000)).toEqual({ allowed: true });
    expect(limiter.take('g', 140_000)).toEqual({ allowed: false, retryAt: 3_600_000 });
  });
});

describe('smart robot pushes', () => {
  it('calls the mentioned people after the text, and everyone when asked', () => {
    expect(pushContent({ text: '🚨 【工单超时提醒】', mentions: ['lisi'], mentionAll: false })).toBe('🚨 【工单超时提醒】\n<@lisi>');
    expect(pushContent({ text: '卡片', mentions: [], mentionAll: true })).toBe('卡片\n@所有人');
    expect(pushContent({ text: '一行', mentions: [], mentionAll: false })).toBe('一行');
  });

  it('cuts a long message to the byte limit with a marker, keeping the mentions', () => {
    const content = pushContent({ text: '长'.repeat(10_000), mentions: ['lisi'], mentionAll: false });
    expect(utf8Bytes(content)).toBeLessThanOrEqual(SMART_ROBOT_MAX_BYTES);
    expect(content).toMatch(/（内容过长，已截断）\n<@lisi>$/);
  });
});
