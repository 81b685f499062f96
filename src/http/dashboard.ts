import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { findUp, staticFiles } from './static-files.js';

const PAGE_DIR = findUp(path.dirname(fileURLToPath(import.meta.url)), 'public/dashboard');
// The package's browser build (dist/client.js) imports only relative chunks, so browsers load it as is.
const GRAPHQL_WS_DIST = path.dirname(createRequire(import.meta.url).resolve('graphql-ws'));

// The page keeps a bearer token in localStorage: allow nothing but its own scripts and this origin.
const CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const pageFiles = (dir: string) => staticFiles(dir, CONTENT_SECURITY_POLICY);

/** The live dashboard (mounted at /dashboard) and the graphql-ws browser client it imports. */
export function dashboardRoutes(): Router {
  const router = express.Router();
  // The page links its script and styles relatively, which needs the trailing slash.
  router.get('/', (req, res, next) => {
    const url = new URL(req.originalUrl, 'http://localhost');
    if (url.pathname.endsWith('/')) return next();
    res.redirect(301, `${url.pathname}/${url.search}`);
  });
  router.use('/vendor/graphql-ws', pageFiles(GRAPHQL_WS_DIST));
  router.use(pageFiles(PAGE_DIR));
  return router;
}
