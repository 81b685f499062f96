import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Priority } from '../../src/domain/priority.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { DEADLINE_JOB } from '../../src/reminders/deadline-jobs.js';
import { AGENDA_COLLECTION, ensureAgendaIndexes, MongoDeadlineJobs } from '../../src/reminders/mongo-deadline-jobs.js';
import { CreateTicketDocument, TicketRemindersDocument, UpdateTicketStatusDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { ServiceProcess } from '../support/service-process.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/database.js';

/**
 * The production job store. No MongoDB server can be installed on the build machines, so these
 * run where MONGODB_URL points at one (e.g. `docker compose up mongo` and
 * MONGODB_URL=mongodb://127.0.0.1:27017/tickets npm test) and are reported as skipped otherwise.
 */
const MONGODB_URL = process.env['MONGODB_URL'];
if (!MONGODB_URL) process.stderr.write('MongoDB tests skipped: set MONGODB_URL to a MongoDB server to run them (see README, "Deadline reminders").\n');

/** The same server, a database of its own (dropped afterwards). */
const databaseUrl = (url: string, database: string) => url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${database}`);

describe.skipIf(!MONGODB_URL)('deadline jobs on MongoDB (needs MONGODB_URL)', () => {
  const url = databaseUrl(MONGODB_URL ?? '', `tickets_test_${randomUUID().replaceAll('-', '')}`);
  let client: MongoClient;
  let clock: TestClock;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    client = await MongoClient.connect(url);
    clock = TestClock.install();
    t = await startTestApp({ MONGODB_URL: url, REMINDER_SCAN_MS: '100' }, undefined, { clock });
    token = await t.token('wangwu', StaffRole.AGENT, '王五');
  });
  afterAll(async () => {
    await t?.close();
    clock?.uninstall();
    await client?.db().dropDatabase();
    await client?.close();
  });

  it('keeps one job per ticket: created, moved, found and removed in bulk', async () => {
    const jobs = new MongoDeadlineJobs(client.db(), 'test');
    await ensureAgendaIndexes(client.db());
    const first = new Date('2030-01-01T00:00:00Z');
    const moved = new Date('2030-01-02T00:00:00Z');
    await jobs.schedule([{ ticketId: 900_001, runAt: first, priority: Priority.NORMAL }, { ticketId: 900_002, runAt: first, priority: Priority.URGENT }]);
    await jobs.schedule([{ ticketId: 900_001, runAt: moved, priority: Priority.NORMAL }]);
    const found = await jobs.find([900_001, 900_002, 900_003]);
    expect([...found.keys()].sort()).toEqual([900_001, 900_002]);
    expect(found.get(900_001)?.nextRunAt).toEqual(moved);
    expect(await client.db().collection(AGENDA_COLLECTION).countDocuments({ name: DEADLINE_JOB, 'data.ticketId': 900_001 })).toBe(1);
    await jobs.remove([900_001, 900_002]);
    expect((await jobs.find([900_001, 900_002])).size).toBe(0);
  });

  it('reminds when the deadline passes and drops the job once the ticket is resolved', async () => {
    const { createTicket: ticket } = dataOf(
      await t.gql(CreateTicketDocument, { input: { customerName: '张三', description: '服务器无法连接', deadline: new Date(clock.now().getTime() + 3_600_000).toISOString() } }, token),
    );
    const jobOf = async () => (await t.app.jobs.jobs.find([Number(ticket.id)])).get(Number(ticket.id));
    await vi.waitFor(async () => expect((await jobOf())?.nextRunAt?.toISOString()).toBe(ticket.deadline), { timeout: 5000 });
    clock.set(new Date(Date.parse(ticket.deadline) + 1000));
    await vi.waitFor(async () => expect(dataOf(await t.gql(TicketRemindersDocument, { id: ticket.id }, token)).ticket.reminders).toHaveLength(1), { timeout: 5000 });
    await t.gql(UpdateTicketStatusDocument, { id: ticket.id, status: 'RESOLVED' }, token);
    await vi.waitFor(async () => expect(await jobOf()).toBeUndefined(), { timeout: 5000 });
  });

  it('two instances started at once on an empty database and job store both come up', async () => {
    const db = await createTestDatabase({ empty: true });
    const jobsUrl = databaseUrl(MONGODB_URL ?? '', `tickets_test_${randomUUID().replaceAll('-', '')}`);
    const started = await Promise.all([0, 1].map(() => ServiceProcess.start({ DATABASE_URL: db.url, MONGODB_URL: jobsUrl })));
    try {
      for (const { url: base } of started) expect((await fetch(`${base}/readyz`)).status).toBe(200);
      for (const { service } of started) expect(service.log.some((l) => l.msg === 'job scheduler connected' && l['store'] === 'MongoDB')).toBe(true);
    } finally {
      await Promise.all(started.map(({ service }) => service.kill('SIGTERM')));
      const jobsClient = await MongoClient.connect(jobsUrl);
      await jobsClient.db().dropDatabase();
      await jobsClient.close();
      await db.drop();
    }
  });
});
