import { describe, expect, it } from 'vitest';
import { addDays, chinaDayOf, chinaMidnight, daysInclusive, parseChinaDay } from '../../src/domain/china-calendar.js';
import { reportPeriod } from '../../src/domain/report-period.js';
import { appErrorFrom } from '../support/app-error.js';

describe('China calendar days', () => {
  it('are the day it is in China, which starts at 16:00 UTC the day before', () => {
    expect(chinaDayOf(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11-30');
    expect(chinaDayOf(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    expect(chinaDayOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(chinaMidnight('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('count across months and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysInclusive('2026-12-01', '2026-12-01')).toBe(1);
    expect(daysInclusive('2028-01-01', '2028-12-31')).toBe(366);
  });

  it('exist, or are not days', () => {
    expect(parseChinaDay('2028-02-29')).toBe('2028-02-29');
    for (const text of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-12-1', '20261201', '2026/12/01', 'today', '']) expect(parseChinaDay(text)).toBeNull();
  });
});

describe('a report period', () => {
  const now = new Date('2026-12-03T17:00:00Z'); // 2026-12-04 01:00 in China

  it('runs from the start of `from` to the end of `to`, China time, both days included', () => {
    expect(reportPeriod({ from: '2026-12-01', to: '2026-12-03' }, now)).toEqual({
      from: '2026-12-01',
      to: '2026-12-03',
      start: new Date('2026-11-30T16:00:00Z'),
      end: new Date('2026-12-03T16:00:00Z'),
      days: 3,
    });
  });

  it('is the last 30 days up to today in China by default', () => {
    expect(reportPeriod({}, now)).toMatchObject({ from: '2026-11-05', to: '2026-12-04', days: 30, end: new Date('2026-12-04T16:00:00Z') });
    expect(reportPeriod({ to: '2026-12-31', from: null }, now)).toMatchObject({ from: '2026-12-02', to: '2026-12-31' });
    expect(reportPeriod({ from: '2026-12-04' }, now)).toMatchObject({ from: '2026-12-04', to: '2026-12-04', days: 1 });
    expect(reportPeriod({ from: '', to: '' }, now)).toMatchObject({ from: '2026-11-05', to: '2026-12-04' });
  });

  it('covers at most 366 days', () => {
    expect(reportPeriod({ from: '2028-01-01', to: '2028-12-31' }, now).days).toBe(366);
    const error = appErrorFrom(() => reportPeriod({ from: '2026-01-01', to: '2027-01-02' }, now));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.text.zh).toBe('统计周期最长 366 天，2026-01-01 至 2027-01-02 共 367 天');
    expect(error.details).toMatchObject({ field: 'from', days: 367 });
  });

  it('refuses a start after its end, and dates that are not dates, in Chinese first', () => {
    const backwards = appErrorFrom(() => reportPeriod({ from: '2026-12-05', to: '2026-12-04' }, now));
    expect(backwards.code).toBe('BAD_USER_INPUT');
    expect(backwards.text).toEqual({ zh: '开始日期 2026-12-05 晚于结束日期 2026-12-04', en: 'The period starts (2026-12-05) after it ends (2026-12-04)' });
    // From alone, after today: the default end is today.
    expect(appErrorFrom(() => reportPeriod({ from: '2026-12-05' }, now)).text.zh).toBe('开始日期 2026-12-05 晚于结束日期 2026-12-04');
    const bad = appErrorFrom(() => reportPeriod({ from: '2026-02-30' }, now));
    expect(bad.text.zh).toBe('日期格式不正确：from「2026-02-30」，应为 2026-12-01 这样的日期（中国时间）');
    expect(bad.details).toEqual({ field: 'from' });
    expect(appErrorFrom(() => reportPeriod({ to: '12/31' }, now)).details).toEqual({ field: 'to' });
  });
});
