import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which the browser tests drive (.ci/run installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests must be skipped; says so once per file that asks. */
export function chromiumMissing(): boolean {
  const missing = !existsSync(CHROMIUM);
  if (missing) console.warn(`test/browser skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);
  return missing;
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
