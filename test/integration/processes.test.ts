import { afterEach, describe, expect, it, vi } from 'vitest';
import { signToken } from '../../src/auth/tokens.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { StaffRole } from '../../src/domain/staff-role.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { CreateTicketDocument } from '../support/graphql.generated.js';
import { dataOf, execute } from '../support/graphql-client.js';
import { FakeWeComLongConnection } from '../../src/local-wecom/long-connection-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { TEST_JWT_SECRET } from '../support/test-app.js';

/** The service run as real processes: started side by side, and killed. */
describe('service processes', () => {
  const services: ServiceProcess[] = [];
  const databases: TestDatabase[] = [];

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.kill('SIGKILL')));
    await Promise.all(databases.splice(0).map((d) => d.drop()));
  });

  const database = async (options?: { empty?: boolean }) => {
    const db = await createTestDatabase(options);
    databases.push(db);
    return db;
  };
  const start = async (env: Record<string, string>) => {
    const started = await ServiceProcess.start(env);
    services.push(started.service);
    return started;
  };

  it('two instances started at the same moment on an empty database both come up', async () => {
    const db = await database({ empty: true });
    const [a, b] = await Promise.all([start({ DATABASE_URL: db.url }), start({ DATABASE_URL: db.url })]);
    for (const { url } of [a, b]) expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready', database: 'ok' });
    const { rows } = await db.query<{ name: string }>('select name from mikro_orm_migrations order by id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect((await db.query(`select to_regclass('agenda_jobs') as t`)).rows[0]).toEqual({ t: 'agenda_jobs' });
    expect(a.service.log.filter((l) => l.msg === 'applied database migrations').length + b.service.log.filter((l) => l.msg === 'applied database migrations').length).toBe(1);
    // And they stop cleanly, although Agenda leaves timers behind.
    const codes = await Promise.all([a.service.kill('SIGTERM'), b.service.kill('SIGTERM')]);
    if (codes[0] !== 0) console.log(a.service.output().split('\n').slice(-15).join('\n'));
    expect(codes).toEqual([0, 0]);
  });

  it('delivers a reminder exactly once after the process is killed between its commit and its delivery', async () => {
    const db = await database();
    const env = { DATABASE_URL: db.url, REMINDER_SCAN_MS: '100' };
    // The first instance delivers slowly: the chat service records a message but takes a minute to say so.
    const first = await start({ ...env, DEV_CHANNEL_ACK_DELAY_MS: '60000' });
    const token = await signToken(TEST_JWT_SECRET, { userId: 'lisi', role: StaffRole.AGENT, name: '李四' });
    const deadline = new Date(Date.now() + 1500).toISOString();
    const ids: string[] = [];
    for (const description of ['服务器无法连接', '数据库无法登录']) {
      const created = await execute(`${first.url}/graphql`, CreateTicketDocument, { input: { customerName: '张三', description, deadline } }, token);
      ids.push(dataOf(created).createTicket.id);
    }
    // Both reminders committed and at least the first reached the chat (unacknowledged); any
    // other waits behind it or went with it, in order.
    await vi.waitFor(async () => expect((await db.query('select 1 from reminders')).rowCount).toBe(2), { timeout: 10_000 });
    await vi.waitFor(async () => expect((await db.query('select 1 from dev_channel_messages')).rowCount).toBeGreaterThan(0), { timeout: 10_000 });
    // Each ticket's card went to the outbox too, ahead of its reminder: all wait for the slow chat.
    const pending = await db.query(`select kind, count(*)::int as n from notifications where status = 'PENDING' group by kind order by kind`);
    expect(pending.rows).toEqual([{ kind: 'REMINDER', n: 2 }, { kind: 'NEW_TICKET', n: 2 }]);
    expect(await first.service.kill('SIGKILL')).toBeNull();
    const reachedBeforeKill = (await db.query<{ k: string }>('select idempotency_key as k from dev_channel_messages')).rows.map((r) => r.k);

    const second = await start(env);
    await vi.waitFor(async () => expect((await db.query(`select 1 from notifications where status = 'SENT'`)).rowCount).toBe(4), { timeout: 15_000 });
    const keys = (await db.query<{ idempotency_key: string }>('select idempotency_key from notifications order by id')).rows.map((r) => r.idempotency_key);
    expect((await db.query<{ k: string }>('select idempotency_key as k from dev_channel_messages order by id')).rows.map((r) => r.k)).toEqual(keys);
    const deliveries = (key: string) => [first, second].flatMap(({ service }) => service.log).filter((l) => l['idempotencyKey'] === key && String(l.msg).startsWith('📨'));
    expect(keys.map((key) => deliveries(key).length)).toEqual([1, 1, 1, 1]);
    for (const key of reachedBeforeKill) {
      expect(second.service.log.some((l) => l['idempotencyKey'] === key && l.msg === 'development channel: delivered before, not again')).toBe(true);
    }
    expect((await db.query<{ n: string }>('select count(*) as n from reminders')).rows[0]!.n).toBe('2');
  });

  it('hands the smart robot\'s connection to the second instance when the first is killed, and never holds two', async () => {
    const db = await database();
    const fake = await FakeWeComLongConnection.start({ botId: 'aibot-processes', secret: 'secret' });
    try {
      const env = { DATABASE_URL: db.url, WECOM_BOT_ID: 'aibot-processes', WECOM_BOT_SECRET: 'secret', WECOM_BOT_WS_URL: fake.url };
      const first = await start(env);
      await vi.waitFor(() => expect(fake.authenticatedConnections).toBe(1), { timeout: 10_000 });
      const second = await start(env);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(fake.authenticatedConnections).toBe(1);
      expect(second.service.log.some((l) => l.msg === 'smart robot connected')).toBe(false);
      expect(fake.frames.some((f) => f.direction === 'out' && JSON.stringify(f.frame).includes('disconnected_event'))).toBe(false);

      expect(await first.service.kill('SIGKILL')).toBeNull();
      await vi.waitFor(() => expect(second.service.log.some((l) => l.msg === 'smart robot connected')).toBe(true), { timeout: 15_000 });
      await vi.waitFor(() => expect(fake.authenticatedConnections).toBe(1), { timeout: 5000 });
      const { msgid } = fake.sendText({ chatid: 'wrGroupProcesses', userid: 'zhangsan', content: '@工单助手 /帮助' });
      await vi.waitFor(() => expect(fake.conversation('wrGroupProcesses')?.botMessages.find((m) => m.inReplyTo === msgid)?.finished).toBe(true), { timeout: 10_000 });
    } finally {
      await fake.close();
    }
  }, 60_000);
});
