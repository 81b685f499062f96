import { describe, expect, it } from 'vitest';
import { canRate, customerTicketView, parseRatingScore } from '../../src/domain/customer-view.js';
import { Priority } from '../../src/domain/priority.js';
import type { TicketEventRecord, TicketRecord } from '../../src/domain/records.js';
import { readStatusLinkToken, statusLinkToken } from '../../src/domain/status-link.js';
import { signDetailLink } from '../../src/domain/detail-link.js';
import { CommentVisibility } from '../../src/domain/ticket-comment.js';
import { CUSTOMER_ACTOR_ID, TicketEventType } from '../../src/domain/ticket-event.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 2, minute));
const TICKET: TicketRecord = {
  id: 7, title: '打印机无法打印', description: '打印机无法打印，任务卡住', product: null, status: TicketStatus.RESOLVED, priority: Priority.NORMAL, progress: 100,
  customerId: 1, assignedTo: 'lisi', assignedToName: '李四', deadline: at(600), reminderCount: 1, lastReminderAt: at(601), groupMessageId: 'msg-1',
  sourceChatId: 'wrkGroup', createdBy: 'zhangsan', createdAt: at(0), updatedAt: at(9), resolvedAt: at(9), closedAt: null, version: 6,
};
let sequence = 0;
const event = (type: TicketEventType, minute: number, fields: Partial<TicketEventRecord> = {}): TicketEventRecord => ({
  id: String(++sequence), ticketId: 7, type, actorId: 'lisi', actorName: '李四', fromValue: null, toValue: null, note: null, createdAt: at(minute), ...fields,
});

const EVENTS: TicketEventRecord[] = [
  event(TicketEventType.CREATED, 0, { actorId: 'zhangsan', actorName: '张三', toValue: 'PENDING' }),
  event(TicketEventType.ASSIGNED, 1, { toValue: 'lisi', note: '内部：这个客户很急' }),
  event(TicketEventType.COMMENTED, 2, { toValue: CommentVisibility.INTERNAL, note: '机房在三楼，报价待主管确认' }),
  event(TicketEventType.ASSIGNED, 3, { fromValue: 'lisi', toValue: 'wangwu', note: '转给王五' }),
  event(TicketEventType.COMMENTED, 4, { toValue: CommentVisibility.PUBLIC, note: '已安排工程师明天上门' }),
  event(TicketEventType.REMINDED, 5, { actorId: 'system', toValue: '1' }),
  event(TicketEventType.DEADLINE_CHANGED, 6, { fromValue: at(600).toISOString(), toValue: at(700).toISOString() }),
  event(TicketEventType.STATUS_CHANGED, 7, { fromValue: 'ASSIGNED', toValue: 'PROCESSING', note: '内部：先远程看看' }),
  event(TicketEventType.CUSTOMER_NOTE, 8, { actorId: CUSTOMER_ACTOR_ID, actorName: '赵六', note: '今天又卡住了' }),
  event(TicketEventType.STATUS_CHANGED, 9, { fromValue: 'PROCESSING', toValue: 'RESOLVED', note: '驱动问题，内部知识库 KB-12' }),
];

describe('the customer\'s view of a ticket', () => {
  const view = customerTicketView(TICKET, EVENTS);

  it('has exactly the fields a customer may see, and each history entry too', () => {
    expect(Object.keys(view).sort()).toEqual(['canAddNote', 'canRate', 'createdAt', 'description', 'history', 'id', 'lastUpdatedAt', 'progress', 'status', 'title']);
    const allowed: Record<string, string[]> = {
      received: ['at', 'kind'], assigned: ['at', 'kind'], status: ['at', 'kind', 'status'], progress: ['at', 'kind', 'progress'],
      reply: ['at', 'body', 'kind'], customerNote: ['at', 'body', 'kind'], rating: ['at', 'comment', 'kind', 'score'],
    };
    for (const entry of view.history) expect(Object.keys(entry).sort()).toEqual(allowed[entry.kind]);
  });

  it('shows what happened, staff replies and the customer\'s own notes, never internal notes, change notes, names, reminders or deadlines', () => {
    expect(view.history.map((e) => e.kind)).toEqual(['received', 'assigned', 'reply', 'status', 'customerNote', 'status']);
    const text = JSON.stringify(view.history);
    for (const secret of ['内部', '机房在三楼', '转给王五', 'KB-12', '先远程看看', 'lisi', '李四', 'wangwu', '王五', 'zhangsan', '张三', 'msg-1', 'wrkGroup']) expect(text).not.toContain(secret);
    expect(view.history[2]).toEqual({ kind: 'reply', at: at(4), body: '已安排工程师明天上门' });
    expect(view.lastUpdatedAt).toEqual(at(9));
  });

  it('leaves out the progress that moved with a status in the same change, and keeps progress on its own', () => {
    const events = [
      ...EVENTS,
      event(TicketEventType.PROGRESS_CHANGED, 9, { fromValue: '80', toValue: '100' }),
      event(TicketEventType.PROGRESS_CHANGED, 12, { fromValue: '100', toValue: '90' }),
    ];
    const kinds = customerTicketView(TICKET, events).history.map((e) => (e.kind === 'progress' ? `progress ${e.progress}` : e.kind));
    expect(kinds.slice(-2)).toEqual(['status', 'progress 90']);
  });

  it('may be rated once per resolution, again after a reopening', () => {
    expect(view.canRate).toBe(true);
    const rated = [...EVENTS, event(TicketEventType.RATED, 10, { actorId: CUSTOMER_ACTOR_ID, toValue: '4', note: '很及时' })];
    expect(canRate(TicketStatus.RESOLVED, rated)).toBe(false);
    expect(customerTicketView(TICKET, rated).history.at(-1)).toEqual({ kind: 'rating', at: at(10), score: 4, comment: '很及时' });
    const reopened = [...rated, event(TicketEventType.STATUS_CHANGED, 11, { fromValue: 'RESOLVED', toValue: 'PROCESSING' }), event(TicketEventType.STATUS_CHANGED, 12, { fromValue: 'PROCESSING', toValue: 'RESOLVED' })];
    expect(canRate(TicketStatus.RESOLVED, reopened)).toBe(true);
    expect(canRate(TicketStatus.PROCESSING, EVENTS.slice(0, 8))).toBe(false);
    expect(customerTicketView({ ...TICKET, status: TicketStatus.CANCELLED }, EVENTS).canAddNote).toBe(false);
  });

  it('reads a rating score only as 1–5', () => {
    expect(['1', ' 5 ', 3].map(parseRatingScore)).toEqual([1, 5, 3]);
    expect(['0', '6', '4.5', '', 'five', undefined].map(parseRatingScore)).toEqual([null, null, null, null, null, null]);
  });
});

describe('the customer\'s status link', () => {
  const SECRET = 'x'.repeat(40);

  it('opens its ticket at its version, and nothing once altered', () => {
    const token = statusLinkToken(SECRET, 123, 2);
    expect(readStatusLinkToken(SECRET, token)).toEqual({ ok: true, ticketId: 123, version: 2 });
    const [id, version, signature] = token.split('.');
    expect(readStatusLinkToken(SECRET, `124.${version}.${signature}`)).toEqual({ ok: false, reason: 'forged' });
    expect(readStatusLinkToken(SECRET, `${id}.3.${signature}`)).toEqual({ ok: false, reason: 'forged' });
    expect(readStatusLinkToken('y'.repeat(40), token)).toEqual({ ok: false, reason: 'forged' });
    for (const garbled of ['', '123', '123.1', `0123.${version}.${signature}`, `${token}.x`, `${id}.${version}.${signature!.slice(1)}`, 42]) {
      expect(readStatusLinkToken(SECRET, garbled)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('never takes a staff detail link\'s signature: each purpose signs its own text', () => {
    const detailSignature = new URLSearchParams(signDetailLink(SECRET, 123, new Date(2_000_000_000_000))).get('sig')!;
    expect(readStatusLinkToken(SECRET, `123.1.${detailSignature}`)).toEqual({ ok: false, reason: 'forged' });
  });
});
