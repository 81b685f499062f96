import { describe, expect, it } from 'vitest';
import { Priority } from '../../src/domain/priority.js';
import type { TicketEventRecord, TicketRecord, TicketUpdateRecord } from '../../src/domain/records.js';
import { TicketEventType } from '../../src/domain/ticket-event.js';
import { summarizeTickets } from '../../src/domain/ticket-stats.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { matchesSubscription } from '../../src/domain/ticket-subscription.js';

const at = new Date('2026-11-26T08:00:00Z');
const ticket: TicketRecord = {
  id: 7, title: '服务器无法连接', description: '服务器无法连接', product: null, status: TicketStatus.PROCESSING, priority: Priority.URGENT,
  progress: 0, customerId: 3, assignedTo: 'lisi', assignedToName: '李四', deadline: at, reminderCount: 0, lastReminderAt: null,
  groupMessageId: null, sourceChatId: null, createdBy: 'zhangsan', createdAt: at, updatedAt: at, resolvedAt: null, closedAt: null, version: 3,
};
const update = (event: Partial<TicketEventRecord>, changes: Partial<TicketRecord> = {}): TicketUpdateRecord => ({
  event: { id: '1', ticketId: 7, type: TicketEventType.STATUS_CHANGED, actorId: 'lisi', actorName: null, fromValue: 'ASSIGNED', toValue: 'PROCESSING', note: null, createdAt: at, ...event },
  ticket: { ...ticket, ...changes },
});

describe('which updates a subscription follows', () => {
  it('follows everything without criteria', () => {
    expect(matchesSubscription({}, update({}))).toBe(true);
  });

  it('needs every given criterion to hold', () => {
    expect(matchesSubscription({ ticketId: 7, customerId: 3, priority: [Priority.URGENT] }, update({}))).toBe(true);
    expect(matchesSubscription({ ticketId: 7, customerId: 4 }, update({}))).toBe(false);
    expect(matchesSubscription({ priority: [Priority.HIGH, Priority.LOW] }, update({}))).toBe(false);
    expect(matchesSubscription({ types: [TicketEventType.CREATED] }, update({}))).toBe(false);
    expect(matchesSubscription({ types: [TicketEventType.CREATED, TicketEventType.STATUS_CHANGED] }, update({}))).toBe(true);
  });

  it('tells a status view when a ticket leaves it', () => {
    const resolved = update({ fromValue: 'PROCESSING', toValue: 'RESOLVED' }, { status: TicketStatus.RESOLVED });
    expect(matchesSubscription({ status: [TicketStatus.PROCESSING] }, resolved)).toBe(true);
    expect(matchesSubscription({ status: [TicketStatus.PENDING] }, resolved)).toBe(false);
    const escalated = update({ type: TicketEventType.ESCALATED, fromValue: 'PROCESSING', toValue: 'ESCALATED' }, { status: TicketStatus.ESCALATED });
    expect(matchesSubscription({ status: [TicketStatus.PROCESSING] }, escalated)).toBe(true);
  });

  it('tells the previous assignee that a ticket was reassigned away, and nobody else', () => {
    const reassigned = update({ type: TicketEventType.ASSIGNED, fromValue: 'lisi', toValue: 'wangwu' }, { assignedTo: 'wangwu' });
    expect(matchesSubscription({ assignee: 'lisi' }, reassigned)).toBe(true);
    expect(matchesSubscription({ assignee: 'wangwu' }, reassigned)).toBe(true);
    expect(matchesSubscription({ assignee: 'zhaoliu' }, reassigned)).toBe(false);
    // A progress change's "from" is a number, never an assignee or a status.
    const progress = update({ type: TicketEventType.PROGRESS_CHANGED, fromValue: 'lisi', toValue: '80' }, { assignedTo: 'wangwu' });
    expect(matchesSubscription({ assignee: 'lisi' }, progress)).toBe(false);
  });
});

describe('ticket counts for a dashboard', () => {
  it('lists every status and priority, counts open and overdue tickets only among open ones', () => {
    const stats = summarizeTickets([
      { status: TicketStatus.PENDING, priority: Priority.URGENT, count: 2, pastDeadline: 1 },
      { status: TicketStatus.PROCESSING, priority: Priority.NORMAL, count: 3, pastDeadline: 0 },
      { status: TicketStatus.CLOSED, priority: Priority.URGENT, count: 5, pastDeadline: 5 },
    ]);
    expect(stats).toMatchObject({ total: 10, open: 5, overdue: 1 });
    expect(stats.byStatus).toEqual([
      { status: 'PENDING', count: 2 },
      { status: 'ASSIGNED', count: 0 },
      { status: 'PROCESSING', count: 3 },
      { status: 'RESOLVED', count: 0 },
      { status: 'CLOSED', count: 5 },
      { status: 'ESCALATED', count: 0 },
      { status: 'CANCELLED', count: 0 },
    ]);
    expect(stats.byPriority).toEqual([
      { priority: 'URGENT', count: 2 },
      { priority: 'HIGH', count: 0 },
      { priority: 'NORMAL', count: 3 },
      { priority: 'LOW', count: 0 },
    ]);
  });
});
