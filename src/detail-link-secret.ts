import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/** The file under DATA_DIR that keeps the development key of the 查看详情 links. */
export const DETAIL_LINK_SECRET_FILE = 'detail-link-secret';

/**
 * The key of the 查看详情 links (see src/domain/detail-link.ts): DETAIL_LINK_SECRET; in development a
 * random key kept under DATA_DIR, as the JWT secret is (bootstrap.ts's jwtSecretFor), so links in
 * the chat survive restarts; in tests one held in memory (test apps leave no files behind).
 * Production requires it to be set (loadConfig). It is never the JWT secret: a leaked link key must not mint API tokens, nor a leaked token key links.
 */
export async function detailLinkSecretFor(config: Config, logger: Logger, jwtSecret: string): Promise<string> {
  const secret = config.detailLinks.secret ?? (config.env === 'test' ? randomBytes(48).toString('base64url') : await developmentSecret(config, logger));
  if (secret === jwtSecret) throw new Error('DETAIL_LINK_SECRET must differ from JWT_SECRET_KEY');
  return secret;
}

async function developmentSecret(config: Config, logger: Logger): Promise<string> {
  const file = path.join(config.dataDir, DETAIL_LINK_SECRET_FILE);
  const kept = await readFile(file, 'utf8').then((text) => text.trim(), () => undefined);
  if (kept) return kept;
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': when two instances start together on one DATA_DIR, the first key written is the one both use.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw error;
  }
  logger.warn({ file }, 'DETAIL_LINK_SECRET is not set: generated a development key for the 查看详情 links (set DETAIL_LINK_SECRET in production)');
  return secret;
}
