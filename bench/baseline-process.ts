/** Child process running the bare baseline server (it must not load the service's resolvers). */
import 'reflect-metadata';
import { startBaselineServer } from './baseline-server.js';
import { serveForParent } from './child.js';

const [databaseUrl, poolMax] = process.argv.slice(2) as [string, string];
await serveForParent(await startBaselineServer(databaseUrl, Number(poolMax)));
