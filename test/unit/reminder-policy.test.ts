import { describe, expect, it } from 'vitest';
import { Priority } from '../../src/domain/priority.js';
import { DEFAULT_REMINDER_POLICY, nextDeadlineCheck, planDeadlineCheck, reminderMentions, type ReminderState } from '../../src/domain/reminder-policy.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DEADLINE = new Date('2026-02-02T07:30:00Z');
const at = (offsetMs: number) => new Date(DEADLINE.getTime() + offsetMs);

const ticket = (changes: Partial<ReminderState> = {}): ReminderState => ({
  status: TicketStatus.ASSIGNED,
  priority: Priority.NORMAL,
  deadline: DEADLINE,
  assignedTo: 'lisi',
  reminderCount: 0,
  lastReminderAt: null,
  ...changes,
});

const policy = DEFAULT_REMINDER_POLICY;

describe('reminder policy', () => {
  it('waits until the deadline, then reminds (the first reminder is the moment the deadline passed)', () => {
    expect(planDeadlineCheck(ticket(), at(-HOUR), policy)).toEqual({ action: 'wait', next: DEADLINE });
    expect(planDeadlineCheck(ticket(), at(0), policy)).toEqual({
      action: 'remind',
      reminder: { sequence: 1, deadlinePassed: true, escalate: false, mentions: { userIds: ['lisi'], all: false } },
      next: at(HOUR),
    });
  });

  it('reminds once per interval after the last reminder, not per interval missed', () => {
    const reminded = ticket({ reminderCount: 1, lastReminderAt: at(0) });
    expect(planDeadlineCheck(reminded, at(59 * MINUTE), policy)).toEqual({ action: 'wait', next: at(HOUR) });
    // The worker was down for five hours: one reminder now, the next an hour later.
    expect(planDeadlineCheck(reminded, at(6 * HOUR), policy)).toMatchObject({ action: 'remind', reminder: { sequence: 2, deadlinePassed: false }, next: at(7 * HOUR) });
  });

  it('escalates with the configured reminder, once, then keeps the escalated cadence', () => {
    const third = planDeadlineCheck(ticket({ reminderCount: 2, lastReminderAt: at(HOUR) }), at(2 * HOUR), policy);
    expect(third).toMatchObject({ action: 'remind', reminder: { sequence: 3, escalate: true }, next: at(2 * HOUR + policy.escalatedIntervalMs) });
    const escalated = ticket({ status: TicketStatus.ESCALATED, reminderCount: 3, lastReminderAt: at(2 * HOUR) });
    expect(nextDeadlineCheck(escalated, at(2 * HOUR), policy)).toEqual(at(2 * HOUR + 30 * MINUTE));
    expect(planDeadlineCheck(escalated, at(2 * HOUR + 30 * MINUTE), policy)).toMatchObject({ reminder: { sequence: 4, escalate: false } });
    // Taken back into work by a lead: reminded at the normal cadence, not escalated again.
    const deescalated = ticket({ status: TicketStatus.PROCESSING, reminderCount: 3, lastReminderAt: at(2 * HOUR) });
    expect(planDeadlineCheck(deescalated, at(3 * HOUR), policy)).toMatchObject({ reminder: { sequence: 4, escalate: false }, next: at(4 * HOUR) });
  });

  it('does not escalate a ticket escalated by hand already', () => {
    expect(planDeadlineCheck(ticket({ status: TicketStatus.ESCALATED, reminderCount: 2, lastReminderAt: at(0) }), at(HOUR), policy)).toMatchObject({
      reminder: { sequence: 3, escalate: false },
    });
  });

  it('starts afresh after the deadline moves later: next reminder at the new deadline, which passes again', () => {
    const moved = ticket({ deadline: at(5 * HOUR), reminderCount: 2, lastReminderAt: at(HOUR) });
    expect(planDeadlineCheck(moved, at(2 * HOUR), policy)).toEqual({ action: 'wait', next: at(5 * HOUR) });
    expect(planDeadlineCheck(moved, at(5 * HOUR), policy)).toMatchObject({ reminder: { sequence: 3, deadlinePassed: true } });
  });

  it('has nothing to do for a ticket that is no longer open', () => {
    for (const status of [TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED]) {
      expect(planDeadlineCheck(ticket({ status }), at(HOUR), policy)).toEqual({ action: 'none' });
      expect(nextDeadlineCheck(ticket({ status }), at(HOUR), policy)).toBeNull();
    }
  });

  it('warns before the deadline when configured, once per deadline', () => {
    const warning = { ...policy, earlyWarningMs: 30 * MINUTE };
    expect(nextDeadlineCheck(ticket(), at(-HOUR), warning)).toEqual(at(-30 * MINUTE));
    expect(planDeadlineCheck(ticket(), at(-HOUR), warning)).toEqual({ action: 'wait', next: at(-30 * MINUTE) });
    expect(planDeadlineCheck(ticket(), at(-30 * MINUTE), warning)).toEqual({ action: 'warn', next: DEADLINE });
    expect(nextDeadlineCheck(ticket(), at(-10 * MINUTE), warning)).toEqual(DEADLINE);
    expect(planDeadlineCheck(ticket(), at(0), warning)).toMatchObject({ action: 'remind' });
  });

  it('mentions the assignee; everyone when nobody owns the ticket or it is urgent', () => {
    expect(reminderMentions({ assignedTo: 'lisi', priority: Priority.HIGH })).toEqual({ userIds: ['lisi'], all: false });
    expect(reminderMentions({ assignedTo: null, priority: Priority.NORMAL })).toEqual({ userIds: [], all: true });
    expect(reminderMentions({ assignedTo: 'lisi', priority: Priority.URGENT })).toEqual({ userIds: ['lisi'], all: true });
  });
});
