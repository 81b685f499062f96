/**
 * Prints a bearer token for a staff member, creating the staff record if it is missing.
 * Usage: npm run token -- <userid> [--role AGENT|LEAD|ADMIN] [--name 李四] [--expires 30d]
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { signToken } from '../auth/tokens.js';
import { configFromEnvironment, connectDatabase, createLogger, jwtSecretFor } from '../bootstrap.js';
import { openDatabase } from '../db/orm.js';
import { isStaffRole, StaffRole } from '../domain/staff-role.js';
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
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const database = await connectDatabase(config, logger);
try {
  const orm = await openDatabase({ url: database.url, logger });
  const staff = await new StaffDirectory(orm).ensure(userId, { name: values.name, role });
  await orm.close();
  const token = await signToken(await jwtSecretFor(config, logger), { userId: staff.userId, role, name: staff.name }, values.expires);
  console.log(token);
} finally {
  await database.embedded?.stop();
}
