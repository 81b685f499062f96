import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffRole } from '../../src/domain/staff-role.js';
import { FakeWeComLongConnection, type BotMessage, type WsFrame } from '../../src/local-wecom/long-connection-server.js';
import { CARD_ANSWER_BUDGET_MS } from '../../src/wecom/smart-robot.js';
import { CreateTicketDocument, TicketDocument } from '../support/graphql.generated.js';
import { dataOf } from '../support/graphql-client.js';
import { smartRobotEnv } from '../support/local-wecom.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const BOT = { id: 'aibot-cards', secret: 'card-secret' };
const GROUP = 'wrGroupCards';
const DEFAULT_GROUP = 'wrGroupCardsDefault';
const WAIT = { timeout: 10_000, interval: 50 };
/** Reference 1.9: a click's card update must reach WeCom within 5 s. */
const UPDATE_WINDOW_MS = 5000;

interface Card {
  card_type: string;
  main_title: { title: string; desc?: string };
  horizontal_content_list?: { keyname: string; value?: string; userid?: string }[];
  button_list: { text: string; key: string }[];
  task_id: string;
}

const robotEnv = (fake: FakeWeComLongConnection) => smartRobotEnv(fake, { ...BOT, defaultChatId: DEFAULT_GROUP });

describe('interactive ticket cards over the smart robot\'s long connection', () => {
  let fake: FakeWeComLongConnection;
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    fake = await FakeWeComLongConnection.start({ botId: BOT.id, secret: BOT.secret });
    t = await startTestApp(robotEnv(fake));
    admin = await t.token('admin', StaffRole.ADMIN, '管理员');
    await t.app.staff.upsert({ userId: 'lisi', name: '李四' });
    await t.app.staff.upsert({ userId: 'wangwu', name: '王五' });
    await vi.waitFor(() => expect(fake.authenticatedConnections).toBe(1), WAIT);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const botSaid = (conversation = GROUP): BotMessage[] => fake.conversation(conversation)?.botMessages ?? [];
  const cardsOf = (conversation = GROUP): Card[] => botSaid(conversation).filter((m) => m.kind === 'push' && m.msgtype === 'template_card').map((m) => JSON.parse(m.content) as Card);
  const ticketOf = async (id: string) => dataOf(await t.gql(TicketDocument, { id }, admin)).ticket;

  /** A staff member creates a ticket by chat in the group; resolves with its card once pushed. */
  async function createByChat(problem: string): Promise<{ id: string; card: Card }> {
    const { msgid } = fake.sendText({ chatid: GROUP, userid: 'zhangsan', content: `@工单助手 /创建工单 @客户王小明 手机:13800138000 问题:${problem}` });
    let id = '';
    await vi.waitFor(() => {
      const answer = botSaid().find((m) => m.inReplyTo === msgid && m.finished);
      id = /#(\d+)/.exec(answer?.content ?? '')?.[1] ?? '';
      expect(id).not.toBe('');
    }, WAIT);
    let card: Card | undefined;
    await vi.waitFor(() => {
      card = cardsOf().find((c) => c.main_title.title === `【新工单提醒】#ID${id}`);
      expect(card).toBeDefined();
    }, WAIT);
    return { id, card: card! };
  }

  /** Someone clicks a button of the card, as WeCom delivers it (reference 1.7: the payload nested under its event name). */
  const click = (card: Card, key: string, userid: string, msgid?: string) =>
    fake.sendEvent({ eventtype: 'template_card_event', userid, chatid: GROUP, ...(msgid ? { msgid } : {}), template_card_event: { card_type: 'button_interaction', event_key: key, task_id: card.task_id } });

  /** The card update that answered a click, once WeCom has acknowledged it, and how long after the click it came. */
  async function updateFor(reqId: string): Promise<{ card: Card; userids?: string[]; afterMs: number }> {
    const sentAt = fake.frames.find((f) => f.direction === 'out' && f.frame.headers.req_id === reqId && f.frame.cmd)!.at;
    const frame = await fake.waitForFrame((f) => f.cmd === 'aibot_respond_update_msg' && f.headers.req_id === reqId, UPDATE_WINDOW_MS + 2000);
    await vi.waitFor(() => expect(ackOf(reqId)?.errcode).toBe(0), WAIT);
    const received = fake.frames.find((f) => f.direction === 'in' && f.frame === frame)!.at;
    const body = frame.body as { template_card: Card; userids?: string[] };
    return { card: body.template_card, ...(body.userids ? { userids: body.userids } : {}), afterMs: received.getTime() - sentAt.getTime() };
  }

  const ackOf = (reqId: string): WsFrame | undefined => fake.frames.find((f) => f.direction === 'out' && !f.frame.cmd && f.frame.headers.req_id === reqId)?.frame;

  /** The card as the group sees it now (WeCom replaces a card in place by its task_id). */
  const shownCard = (taskId: string): Card | undefined => cardsOf().find((c) => c.task_id === taskId);

  const statusLines = (id: string) => botSaid().filter((m) => m.kind === 'push' && m.msgtype === 'markdown' && m.content.startsWith(`📌 工单 #${id} `)).map((m) => m.content);

  it('pushes the new-ticket card as a template card with 认领 and 已解决 and a task_id WeCom accepts', async () => {
    const { id, card } = await createByChat('服务器无法连接');
    expect(card).toMatchObject({ card_type: 'button_interaction', main_title: { title: `【新工单提醒】#ID${id}`, desc: '售后工单 - 服务器无法连接' } });
    expect(card.button_list).toEqual([
      { text: '认领', style: 1, key: `claim:${id}` },
      { text: '已解决', style: 2, key: `resolve:${id}` },
    ]);
    expect(card.horizontal_content_list?.map((row) => row.keyname)).toEqual(['客户', '联系', '优先级', '状态', '负责人', '期限']);
    expect(card.task_id).toMatch(new RegExp(`^t${id}_\\d+_[0-9a-f]{12}$`));
    expect(Buffer.byteLength(card.task_id)).toBeLessThanOrEqual(128);
    // The outbox keeps the card beside the text (other channels send the text), without a task_id: each push gives it one.
    const stored = await t.db.query(`select jsonb_typeof(card) as type, card ? 'task_id' as "hasTaskId", text from notifications where ticket_id = $1 and kind = 'NEW_TICKET'`, [Number(id)]);
    expect(stored.rows[0]).toMatchObject({ type: 'object', hasTaskId: false, text: expect.stringMatching(/^🟡 【新工单提醒】#ID\d+（由 zhangsan 创建）/) });
  });

  it('claims the ticket for whoever clicks 认领 and updates the card in place within 5 s: 已被李四认领', async () => {
    const { id, card } = await createByChat('打印机卡纸');
    const { reqId } = click(card, `claim:${id}`, 'lisi');
    const update = await updateFor(reqId);
    expect(update.afterMs).toBeLessThan(UPDATE_WINDOW_MS);
    expect(update.userids).toBeUndefined();
    expect(update.card).toMatchObject({ task_id: card.task_id, main_title: { desc: '已被李四认领' } });
    expect(update.card.button_list.map((b) => b.key)).toEqual([`view:${id}`, `resolve:${id}`]);
    expect(update.card.horizontal_content_list).toContainEqual({ keyname: '负责人', value: '李四', type: 3, userid: 'lisi' });
    expect(await ticketOf(id)).toMatchObject({ assignedTo: 'lisi', status: 'ASSIGNED' });
    // Replaced, not added: the group still has one card for the ticket, and it says who claimed it.
    expect(cardsOf().filter((c) => c.main_title.title === `【新工单提醒】#ID${id}`)).toHaveLength(1);
    expect(shownCard(card.task_id)?.main_title.desc).toBe('已被李四认领');
    await vi.waitFor(() => expect(statusLines(id)).toEqual([expect.stringMatching(/已分配 \| 进度：0% \| 负责人：李四（由 李四 更新）/)]), WAIT);

    // A later 认领 by someone else changes nothing and tells them who has it.
    const late = await updateFor(click(card, `claim:${id}`, 'wangwu').reqId);
    expect(late.card.main_title.desc).toBe('已被李四认领');
    const ticket = await ticketOf(id);
    expect(ticket.assignedTo).toBe('lisi');
    expect(ticket.events.filter((e) => e.type === 'ASSIGNED')).toHaveLength(1);
  });

  it('of two people clicking 认领 at the same moment, one claims it and both are told the same winner', async () => {
    const { id, card } = await createByChat('邮件收不到');
    // Hold the ticket's row so both claims read the same version and meet at the write; then let them go.
    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('select * from tickets where id = $1 for update', [Number(id)]);
      const clicks = [click(card, `claim:${id}`, 'lisi'), click(card, `claim:${id}`, 'wangwu')];
      await vi.waitFor(async () => {
        const { rows } = await t.db.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        expect(rows[0]?.n).toBe(2);
      }, WAIT);
      await client.query('commit');
      const updates = await Promise.all(clicks.map((c) => updateFor(c.reqId)));
      const ticket = await ticketOf(id);
      expect(['lisi', 'wangwu']).toContain(ticket.assignedTo);
      expect(ticket.events.filter((e) => e.type === 'ASSIGNED')).toHaveLength(1);
      const winner = `已被${ticket.assignedToName}认领`;
      expect(updates.map((u) => u.card.main_title.desc)).toEqual([winner, winner]);
      expect(updates.map((u) => u.userids)).toEqual([undefined, undefined]);
      for (const update of updates) expect(update.afterMs).toBeLessThan(UPDATE_WINDOW_MS);
    } finally {
      await client.end();
    }
  });

  it('applies a click WeCom delivers twice once', async () => {
    const { id, card } = await createByChat('网络很慢');
    const msgid = `click-twice-${id}`;
    const first = click(card, `claim:${id}`, 'wangwu', msgid);
    const again = click(card, `claim:${id}`, 'wangwu', msgid);
    const updates = await Promise.all([updateFor(first.reqId), updateFor(again.reqId)]);
    expect(updates.map((u) => u.card.main_title.desc)).toEqual(['已被王五认领', '已被王五认领']);
    const ticket = await ticketOf(id);
    expect(ticket.events.filter((e) => e.type === 'ASSIGNED')).toHaveLength(1);
    const seen = await t.db.query(`select count(*)::int as n from inbound_chat_messages where key = $1`, [`smart-robot-card:${BOT.id}:${msgid}`]);
    expect(seen.rows[0]?.n).toBe(1);
    // Once more, after the first has been answered: the card as the ticket stands, nothing run again.
    const later = await updateFor(click(card, `claim:${id}`, 'wangwu', msgid).reqId);
    expect(later.card.main_title.desc).toBe('已被王五认领');
    expect((await ticketOf(id)).version).toBe(ticket.version);
  });

  it('resolves the ticket on 已解决, says who did it, and tells a later clicker the same', async () => {
    const { id, card } = await createByChat('显示器黑屏');
    const resolved = await updateFor(click(card, `resolve:${id}`, 'lisi').reqId);
    expect(resolved.card.main_title.desc).toBe('已由李四标记解决');
    expect(resolved.card.button_list).toEqual([{ text: '已解决', style: 2, key: `view:${id}` }]);
    expect(await ticketOf(id)).toMatchObject({ status: 'RESOLVED', progress: 100 });
    await vi.waitFor(() => expect(statusLines(id)).toEqual([expect.stringMatching(/已解决 \| 进度：100%/)]), WAIT);

    const late = await updateFor(click(card, `resolve:${id}`, 'wangwu').reqId);
    expect(late.card.main_title.desc).toBe('已由李四标记解决');
    expect(late.userids).toBeUndefined();
    const ticket = await ticketOf(id);
    expect(ticket.events.filter((e) => e.type === 'STATUS_CHANGED')).toHaveLength(1);

    // 认领 on a resolved ticket claims nothing; the card keeps saying it is resolved.
    const claim = await updateFor(click(card, `claim:${id}`, 'wangwu').reqId);
    expect(claim.card.main_title.desc).toBe('已由李四标记解决');
    expect((await ticketOf(id)).assignedTo).toBeNull();
  });

  it('shows the clicker 处理中… when the claim outlasts its budget, and the group learns the result from the status line', async () => {
    const { id, card } = await createByChat('数据库连接超时');
    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('select * from tickets where id = $1 for update', [Number(id)]);
      const { reqId } = click(card, `claim:${id}`, 'lisi');
      const pending = await updateFor(reqId);
      expect(pending.afterMs).toBeGreaterThanOrEqual(CARD_ANSWER_BUDGET_MS - 50);
      expect(pending.afterMs).toBeLessThan(UPDATE_WINDOW_MS);
      expect(pending.userids).toEqual(['lisi']);
      expect(pending.card).toMatchObject({ task_id: card.task_id, main_title: { desc: '处理中…' }, button_list: [{ text: '刷新', key: `view:${id}` }] });
      await client.query('commit');
    } finally {
      await client.end();
    }
    await vi.waitFor(() => expect(statusLines(id)).toEqual([expect.stringMatching(/已分配 \| 进度：0% \| 负责人：李四/)]), WAIT);
    // 刷新 shows the card as the ticket stands.
    const refreshed = await updateFor(click(card, `view:${id}`, 'lisi').reqId);
    expect(refreshed.card.main_title.desc).toBe('已被李四认领');
  }, 20_000);

  it('gives every card its own task_id, across many tickets', async () => {
    fake.sendText({ chatid: DEFAULT_GROUP, userid: 'zhangsan', content: '/帮助' });
    await vi.waitFor(() => expect(botSaid(DEFAULT_GROUP).some((m) => m.finished)).toBe(true), WAIT);
    for (let i = 0; i < 20; i++) dataOf(await t.gql(CreateTicketDocument, { input: { customerName: `客户${i}`, description: `第 ${i} 个问题` } }, admin));
    await vi.waitFor(() => expect(cardsOf(DEFAULT_GROUP)).toHaveLength(20), { timeout: 15_000, interval: 100 });
    const taskIds = [...cardsOf(GROUP), ...cardsOf(DEFAULT_GROUP)].map((c) => c.task_id);
    expect(new Set(taskIds).size).toBe(taskIds.length);
    for (const taskId of taskIds) expect(taskId).toMatch(/^[0-9A-Za-z_\-@]{1,128}$/);
  });

  it('had every card and every card update accepted by WeCom', () => {
    const refusals = fake.frames.filter((f) => f.direction === 'out' && !f.frame.cmd && (f.frame.errcode ?? 0) !== 0);
    expect(refusals).toEqual([]);
  });

  it('sends a card WeCom refuses as invalid as its text instead', async () => {
    // WeCom refusing every frame with 40058 refuses the text too: the message is then dead, and the frames show the text was tried.
    fake.setOutage('refuse', 40058);
    try {
      const created = dataOf(await t.gql(CreateTicketDocument, { input: { customerName: '退回卡片', customerPhone: '13700137000', description: '卡片被拒' } }, admin)).createTicket;
      await vi.waitFor(async () => {
        const row = await t.db.query(`select status, last_error from notifications where ticket_id = $1 and kind = 'NEW_TICKET'`, [Number(created.id)]);
        expect(row.rows[0]).toMatchObject({ status: 'DEAD', last_error: expect.stringContaining('40058') });
      }, WAIT);
      const pushes = fake.frames.filter((f) => f.direction === 'in' && f.frame.cmd === 'aibot_send_msg' && JSON.stringify(f.frame.body).includes(`#ID${created.id}`));
      expect(pushes.map((f) => f.frame.body?.['msgtype'])).toEqual(['template_card', 'markdown']);
    } finally {
      fake.setOutage('none');
    }
  });
});
