/**
 * Where the service reads the time. Every use case, query and job takes the time from the one
 * clock it was given, so tests move time instead of waiting for it (deadlines are hours away).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
