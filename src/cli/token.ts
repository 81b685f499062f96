/**
 * Prints a bearer token for a staff member, creating the staff record if it is missing.
 * Usage: npm run token -- <userid> [--role AGENT|LEAD|ADMIN] [--name 李四] [--expires 30d]
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { issueToken } from '../auth/issue-token.js';
import { systemClock } from '../clock.js';
import { configFromEnvironment, connectDatabase, jwtSecretFor } from '../bootstrap.js';
import { openDatabase } from '../db/orm.js';
import { isStaffRole, StaffRole } from '../domain/staff-role.js';
import { createLogger } from '../logger.js';
import { StaffDirectory } from '../staff/staff-directory.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string', default: StaffRole.AGENT }, name: { type: 'string' }, expires: { type: 'string', default: '30d' } },
});
const userId = positionals[0];
const role = values.role.toUpperCase();
if (!userId || !isStaffRole(role)) {
  console.error('usage: npm run token -- <userid> [--role AGENT|LEAD|ADMIN] [--name 显示名] [--expires 30d]');
  process.exit(64);
}

const config = configFromEnvironment();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'token', 'stderr');
const database = await connectDatabase(config, logger);
try {
  const orm = await openDatabase({ url: database.url, logger });
  try {
    console.log(await issueToken(new StaffDirectory(orm, systemClock), await jwtSecretFor(config, logger), { userId, role, name: values.name, expiresIn: values.expires }));
  } finally {
    await orm.close();
  }
} finally {
  await database.embedded?.stop();
}
