import { describe, expect, it } from 'vitest';
import { appErrorFrom } from '../support/app-error.js';
import {
  allowedTransitions,
  canTransition,
  isFinal,
  isOpen,
  planStatusChange,
  REOPEN_STATUSES,
  statusAfterAssignment,
  TicketStatus as S,
  type TicketProgressState,
} from '../../src/domain/ticket-status.js';

const ALL = Object.values(S);
const NOW = new Date('2026-02-01T07:30:00Z');

/** The whole machine, written out: every pair not listed here must be rejected. */
const EXPECTED: Record<S, S[]> = {
  [S.PENDING]: [S.ASSIGNED, S.PROCESSING, S.RESOLVED, S.ESCALATED, S.CANCELLED],
  [S.ASSIGNED]: [S.PROCESSING, S.RESOLVED, S.ESCALATED, S.CANCELLED],
  [S.PROCESSING]: [S.RESOLVED, S.ESCALATED, S.CANCELLED],
  [S.ESCALATED]: [S.ASSIGNED, S.PROCESSING, S.RESOLVED, S.CANCELLED],
  [S.RESOLVED]: [S.CLOSED, S.PROCESSING],
  [S.CLOSED]: [],
  [S.CANCELLED]: [],
};

const ticket = (status: S, overrides: Partial<TicketProgressState> = {}): TicketProgressState => ({
  status,
  progress: 30,
  assignedTo: 'lisi',
  resolvedAt: null,
  closedAt: null,
  ...overrides,
});


describe('ticket status machine', () => {
  describe.each(ALL)('from %s', (from) => {
    it.each(ALL.filter((to) => to !== from))(`to %s`, (to) => {
      const allowed = EXPECTED[from].includes(to);
      expect(canTransition(from, to)).toBe(allowed);
      if (allowed) {
        expect(planStatusChange(ticket(from), to, { now: NOW }).status).toBe(to);
      } else {
        const error = appErrorFrom(() => planStatusChange(ticket(from), to, { now: NOW }));
        expect(error.code).toBe('INVALID_TRANSITION');
        expect(error.text.zh).toContain('不能从');
        expect(error.details).toMatchObject({ from, to, allowed: EXPECTED[from] });
      }
    });
  });

  it('lists the allowed moves of every status', () => {
    for (const status of ALL) expect([...allowedTransitions(status)].sort()).toEqual([...EXPECTED[status]].sort());
  });

  it('escalation is reachable from every open state and cancellation too', () => {
    for (const status of ALL.filter(isOpen)) {
      if (status !== S.ESCALATED) expect(canTransition(status, S.ESCALATED)).toBe(true);
      expect(canTransition(status, S.CANCELLED)).toBe(true);
    }
  });

  it('only closed and cancelled are final', () => {
    expect(ALL.filter(isFinal).sort()).toEqual([S.CANCELLED, S.CLOSED]);
    expect(isOpen(S.RESOLVED)).toBe(false);
  });

  it('reopens a resolved ticket only into processing, the one way to a second resolution (ticket_events_reopened_idx holds these moves)', () => {
    expect(REOPEN_STATUSES).toEqual([S.PROCESSING]);
    expect(allowedTransitions(S.RESOLVED).filter((to) => !REOPEN_STATUSES.includes(to)).every(isFinal)).toBe(true);
  });

  it('says which moves are possible when one is not', () => {
    const error = appErrorFrom(() => planStatusChange(ticket(S.CLOSED), S.PROCESSING, { now: NOW }));
    expect(error.text.zh).toBe('工单状态不能从「已关闭」变更为「处理中」，该状态不可再变更');
    expect(error.text.en).toContain('it is final');
  });
});

describe('progress follows status', () => {
  it('is 80 when work is reported done (已处理) and 100 when resolved or closed', () => {
    expect(planStatusChange(ticket(S.ASSIGNED), S.PROCESSING, { now: NOW }).progress).toBe(80);
    expect(planStatusChange(ticket(S.PENDING), S.RESOLVED, { now: NOW }).progress).toBe(100);
    expect(planStatusChange(ticket(S.RESOLVED, { progress: 100 }), S.CLOSED, { now: NOW }).progress).toBe(100);
  });

  it('keeps the current progress when escalating or cancelling', () => {
    expect(planStatusChange(ticket(S.PROCESSING, { progress: 45 }), S.ESCALATED, { now: NOW }).progress).toBe(45);
    expect(planStatusChange(ticket(S.PROCESSING, { progress: 45 }), S.CANCELLED, { now: NOW }).progress).toBe(45);
  });

  it('takes an explicit progress within 0–100', () => {
    expect(planStatusChange(ticket(S.ASSIGNED), S.PROCESSING, { now: NOW, progress: 35 }).progress).toBe(35);
    for (const bad of [-1, 101, 2.5]) {
      expect(appErrorFrom(() => planStatusChange(ticket(S.ASSIGNED), S.PROCESSING, { now: NOW, progress: bad })).code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a resolved ticket that is not 100% done', () => {
    expect(appErrorFrom(() => planStatusChange(ticket(S.PROCESSING), S.RESOLVED, { now: NOW, progress: 90 })).code).toBe('BAD_USER_INPUT');
  });

  it('treats the same status with a progress as a progress update, and without one as a mistake', () => {
    expect(planStatusChange(ticket(S.PROCESSING), S.PROCESSING, { now: NOW, progress: 60 })).toMatchObject({ status: S.PROCESSING, progress: 60 });
    expect(appErrorFrom(() => planStatusChange(ticket(S.PROCESSING), S.PROCESSING, { now: NOW })).code).toBe('INVALID_TRANSITION');
    expect(appErrorFrom(() => planStatusChange(ticket(S.CLOSED), S.CLOSED, { now: NOW, progress: 100 })).code).toBe('INVALID_TRANSITION');
  });
});

describe('timestamps and ownership', () => {
  it('stamps resolvedAt and closedAt, and clears resolvedAt when a resolved ticket is reopened', () => {
    const resolved = planStatusChange(ticket(S.PROCESSING), S.RESOLVED, { now: NOW });
    expect(resolved.resolvedAt).toEqual(NOW);
    const closedAt = new Date(NOW.getTime() + 1000);
    expect(planStatusChange(resolved, S.CLOSED, { now: closedAt })).toMatchObject({ closedAt, resolvedAt: NOW });
    expect(planStatusChange(resolved, S.PROCESSING, { now: closedAt }).resolvedAt).toBeNull();
  });

  it('will not mark a ticket assigned when nobody owns it', () => {
    const error = appErrorFrom(() => planStatusChange(ticket(S.ESCALATED, { assignedTo: null }), S.ASSIGNED, { now: NOW }));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.text.zh).toContain('请先分配');
  });

  it('assignment moves a pending ticket to assigned and leaves other open tickets in their status', () => {
    expect(statusAfterAssignment(S.PENDING)).toBe(S.ASSIGNED);
    for (const status of [S.ASSIGNED, S.PROCESSING, S.ESCALATED]) expect(statusAfterAssignment(status)).toBe(status);
    for (const status of [S.RESOLVED, S.CLOSED, S.CANCELLED]) expect(appErrorFrom(() => statusAfterAssignment(status)).code).toBe('INVALID_TRANSITION');
  });
});
