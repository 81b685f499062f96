import { describe, expect, it } from 'vitest';
import type { LoggedUpdate } from '../../src/db/event-log-store.js';
import { Priority } from '../../src/domain/priority.js';
import type { TicketRecord } from '../../src/domain/records.js';
import { DEFAULT_REMINDER_POLICY } from '../../src/domain/reminder-policy.js';
import { TicketEventType } from '../../src/domain/ticket-event.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { deadlineJobChanges } from '../../src/reminders/deadline-scheduler.js';

const NOW = new Date('2026-02-01T07:30:00Z');
const DEADLINE = new Date('2026-02-02T07:30:00Z');
let eventId = 0;

function update(ticketId: number, type: TicketEventType, ticket: Partial<TicketRecord> = {}, actorId = 'lisi'): LoggedUpdate {
  eventId++;
  return {
    position: { tx: BigInt(eventId), id: BigInt(eventId) },
    event: { id: String(eventId), ticketId, type, actorId, actorName: null, fromValue: null, toValue: null, note: null, createdAt: NOW },
    ticket: {
      id: ticketId, title: 't', description: 'd', product: null, status: TicketStatus.PENDING, priority: Priority.NORMAL, progress: 0, customerId: 1,
      assignedTo: null, assignedToName: null, deadline: DEADLINE, reminderCount: 0, lastReminderAt: null, groupMessageId: null, sourceChatId: null,
      createdBy: 'lisi', createdAt: NOW, updatedAt: NOW, resolvedAt: null, closedAt: null, version: 1, ...ticket,
    },
  };
}

describe('deadline job changes from the event log', () => {
  it('creates a job for a new ticket and moves it with its deadline; the last state of a ticket decides', () => {
    const moved = new Date(DEADLINE.getTime() + 3_600_000);
    const changes = deadlineJobChanges(
      [update(1, TicketEventType.CREATED), update(2, TicketEventType.CREATED, { priority: Priority.URGENT }), update(1, TicketEventType.DEADLINE_CHANGED, { deadline: moved })],
      NOW,
      DEFAULT_REMINDER_POLICY,
    );
    expect(changes).toEqual({ schedule: [{ ticketId: 1, runAt: moved, priority: Priority.NORMAL }, { ticketId: 2, runAt: DEADLINE, priority: Priority.URGENT }], remove: [] });
  });

  it('removes the job of a resolved, closed or cancelled ticket', () => {
    const changes = deadlineJobChanges([update(3, TicketEventType.CREATED), update(3, TicketEventType.STATUS_CHANGED, { status: TicketStatus.RESOLVED })], NOW, DEFAULT_REMINDER_POLICY);
    expect(changes).toEqual({ schedule: [], remove: [3] });
  });

  it('leaves the job alone after its own reminders and after changes that move no time', () => {
    const changes = deadlineJobChanges(
      [
        update(4, TicketEventType.REMINDED, { reminderCount: 1, lastReminderAt: DEADLINE }, 'system'),
        update(4, TicketEventType.ESCALATED, { status: TicketStatus.ESCALATED }, 'system'),
        update(5, TicketEventType.ASSIGNED, { assignedTo: 'lisi' }),
        update(5, TicketEventType.PROGRESS_CHANGED, { progress: 50 }),
      ],
      NOW,
      DEFAULT_REMINDER_POLICY,
    );
    expect(changes).toEqual({ schedule: [], remove: [] });
  });

  it('moves the job to the escalated cadence when someone escalates by hand', () => {
    const lastReminderAt = new Date(DEADLINE.getTime() + 3_600_000);
    const changes = deadlineJobChanges([update(6, TicketEventType.ESCALATED, { status: TicketStatus.ESCALATED, reminderCount: 1, lastReminderAt })], NOW, DEFAULT_REMINDER_POLICY);
    expect(changes.schedule).toEqual([{ ticketId: 6, runAt: new Date(lastReminderAt.getTime() + 30 * 60_000), priority: Priority.NORMAL }]);
  });
});
