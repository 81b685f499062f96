import type { Logger } from '../logger.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import type { WeComAppClient } from './app-api.js';

export interface SyncResult {
  readonly synced: number;
  /** Members whose entry the staff directory refused (a userid outside WeCom's documented form). */
  readonly skipped: number;
}

/**
 * Copies names and aliases from WeCom's directory into the staff directory, so a sender shows by
 * name and "@李四" resolves (two members called 李四 are then asked about, by alias and userid).
 * Roles are the service's own and are left as they are; new members join as AGENTs.
 */
export async function syncStaffDirectory(client: WeComAppClient, staff: StaffDirectory, logger: Logger): Promise<SyncResult> {
  let synced = 0;
  let skipped = 0;
  for (const member of await client.directory()) {
    try {
      await staff.upsert({ userId: member.userid, name: member.name, aliases: member.alias ? [member.alias] : [] });
      synced++;
    } catch (error) {
      skipped++;
      logger.warn({ err: error, userId: member.userid }, 'a WeCom member could not be added to the staff directory');
    }
  }
  logger.info({ synced, skipped }, 'staff directory synced from WeCom');
  return { synced, skipped };
}
