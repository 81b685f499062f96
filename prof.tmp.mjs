import { fork } from 'node:child_process';
import autocannon from './node_modules/autocannon/autocannon.js';
import { startEmbeddedPostgres } from './dist-bench/src/db/embedded-postgres.js';
import { signToken } from './dist-bench/src/auth/tokens.js';
import { createLogger } from './dist-bench/src/logger.js';
const mode = process.argv[2] ?? 'read';
const db = await startEmbeddedPostgres({ dataDir: '/tmp/probe-pg', port: 57002, database: 'bench', logger: createLogger('warn'), persistent: false });
const secret = 'x'.repeat(40);
const base = process.argv[3] === 'baseline'; const child = fork(base ? './dist-bench/bench/baseline-process.js' : './dist-bench/bench/app-process.js', base ? [db.url, '10'] : [db.url, secret, '10'], process.env.PROF ? { execArgv: ['--cpu-prof', '--cpu-prof-dir=' + (base ? '/tmp/profB' : '/tmp/profA')] } : {});
const { url } = await new Promise((r) => child.once('message', r));
const token = await signToken(secret, { userId: 'b', role: 'AGENT', name: 'b' });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
let i = 0;
const create = () => JSON.stringify({ query: 'mutation Create($input: CreateTicketInput!) { createTicket(input: $input) { id title status priority progress deadline } }', variables: { input: { customerName: `客户${i % 500}`, customerPhone: `1390${String(i++ % 500).padStart(7, '0')}`, description: `服务器无法连接 #${i}` } } });
const read = () => JSON.stringify({ query: 'query Read($id: ID!) { ticket(id: $id) { id title status priority progress deadline } }', variables: { id: String(1 + (i++ % 500)) } });
if (base) { const pg = (await import('./node_modules/pg/lib/index.js')).default; const c = new pg.Client(db.url); await c.connect(); await new Promise(r => setTimeout(r, 500)); await c.query(`insert into bare_tickets (title, description, deadline) select 't'||g, 'd', now() from generate_series(1,500) g`); await c.end(); }
if (mode === 'read' && !base) { const pg = (await import('./node_modules/pg/lib/index.js')).default; const c = new pg.Client(db.url); await c.connect(); await c.query(`insert into customers (name, created_at, updated_at) values ('x', now(), now())`); await c.query(`insert into tickets (title, description, priority, customer_id, deadline, created_at, updated_at) select 't'||g, 'd', 'NORMAL', 1, now(), now(), now() from generate_series(1,500) g`); await c.end(); }
else await autocannon({ url, method: 'POST', connections: 16, amount: 300, headers, requests: [{ setupRequest: (r) => ({ ...r, body: create() }) }] });
const { readFileSync } = await import('node:fs'); const { execSync } = await import('node:child_process');
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const pgCpu = () => execSync("ps -u postgres -o times= | awk '{s+=$1} END {print s*1000}'").toString().trim() * 1;
const selfCpu0 = process.cpuUsage(); const c0 = cpu(child.pid); const p0 = pgCpu();
const r = await autocannon({ url, method: 'POST', connections: 16, duration: 5, headers, requests: [{ setupRequest: (r) => ({ ...r, body: mode === 'read' ? read() : create() }) }] });
const n = r.requests.total; const su = process.cpuUsage(selfCpu0); console.log('server µs/req', (cpu(child.pid) - c0) * 1000 / n, 'pg µs/req', (pgCpu() - p0) * 1000 / n, 'loadgen µs/req', (su.user + su.system) / n);
console.log(mode, r.requests.average, r.latency.p99, r.errors, r.non2xx);
child.send('stop'); await new Promise((r) => child.once('exit', r)); await db.stop();
