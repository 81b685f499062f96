import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Router } from 'express';
import { findUp, pageHeaders, staticFiles } from './static-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAGE_DIR = findUp(here, 'public/graphiql');
/** GraphiQL 3's prebuilt browser bundle and the React 18 builds it runs on (later GraphiQL releases ship none). */
const VENDOR = {
  graphiql: findUp(here, 'node_modules/graphiql'),
  react: findUp(here, 'node_modules/react/umd'),
  'react-dom': findUp(here, 'node_modules/react-dom/umd'),
  'graphql-ws': path.dirname(createRequire(import.meta.url).resolve('graphql-ws')),
} as const;

// GraphiQL's editors set inline styles; scripts stay limited to the service's own files.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A browser opening /graphql (not a client sending a GET query, which Apollo answers). */
function wantsThePage(req: Request): boolean {
  return req.query['query'] === undefined && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/** GraphiQL on GET /graphql for browsers, with its scripts under /graphiql; everything from npm packages, no CDN. */
export function graphqlIdeRoutes(): Router {
  const router = express.Router();
  router.get('/graphql', (req, res, next) => {
    if (!wantsThePage(req)) return next();
    pageHeaders(res, CONTENT_SECURITY_POLICY);
    res.sendFile(path.join(PAGE_DIR, 'index.html'));
  });
  for (const [name, dir] of Object.entries(VENDOR)) router.use(`/graphiql/vendor/${name}`, staticFiles(dir, CONTENT_SECURITY_POLICY));
  router.use('/graphiql', staticFiles(PAGE_DIR, CONTENT_SECURITY_POLICY));
  return router;
}
