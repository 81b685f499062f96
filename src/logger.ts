import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines to stdout; command-line tools log to stderr so their stdout stays clean. */
export function createLogger(level: string, name = 'tickets', stream: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(stream === 'stdout' ? 1 : 2));
}
