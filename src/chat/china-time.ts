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

/** China keeps one offset all year (no daylight saving). */
const CHINA_OFFSET_MS = 8 * 3_600_000;

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
