/**
 * Child process running the bare graphql-ws baseline and its publisher. The publisher makes the
 * same changes the service's writer commits (tickets reassigned back and forth between two staff
 * members) as in-memory payloads of the same shape, and publishes them in this process: t0 is
 * when each is published.
 */
import 'reflect-metadata';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { Priority } from '../src/domain/priority.js';
import { TicketEventType } from '../src/domain/ticket-event.js';
import { TicketStatus } from '../src/domain/ticket-status.js';
import { clock, serveParent, type PublisherMethods, type ServerMethods } from './live-ipc.js';
import { startBareLiveServer, TICKET_UPDATED, type BareTicket, type BareTicketUpdate } from './live-baseline-server.js';
import { publishBurst, publishSteadily, type Committed } from './live-publishing.js';

const [ticketCount] = process.argv.slice(2) as [string];
const TICKETS = Number(ticketCount);
const STAFF = [
  { userId: 'bench-a', name: '李四' },
  { userId: 'bench-b', name: '王五' },
] as const;
const DAY_MS = 24 * 3600 * 1000;

const server = await startBareLiveServer();
const tickets: BareTicket[] = Array.from({ length: TICKETS }, (_, i) => ({
  id: String(i + 1),
  title: `服务器无法连接 #${i}`,
  status: TicketStatus.ASSIGNED,
  priority: Priority.NORMAL,
  assignedTo: STAFF[0].userId,
  assignedToName: STAFF[0].name,
  deadline: new Date(Date.now() + DAY_MS),
  overdue: false,
  version: 2,
  customer: { name: `客户${i}` },
}));
let lastEventId = 0;
const cursors: number[] = [];

/** Reassigns the writer's next ticket and publishes the update; the writers' tickets never overlap. */
function reassign(worker: number, writers: number): Committed {
  const turn = cursors[worker] ?? 0;
  cursors[worker] = turn + 1;
  const cursor = worker + writers * (turn % Math.floor(TICKETS / writers));
  const ticket = tickets[cursor]!;
  const from = ticket.assignedTo;
  const to = STAFF[from === STAFF[0].userId ? 1 : 0];
  Object.assign(ticket, { assignedTo: to.userId, assignedToName: to.name, version: ticket.version + 1 });
  const id = ++lastEventId;
  const update: BareTicketUpdate = {
    event: { id: String(id), type: TicketEventType.ASSIGNED, from, to: to.userId, actorId: 'bench-writer', createdAt: new Date() },
    ticket: { ...ticket },
  };
  const t0 = clock();
  server.pubSub.publish(TICKET_UPDATED, update);
  return { eventIds: [id], t0 };
}

serveParent<PublisherMethods & ServerMethods>(
  { url: server.url },
  {
    subscribers: () => server.pubSub.subscribers(TICKET_UPDATED),
    steady: (plan) => {
      cursors.length = 0;
      return publishSteadily(plan, (worker) => reassign(worker, 1));
    },
    burst: (plan) => {
      cursors.length = 0;
      // One publisher, yielding to I/O after each publish so the fan-out proceeds meanwhile,
      // as it would between changes arriving from outside.
      return publishBurst({ count: plan.count, concurrency: 1 }, async (worker) => {
        const committed = reassign(worker, 1);
        await yieldToIo();
        return committed;
      });
    },
  },
  () => server.close(),
);
