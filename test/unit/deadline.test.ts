import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_POLICY, hoursOverdue, isOverdue, resolveDeadline } from '../../src/domain/deadline.js';
import { AppError } from '../../src/domain/errors.js';
import { Priority } from '../../src/domain/priority.js';

const CREATED = new Date('2026-02-01T07:30:00Z');
const HOUR = 3_600_000;

describe('deadline', () => {
  it('defaults to 24 hours after creation', () => {
    expect(resolveDeadline({ createdAt: CREATED, priority: Priority.NORMAL }, DEFAULT_DEADLINE_POLICY)).toEqual(new Date(CREATED.getTime() + 24 * HOUR));
  });

  it('can be configured per priority', () => {
    const policy = { defaultHours: 24, hoursByPriority: { [Priority.URGENT]: 4 } };
    expect(resolveDeadline({ createdAt: CREATED, priority: Priority.URGENT }, policy).getTime() - CREATED.getTime()).toBe(4 * HOUR);
    expect(resolveDeadline({ createdAt: CREATED, priority: Priority.LOW }, policy).getTime() - CREATED.getTime()).toBe(24 * HOUR);
  });

  it('takes an explicit future deadline and refuses a past or absurd one', () => {
    const explicit = new Date(CREATED.getTime() + 2 * HOUR);
    expect(resolveDeadline({ createdAt: CREATED, priority: Priority.NORMAL, explicit }, DEFAULT_DEADLINE_POLICY)).toBe(explicit);
    for (const bad of [new Date(CREATED.getTime() - HOUR), new Date(CREATED.getTime() + 400 * 24 * HOUR), new Date(Number.NaN)]) {
      expect(() => resolveDeadline({ createdAt: CREATED, priority: Priority.NORMAL, explicit: bad }, DEFAULT_DEADLINE_POLICY)).toThrow(AppError);
    }
  });

  it('measures overdue time in whole hours', () => {
    const deadline = new Date(CREATED.getTime() + 24 * HOUR);
    expect(isOverdue(deadline, new Date(deadline.getTime() + 1))).toBe(true);
    expect(isOverdue(deadline, deadline)).toBe(false);
    expect(hoursOverdue(deadline, new Date(deadline.getTime() + 12.5 * HOUR))).toBe(12);
    expect(hoursOverdue(deadline, CREATED)).toBe(0);
  });
});
