import { CHINA_OFFSET_MS } from '../domain/china-calendar.js';

/** Times are stored in UTC and shown to people in China time (Asia/Shanghai), as chat and pages show them. */
const CHINA = 'Asia/Shanghai';

// Building a formatter costs far more than using one: one for the whole process.
const FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: CHINA, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const parts = (date: Date): Record<string, string> => Object.fromEntries(FORMAT.formatToParts(date).map((part) => [part.type, part.value]));

/** "2026-02-02 15:30" */
export function formatChinaTime(date: Date): string {
  const p = parts(date);
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}`;
}

/** "02月02日 15:30" */
export function formatChinaMonthDay(date: Date): string {
  const p = parts(date);
  return `${p['month']}月${p['day']}日 ${p['hour']}:${p['minute']}`;
}

/** "2026-02-01T15:30:00+08:00": ISO 8601 in China time, for JSON read by people and programs alike. */
export function formatChinaIso(date: Date): string {
  return `${new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** "12 小时", or "25 分钟" within the first hour: how long, in the units people say it. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  return safe < HOUR_MS ? `${Math.floor(safe / MINUTE_MS)} 分钟` : `${Math.floor(safe / HOUR_MS)} 小时`;
}

const DAY_MS = 24 * HOUR_MS;

/** "2 天 3 小时", "4 小时 30 分钟", "45 分钟", "不到 1 分钟": how long something took, in its two largest units, to the minute. */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE_MS);
  if (minutes === 0) return '不到 1 分钟';
  const units: [number, string][] = [[Math.floor(minutes / (DAY_MS / MINUTE_MS)), '天'], [Math.floor(minutes / 60) % 24, '小时'], [minutes % 60, '分钟']];
  const first = units.findIndex(([value]) => value > 0);
  return units.slice(first, first + 2).filter(([value]) => value > 0).map(([value, unit]) => `${value} ${unit}`).join(' ');
}
