/**
 * The overdue check from the command line, for cron users (the brief's check_overdue_tickets):
 * runs the sweep once, delivers what it wrote unless a worker is running to do it, and prints
 * the brief's answer: {"success": true, "overdue_count": N, "reminders_sent": M}.
 * Usage: npm run reminders:check
 */
import 'reflect-metadata';
import { openCore } from '../app.js';
import { configFromEnvironment, connectDatabase } from '../bootstrap.js';
import { ifAdvisoryLockFree } from '../db/advisory-lock.js';
import { createLogger } from '../logger.js';
import { DISPATCHER_LEAD } from '../worker.js';

const config = configFromEnvironment();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'reminders-check', 'stderr');
const database = await connectDatabase(config, logger);
let exitCode = 0;
try {
  const core = await openCore({ config, databaseUrl: database.url, logger });
  try {
    const result = await core.sweep.run();
    const delivered = await ifAdvisoryLockFree(database.url, DISPATCHER_LEAD, async () => void (await core.dispatcher.drainOnce()));
    if (!delivered) logger.info('a running worker delivers the reminders');
    console.log(JSON.stringify({ success: true, overdue_count: result.overdueCount, reminders_sent: result.remindersSent }));
  } finally {
    await core.close();
  }
} catch (error) {
  logger.error({ err: error }, 'the overdue check failed');
  console.log(JSON.stringify({ success: false, error: error instanceof Error ? error.message : String(error) }));
  exitCode = 1;
} finally {
  await database.embedded?.stop();
}
// Agenda leaves timers behind after stopping (its lock checks); nothing is left to wait for.
process.exit(exitCode);
