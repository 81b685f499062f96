/**
 * Child process committing the changes: a second instance of the service (startApp on the same
 * database), so updates reach the subscribers' instance the way they do in production, through
 * the event log and NOTIFY. Each change reassigns a ticket between two staff members: one
 * ASSIGNED event per commit. t0 is when the use case's promise resolved, the commit done.
 */
import 'reflect-metadata';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/domain/ticket-event.js';
import { createLogger } from '../src/logger.js';
import { clock, serveParent, type PublisherMethods } from './live-ipc.js';
import { publishBurst, publishSteadily, type Committed } from './live-publishing.js';

const [databaseUrl, jwtSecret, ticketCount] = process.argv.slice(2) as [string, string, string];
const TICKETS = Number(ticketCount);
const STAFF = ['bench-a', 'bench-b'] as const;
const ACTOR: Actor = { userId: 'bench-writer', name: '压测' };

const config = loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', JWT_SECRET_KEY: jwtSecret, DETAIL_LINK_SECRET: `${jwtSecret}-detail-links`, DATABASE_URL: databaseUrl });
const app = await startApp({ config, databaseUrl, jwtSecret, logger: createLogger('warn', 'bench-writer') });

await app.staff.upsert({ userId: STAFF[0], name: '李四' });
await app.staff.upsert({ userId: STAFF[1], name: '王五' });
/** Ticket id → its assignee; every ticket starts assigned, so a reassignment is a single event. */
const tickets = new Map<number, string>();
for (let i = 0; i < TICKETS; i++) {
  const phone = `1390${String(i).padStart(7, '0')}`;
  const { ticket } = await app.tickets.createTicket(ACTOR, { customerName: `客户${i}`, customerPhone: phone, description: `服务器无法连接 #${i}` });
  await app.tickets.assignTicket(ACTOR, ticket.id, STAFF[0]);
  tickets.set(ticket.id, STAFF[0]);
}
const ids = [...tickets.keys()];
let cursors: number[] = [];

/** Reassigns the writer's next ticket; writers take every `writers`-th ticket, so never the same one. */
async function reassign(worker: number, writers: number): Promise<Committed> {
  const turn = cursors[worker] ?? 0;
  cursors[worker] = turn + 1;
  const cursor = worker + writers * (turn % Math.floor(TICKETS / writers));
  const id = ids[cursor]!;
  const to = tickets.get(id) === STAFF[0] ? STAFF[1] : STAFF[0];
  const { events } = await app.tickets.assignTicket(ACTOR, id, to);
  const t0 = clock();
  tickets.set(id, to);
  return { eventIds: events.map((e) => Number(e.id)), t0 };
}

serveParent<PublisherMethods>(
  { ready: true },
  {
    steady: (plan) => {
      cursors = [];
      return publishSteadily(plan, (worker) => reassign(worker, 1));
    },
    burst: (plan) => {
      cursors = [];
      return publishBurst(plan, (worker) => reassign(worker, plan.concurrency));
    },
  },
  () => app.close(),
);
