import { vi } from 'vitest';
import type { Clock } from '../../src/clock.js';

/**
 * The service's clock in tests that move time. The service reads time only through its Clock,
 * but Agenda, which decides when a job is due, reads the process's Date and takes no clock. So
 * this clock fakes the process's Date alone (timers stay real, and time keeps flowing from where
 * it was set) and moves it: service and Agenda agree on what time it is.
 */
export class TestClock implements Clock {
  static install(start: Date = new Date()): TestClock {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: start });
    return new TestClock();
  }

  uninstall(): void {
    vi.useRealTimers();
  }

  now(): Date {
    return new Date();
  }

  advance(ms: number): void {
    vi.setSystemTime(Date.now() + ms);
  }

  set(date: Date): void {
    vi.setSystemTime(date);
  }
}

/**
 * A clock that stands still until it is set: every event gets exactly the time chosen, for
 * figures computed to the millisecond. Only for an instance that runs no Agenda jobs
 * (SERVICE_ROLE=api), since Agenda reads the process's Date, not this.
 */
export class ManualClock implements Clock {
  private at: Date;

  constructor(start: Date | string) {
    this.at = new Date(start);
  }

  now(): Date {
    return new Date(this.at);
  }

  set(date: Date | string): void {
    this.at = new Date(date);
  }
}
