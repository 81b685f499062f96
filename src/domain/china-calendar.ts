/** China keeps one offset all year (UTC+8, no daylight saving): a China calendar day is a fixed 24-hour span of UTC. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

export const DAY_MS = 24 * 3_600_000;

/** A calendar day in China, "2026-12-01". */
export type ChinaDay = string;

/** The day it is in China at `instant`: 2026-11-30T16:30Z is "2026-12-01". */
export function chinaDayOf(instant: Date): ChinaDay {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight in China at the start of `day` (a valid "YYYY-MM-DD"): "2026-12-01" is 2026-11-30T16:00Z. */
export function chinaMidnight(day: ChinaDay): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

/** The day `days` after (or before, when negative) `day`. */
export function addDays(day: ChinaDay, days: number): ChinaDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted: the same day is 1. */
export function daysInclusive(from: ChinaDay, to: ChinaDay): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** "2026-12-01" as a day that exists (no 2026-02-30), else null. */
export function parseChinaDay(text: string): ChinaDay | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const parsed = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== text ? null : text;
}
