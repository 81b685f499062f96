import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Response } from 'express';

/** The nearest `relative` above `from`: these modules run from src/ (tests), dist/ and dist-bench/src/. */
export function findUp(from: string, relative: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${relative} not found in any folder above ${from}`);
  }
}

/** Headers of every page and asset the service serves itself. */
export function pageHeaders(res: Response, contentSecurityPolicy: string): void {
  // File names carry no content hash, so browsers revalidate (ETag) on every load and pick up a new release.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
}

/**
 * Headers of a page opened from a private link, where the link is the only credential, so nothing
 * may carry it on: no Referer to anything the page links to, no copy in a cache (the browser's or
 * a proxy's), no search engine.
 */
export const privateLinkHeaders = (contentSecurityPolicy: string): Readonly<Record<string, string>> => ({
  'Content-Security-Policy': contentSecurityPolicy,
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'private, no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Robots-Tag': 'noindex, nofollow',
});

export const staticFiles = (dir: string, contentSecurityPolicy: string) =>
  express.static(dir, { index: 'index.html', redirect: false, dotfiles: 'ignore', setHeaders: (res: Response) => pageHeaders(res, contentSecurityPolicy) });
