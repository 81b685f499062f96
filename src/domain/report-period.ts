import { addDays, chinaDayOf, chinaMidnight, daysInclusive, parseChinaDay, type ChinaDay } from './china-calendar.js';
import { badInput } from './errors.js';

/** Days a period covers when `from` is not given (the last 30, today included). */
export const DEFAULT_REPORT_DAYS = 30;
/** The longest period a report may cover (a leap year). */
export const MAX_REPORT_DAYS = 366;

/**
 * The calendar days in China a report covers, both included, and the instants they span:
 * [start, end) = [from 00:00+08:00, the day after `to` 00:00+08:00).
 */
export interface ReportPeriod {
  readonly from: ChinaDay;
  readonly to: ChinaDay;
  readonly start: Date;
  readonly end: Date;
  readonly days: number;
}

/** A period as asked for: each day "YYYY-MM-DD", either may be left out. */
export interface ReportPeriodInput {
  readonly from?: string | null;
  readonly to?: string | null;
}

function dayArgument(raw: string | null | undefined, field: 'from' | 'to'): ChinaDay | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const day = parseChinaDay(raw.trim());
  if (day === null) {
    const shown = raw.slice(0, 30);
    throw badInput(`日期格式不正确：${field}「${shown}」，应为 2026-12-01 这样的日期（中国时间）`, `Invalid date ${field} "${shown}": expected a date such as 2026-12-01 (China time)`, { field });
  }
  return day;
}

/**
 * The period to report on. `to` defaults to today in China at `now`, `from` to 29 days before
 * `to`; `from` after `to` and periods over 366 days are refused.
 */
export function reportPeriod(input: ReportPeriodInput, now: Date): ReportPeriod {
  const to = dayArgument(input.to, 'to') ?? chinaDayOf(now);
  const from = dayArgument(input.from, 'from') ?? addDays(to, -(DEFAULT_REPORT_DAYS - 1));
  const days = daysInclusive(from, to);
  if (days < 1) {
    throw badInput(`开始日期 ${from} 晚于结束日期 ${to}`, `The period starts (${from}) after it ends (${to})`, { field: 'from', from, to });
  }
  if (days > MAX_REPORT_DAYS) {
    throw badInput(`统计周期最长 ${MAX_REPORT_DAYS} 天，${from} 至 ${to} 共 ${days} 天`, `A period covers at most ${MAX_REPORT_DAYS} days; ${from} to ${to} is ${days}`, { field: 'from', from, to, days });
  }
  return { from, to, start: chinaMidnight(from), end: chinaMidnight(addDays(to, 1)), days };
}
