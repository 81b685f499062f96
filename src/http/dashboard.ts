import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';

/** The nearest `relative` above `from`: this module runs from src/ (tests), dist/ and dist-bench/src/. */
function findUp(from: string, relative: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${relative} not found in any folder above ${from}`);
  }
}

const PAGE_DIR = findUp(path.dirname(fileURLToPath(import.meta.url)), 'public/dashboard');
// The package's browser build (dist/client.js) imports only relative chunks, so browsers load it as is.
const GRAPHQL_WS_DIST = path.dirname(createRequire(import.meta.url).resolve('graphql-ws'));

// The page keeps a bearer token in localStorage: allow nothing but its own scripts and this origin.
const CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// File names carry no content hash, so browsers revalidate (ETag) on every load and pick up a new release.
const staticFiles = (dir: string) =>
  express.static(dir, {
    index: 'index.html',
    redirect: false,
    dotfiles: 'ignore',
    setHeaders: (res: Response) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    },
  });

/** The live dashboard (mounted at /dashboard) and the graphql-ws browser client it imports. */
export function dashboardRoutes(): Router {
  const router = express.Router();
  // The page links its script and styles relatively, which needs the trailing slash.
  router.get('/', (req, res, next) => {
    const url = new URL(req.originalUrl, 'http://localhost');
    if (url.pathname.endsWith('/')) return next();
    res.redirect(301, `${url.pathname}/${url.search}`);
  });
  router.use('/vendor/graphql-ws', staticFiles(GRAPHQL_WS_DIST));
  router.use(staticFiles(PAGE_DIR));
  return router;
}
