import { describe, expect, it } from 'vitest';
import { formatChinaIso, formatChinaMonthDay, formatChinaTime } from '../../src/chat/china-time.js';

describe('China time', () => {
  it('shows UTC instants as people in China read them, across the date line', () => {
    const instant = new Date('2026-02-01T17:30:05Z');
    expect(formatChinaTime(instant)).toBe('2026-02-02 01:30');
    expect(formatChinaMonthDay(instant)).toBe('02月02日 01:30');
    expect(formatChinaIso(instant)).toBe('2026-02-02T01:30:05+08:00');
    expect(new Date(formatChinaIso(instant)).getTime()).toBe(instant.getTime());
  });
});
