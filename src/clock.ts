/**
 * Where the service reads the time. Every use case, query and job takes the time from the one
 * clock it was given, so tests move time instead of waiting for it (deadlines are hours away).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The value of `work`, or undefined when it takes longer than `ms` (it goes on); real time, for reply windows. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
