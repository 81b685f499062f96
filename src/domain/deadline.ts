import { badInput } from './errors.js';
import type { Priority } from './priority.js';

const HOUR_MS = 3_600_000;

export interface DeadlinePolicy {
  /** Hours from creation to the deadline when no explicit deadline is given (the brief's 24 h). */
  readonly defaultHours: number;
  /** Optional shorter or longer windows per priority. */
  readonly hoursByPriority: Readonly<Partial<Record<Priority, number>>>;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = { defaultHours: 24, hoursByPriority: {} };

/** An explicit deadline further out than this is almost certainly a typo. */
const MAX_EXPLICIT_DAYS = 366;

export function defaultDeadline(createdAt: Date, priority: Priority, policy: DeadlinePolicy): Date {
  const hours = policy.hoursByPriority[priority] ?? policy.defaultHours;
  return new Date(createdAt.getTime() + hours * HOUR_MS);
}

export function validateExplicitDeadline(deadline: Date, now: Date): Date {
  if (Number.isNaN(deadline.getTime())) {
    throw badInput('处理期限不是有效的时间', 'The deadline is not a valid date', { field: 'deadline' });
  }
  if (deadline.getTime() <= now.getTime()) {
    throw badInput('处理期限必须晚于当前时间', 'The deadline must be in the future', { field: 'deadline' });
  }
  if (deadline.getTime() > now.getTime() + MAX_EXPLICIT_DAYS * 24 * HOUR_MS) {
    throw badInput('处理期限不能超过一年', 'The deadline must be within a year', { field: 'deadline' });
  }
  return deadline;
}

export function resolveDeadline(input: { createdAt: Date; priority: Priority; explicit?: Date | null }, policy: DeadlinePolicy): Date {
  return input.explicit ? validateExplicitDeadline(input.explicit, input.createdAt) : defaultDeadline(input.createdAt, input.priority, policy);
}

export const isOverdue = (deadline: Date, now: Date): boolean => deadline.getTime() < now.getTime();

export const hoursOverdue = (deadline: Date, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - deadline.getTime()) / HOUR_MS));
