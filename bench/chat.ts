/**
 * npm run bench:chat — chat commands through the smart robot, side by side in one run with the
 * same GraphQL operations sent over HTTP, on one service. Messages arrive open-loop (on a fixed
 * schedule, never waiting for replies) at 20 commands/s spread over 50 groups, from a fake WeCom
 * long-connection server (src/local-wecom) that the service's smart robot connects to as it would
 * to WeCom; the same commands, parsed by the chat grammar into the chat adapter's own documents
 * (ChatCreateTicket, ChatAssignTicket, ChatUpdateTicketStatus, ChatTicket), are then sent at the
 * same rate as POST /graphql with a staff bearer token. The two alternate round by round.
 *
 * Reports, for the chat path, the time from a message arriving (the fake sending its callback) to
 * the first reply frame (the "⏳ 正在处理…" stream frame, which must come well inside WeCom's 5 s
 * window; target p99 < 100 ms) and to the final frame (the result), and for HTTP the time from
 * request to response: p50/p99/max, counts and errors (a reply starting with ❌, a reply frame the
 * fake refused, a reply that never came; an HTTP error or a GraphQL error), then the same by
 * command, the service process's CPU per command (all of its work: the outbox's announcements of
 * the new tickets and changes included), the whole machine's CPU (busy, and stolen by the host:
 * read the figures against it on a shared machine) and where the announcements stand at the end.
 * Timestamps are performance.now() in this process, taken as the fake receives each frame.
 *
 * The command mix, every 10 messages: 6 × `/创建工单 @客户… 手机:… 问题:…` (a new customer and
 * phone each), 2 × `/分配工单 #id @李四` and 1 × `/查询工单 #id` on one of the 20 tickets created
 * last, 1 × `#id 已处理` on an older ticket; half of them start with `@工单助手 `. Five senders;
 * message i goes to group i mod BENCH_GROUPS. The service runs in its own process as deployed
 * (API and worker: reminders, announcements, outbox), the fake and the load in this one; the
 * fake's own rate limits are raised so that no reply is refused for them (the service still keeps
 * its pushes within WeCom's 30 a minute per conversation, counting its replies).
 *
 * Settings (environment): BENCH_RATE (20 commands/s), BENCH_SECONDS (30 s measured per path, split
 * over the rounds), BENCH_ROUNDS (3), BENCH_GROUPS (50), BENCH_WARMUP_SECONDS (3 s per path, not
 * counted; at least one message to every group), BENCH_SERVICE_SETTINGS (JSON of extra
 * environment variables for the service).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { print, type DocumentNode } from 'graphql';
import pg from 'pg';
import { signToken } from '../src/auth/tokens.js';
import {
  ChatAssignTicketDocument,
  ChatCreateTicketDocument,
  ChatTicketDocument,
  ChatUpdateTicketStatusDocument,
} from '../src/chat-adapter/operations.generated.js';
import { createTicketInput } from '../src/chat-adapter/chat-commands.js';
import { normalizeChatText } from '../src/chat/chat-text.js';
import { parseChatCommand } from '../src/chat/command-grammar.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { DEFAULT_CONVERSATION } from '../src/domain/notification.js';
import { StaffRole } from '../src/domain/staff-role.js';
import { Cmd, FakeWeComLongConnection, type WsFrame } from '../src/local-wecom/long-connection-server.js';
import { createLogger } from '../src/logger.js';
import { startServer, type Server } from './load.js';

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
}

const RATE = setting('BENCH_RATE', 20);
const SECONDS = setting('BENCH_SECONDS', 30);
const ROUNDS = Math.round(setting('BENCH_ROUNDS', 3));
const GROUPS = Math.round(setting('BENCH_GROUPS', 50));
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 3);
/** Idle seconds after the warm-up over which the service's CPU at rest is measured. */
const REST_SECONDS = 3;
const SERVICE_SETTINGS = JSON.parse(process.env['BENCH_SERVICE_SETTINGS'] ?? '{}') as Record<string, string>;
const POOL_MAX = 10;
/** Commands per path per round. */
const PER_ROUND = Math.round((SECONDS * RATE) / ROUNDS);
/** Commands in each path's warm-up, which reaches every group. */
const WARMUP = Math.max(GROUPS, Math.round(WARMUP_SECONDS * RATE));
/** A reply that has not come by then is counted missing. */
const REPLY_TIMEOUT_MS = 30_000;
const FIRST_FRAME_TARGET_MS = 100;
const WECOM_WINDOW_MS = 5000;

const BOT = { botId: 'bench-bot', secret: randomBytes(16).toString('hex') };
const BOT_NAME = '工单助手';
/** Where tickets created over HTTP are announced (someone must have messaged the bot there first). */
const DEFAULT_CHAT = 'wrBenchDefault';
const groupOf = (i: number) => `wrBenchGroup${String((i % GROUPS) + 1).padStart(2, '0')}`;
const SENDERS = [
  { userId: 'wangwu', name: '王五' },
  { userId: 'zhaoliu', name: '赵六' },
  { userId: 'qianqi', name: '钱七' },
  { userId: 'sunba', name: '孙八' },
  { userId: 'zhoujiu', name: '周九' },
] as const;
type Sender = (typeof SENDERS)[number];
const senderOf = (i: number): Sender => SENDERS[Math.floor(i / GROUPS) % SENDERS.length]!;

// ---- the commands ------------------------------------------------------------------------------

type Kind = 'create' | 'assign' | 'process' | 'query';
const MIX: readonly Kind[] = ['create', 'assign', 'create', 'query', 'create', 'process', 'create', 'create', 'assign', 'create'];
const KINDS: ReadonlyArray<{ kind: Kind; label: string }> = [
  { kind: 'create', label: '/创建工单 (createTicket)' },
  { kind: 'assign', label: '/分配工单 (assignTicket)' },
  { kind: 'process', label: '#id 已处理 (updateTicketStatus)' },
  { kind: 'query', label: '/查询工单 #id (ticket)' },
];

const SURNAMES = [...'张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '华', '丽', '平'];
const PROBLEMS = ['服务器无法连接', '打印机卡纸', '系统登录失败', '网络频繁掉线', '邮件发送失败', '数据库备份报错'];
/** Tickets at most this recent are assigned and queried; "已处理" goes to older ones, so no two commands race for a ticket. */
const RECENT = 20;

/** The tickets one path has created (as their replies or responses came back), for the commands on earlier tickets. */
class Tickets {
  private readonly created: number[] = [];
  private processed = 0;
  private picks = 0;

  add(id: number): void {
    this.created.push(id);
  }

  recent(): number | undefined {
    if (this.created.length === 0) return undefined;
    const window = Math.min(RECENT, this.created.length);
    return this.created[this.created.length - 1 - (this.picks++ % window)];
  }

  /** The oldest ticket not yet reported done, once it is out of the recent window (each moves to PROCESSING once). */
  older(): number | undefined {
    return this.processed < this.created.length - RECENT ? this.created[this.processed++] : undefined;
  }
}

interface Command {
  readonly kind: Kind;
  readonly text: string;
  readonly chatId: string;
  readonly sender: Sender;
}

/** Message i of a path: the mix's kind, falling back to a create while there is no ticket to act on. */
function commandFor(i: number, phonePrefix: string, tickets: Tickets): Command {
  const at = i % 2 === 0 ? `@${BOT_NAME} ` : '';
  const base = { chatId: groupOf(i), sender: senderOf(i) };
  let kind = MIX[i % MIX.length]!;
  let target: number | undefined;
  if (kind === 'process') {
    target = tickets.older();
    if (target === undefined) kind = 'query';
  }
  if (kind === 'assign' || kind === 'query') {
    target = tickets.recent();
    if (target === undefined) kind = 'create';
  }
  switch (kind) {
    case 'create': {
      const customer = `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
      const phone = `${phonePrefix}${String(i).padStart(8, '0')}`;
      return { ...base, kind, text: `${at}/创建工单 @客户${customer} 手机:${phone} 问题:${PROBLEMS[i % PROBLEMS.length]}` };
    }
    case 'assign':
      return { ...base, kind, text: `${at}/分配工单 #${target} @李四` };
    case 'process':
      return { ...base, kind, text: `${at}#${target} 已处理` };
    case 'query':
      return { ...base, kind, text: `${at}/查询工单 #${target}` };
  }
}

interface HttpOperation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

const DOCUMENTS = {
  create: print(ChatCreateTicketDocument as DocumentNode),
  assign: print(ChatAssignTicketDocument as DocumentNode),
  status: print(ChatUpdateTicketStatusDocument as DocumentNode),
  ticket: print(ChatTicketDocument as DocumentNode),
};

/** The operation the chat adapter runs for a command's text, with the variables it passes (src/chat-adapter/chat-commands.ts). */
function operationFor(text: string): HttpOperation {
  const command = parseChatCommand(normalizeChatText(text, [BOT_NAME]));
  switch (command.kind) {
    case 'create':
      return { query: DOCUMENTS.create, variables: { input: createTicketInput(command) } };
    case 'assign':
      return { query: DOCUMENTS.assign, variables: { id: String(command.ticketId), assignee: command.assignee } };
    case 'changeStatus':
      return { query: DOCUMENTS.status, variables: { id: String(command.ticketId), status: command.status, note: command.note ?? null } };
    case 'query':
      if (command.query.by === 'ticket') return { query: DOCUMENTS.ticket, variables: { id: String(command.query.ticketId) } };
  }
  throw new Error(`not a command of the mix: ${text} (${command.kind})`);
}

// ---- measuring -------------------------------------------------------------------------------------

interface Sample {
  readonly kind: Kind;
  /** Milliseconds from arrival to the first reply frame (chat only). */
  readonly first?: number;
  /** Milliseconds from arrival to the final frame, or from request to response. */
  readonly final?: number;
  /** What went wrong, if anything: the ❌ reply, the HTTP status or GraphQL error, a refused frame, a missing reply. */
  readonly error?: string;
}

interface Phase {
  readonly samples: Sample[];
  /** Service process CPU (user + system) over the phase, in milliseconds. */
  readonly cpuMs: number;
  /** How late the schedule sent its latest message (this process falling behind), in milliseconds. */
  readonly lagMs: number;
  /** Announcements the service pushed to the fake during the phase. */
  readonly pushes: number;
  /** The whole machine's CPU over the phase, in clock ticks (everything on it: the service, PostgreSQL, this process, anything else). */
  readonly machine: { busy: number; steal: number; total: number };
}

/** Runs one phase, with the service's and the machine's CPU over it. */
async function measured(app: Server, run: () => Promise<Omit<Phase, 'cpuMs' | 'machine'>>): Promise<Phase> {
  const [cpu0, machine0] = [cpuMsOf(app.pid), machineCpu()];
  const phase = await run();
  const [cpu1, machine1] = [cpuMsOf(app.pid), machineCpu()];
  return { ...phase, cpuMs: cpu1 - cpu0, machine: { busy: machine1.busy - machine0.busy, steal: machine1.steal - machine0.steal, total: machine1.total - machine0.total } };
}

const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const CLOCK_TICKS_PER_S = 100;

/** User + system CPU of a process so far, in milliseconds (from /proc; 0 where there is none). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The machine's CPU time so far, from /proc/stat, in clock ticks: busy (not idle or waiting for I/O), stolen by the host, and all. */
function machineCpu(): { busy: number; steal: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number) as number[];
  const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
  return { busy: total - idle! - iowait! - steal!, steal: steal!, total };
}

/** Sends `count` messages on a fixed schedule at RATE/s, never waiting for earlier ones; resolves when all are answered. */
async function openLoop<T>(count: number, send: (i: number) => Promise<T>): Promise<{ samples: T[]; lagMs: number }> {
  const interval = 1000 / RATE;
  const start = performance.now();
  const pending: Promise<T>[] = [];
  let lagMs = 0;
  for (let i = 0; i < count; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    lagMs = Math.max(lagMs, performance.now() - due);
    pending.push(send(i));
  }
  return { samples: await Promise.all(pending), lagMs };
}

interface Contender {
  readonly name: string;
  /** The latency measured, as the table names it. */
  readonly measures: readonly string[];
  run(count: number): Promise<Phase>;
}

/** Messages through the fake WeCom to the service's smart robot; the reply frames as the fake receives them. */
function chatContender(fake: FakeWeComLongConnection, app: Server): Contender {
  const tickets = new Tickets();
  let next = 0;
  const streamOf = (frame: WsFrame) => frame.body?.['stream'] as { finish?: boolean; content?: string } | undefined;

  const send = async (command: Command): Promise<Sample & { reqId: string }> => {
    let first: number | undefined;
    let final: number | undefined;
    const arrived = performance.now();
    const { reqId } = fake.sendText({ chatid: command.chatId, userid: command.sender.userId, content: command.text });
    // The predicate runs as the fake records each frame it receives: the moment of arrival, to the microsecond.
    const reply = (finish: boolean, mark: (at: number) => void) => (frame: WsFrame) => {
      if (frame.cmd !== Cmd.respondMessage || frame.headers.req_id !== reqId || (streamOf(frame)?.finish === true) !== finish) return false;
      mark(performance.now());
      return true;
    };
    try {
      const [, last] = await Promise.all([
        fake.waitForFrame(reply(false, (at) => (first = at)), REPLY_TIMEOUT_MS),
        fake.waitForFrame(reply(true, (at) => (final = at)), REPLY_TIMEOUT_MS),
      ]);
      const content = streamOf(last)?.content ?? '';
      const id = /#(\d+)/.exec(content)?.[1];
      if (command.kind === 'create' && id !== undefined && content.startsWith('✅')) tickets.add(Number(id));
      return { reqId, kind: command.kind, first: first! - arrived, final: final! - arrived, ...(content.startsWith('❌') ? { error: content } : {}) };
    } catch (error) {
      return { reqId, kind: command.kind, ...(first === undefined ? {} : { first: first - arrived }), error: `no reply: ${(error as Error).message}` };
    }
  };

  return {
    name: 'chat (smart robot)',
    measures: ['arrival → first frame', 'arrival → final frame'],
    run: (count) => measured(app, async () => {
      // The fake keeps every frame and each waitForFrame looks through them first: each phase starts afresh.
      fake.frames.length = 0;
      const { samples, lagMs } = await openLoop(count, () => send(commandFor(next++, '138', tickets)));
      // Reply frames the fake refused (an error ack echoing the callback's req_id).
      const refused = new Map<string, string>();
      for (const { direction, frame } of fake.frames) {
        if (direction === 'out' && frame.cmd === undefined && frame.errcode !== undefined && frame.errcode !== 0) refused.set(frame.headers.req_id, `${frame.errcode} ${frame.errmsg}`);
      }
      const pushes = fake.frames.filter((f) => f.direction === 'in' && f.frame.cmd === Cmd.sendMessage).length;
      const marked = samples.map(({ reqId, ...sample }) => (refused.has(reqId) && !sample.error ? { ...sample, error: `a reply frame refused: ${refused.get(reqId)}` } : sample));
      return { samples: marked, lagMs, pushes };
    }),
  };
}

/** The same operations over POST /graphql as the command's sender, request to response. */
function httpContender(url: string, tokens: ReadonlyMap<string, string>, fake: FakeWeComLongConnection, app: Server): Contender {
  const tickets = new Tickets();
  let next = 0;

  const send = async (command: Command): Promise<Sample> => {
    const body = JSON.stringify(operationFor(command.text));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(command.sender.userId)}` };
    const sent = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers, body });
      const result = (await response.json()) as { data?: { createTicket?: { id: string } }; errors?: { message: string }[] };
      const final = performance.now() - sent;
      if (!response.ok || result.errors?.length) return { kind: command.kind, final, error: `HTTP ${response.status}: ${result.errors?.[0]?.message ?? ''}` };
      if (result.data?.createTicket) tickets.add(Number(result.data.createTicket.id));
      return { kind: command.kind, final };
    } catch (error) {
      return { kind: command.kind, error: `request failed: ${(error as Error).message}` };
    }
  };

  return {
    name: 'HTTP POST /graphql',
    measures: ['request → response'],
    run: (count) => measured(app, async () => {
      fake.frames.length = 0;
      const { samples, lagMs } = await openLoop(count, () => send(commandFor(next++, '139', tickets)));
      const pushes = fake.frames.filter((f) => f.direction === 'in' && f.frame.cmd === Cmd.sendMessage).length;
      return { samples, lagMs, pushes };
    }),
  };
}

// ---- printing ----------------------------------------------------------------------------------------

/** Pads to a width on screen: CJK characters take two columns. */
const padDisplay = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].reduce((w, ch) => w + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0)));
const ms = (value: number, width = 9) => (Number.isNaN(value) ? '–'.padStart(width) : value.toFixed(1).padStart(width));

interface Totals {
  readonly samples: Sample[];
  cpuMs: number;
  lagMs: number;
  pushes: number;
  readonly machine: { busy: number; steal: number; total: number };
}

const add = (totals: Totals, phase: Phase) => {
  totals.samples.push(...phase.samples);
  totals.cpuMs += phase.cpuMs;
  totals.lagMs = Math.max(totals.lagMs, phase.lagMs);
  totals.pushes += phase.pushes;
  totals.machine.busy += phase.machine.busy;
  totals.machine.steal += phase.machine.steal;
  totals.machine.total += phase.machine.total;
};

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

function printTable(contenders: readonly Contender[], totals: readonly Totals[]): void {
  console.log(
    `  ${'path'.padEnd(21)}${'latency'.padEnd(24)}${'count'.padStart(6)}${'errors'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}` +
      `${'service CPU'.padStart(16)}${'pushes'.padStart(8)}${'machine'.padStart(9)}${'steal'.padStart(7)}`,
  );
  contenders.forEach((contender, c) => {
    const { samples, cpuMs, pushes, machine } = totals[c]!;
    const errors = samples.filter((s) => s.error !== undefined).length;
    contender.measures.forEach((measure, m) => {
      const last = m === contender.measures.length - 1;
      const values = samples.map((s) => (last ? s.final : s.first)).filter((v): v is number => v !== undefined);
      const tail = last
        ? `${`${(cpuMs / samples.length).toFixed(2)} ms/cmd`.padStart(16)}${String(pushes).padStart(8)}${percent(machine.busy, machine.total).padStart(9)}${percent(machine.steal, machine.total).padStart(7)}`
        : '';
      console.log(
        `  ${(m === 0 ? contender.name : '').padEnd(21)}${measure.padEnd(24)}${String(values.length).padStart(6)}${String(errors).padStart(8)}` +
          `${ms(percentile(values, 50))}${ms(percentile(values, 99))}${ms(percentile(values, 100))}${tail}`,
      );
    });
  });
}

function printByCommand(contenders: readonly Contender[], totals: readonly Totals[]): void {
  console.log(`\nby command: the final frame (chat) and the response (HTTP), p50 / p99 ms (count)`);
  for (const { kind, label } of KINDS) {
    const cells = contenders.map((contender, c) => {
      const values = totals[c]!.samples.filter((s) => s.kind === kind && s.final !== undefined).map((s) => s.final!);
      return `${contender.name.split(' ')[0]!.padStart(5)} ${ms(percentile(values, 50), 6)} / ${ms(percentile(values, 99), 6)} (${values.length})`;
    });
    console.log(`  ${padDisplay(label, 36)}${cells.join('    ')}`);
  }
  const chat = totals[0]!.samples.filter((s) => s.first !== undefined && s.final !== undefined).map((s) => s.final! - s.first!);
  console.log(`  chat: first frame → final frame p50 ${ms(percentile(chat, 50), 0)} ms, p99 ${ms(percentile(chat, 99), 0)} ms (the command's work)`);
}

function printErrors(contenders: readonly Contender[], totals: readonly Totals[]): void {
  contenders.forEach((contender, c) => {
    const errors = totals[c]!.samples.filter((s) => s.error !== undefined);
    if (errors.length === 0) return;
    const byText = new Map<string, number>();
    for (const { error } of errors) byText.set(error!.slice(0, 120), (byText.get(error!.slice(0, 120)) ?? 0) + 1);
    console.log(`\nerrors, ${contender.name}:`);
    for (const [text, n] of [...byText.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${String(n).padStart(5)} × ${text}`);
  });
}

/** Where the announcements of the run's tickets stand: the service holds each conversation to WeCom's 30 messages a minute, replies included. */
async function printOutbox(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ status: string; default_chat: boolean; n: number }>(
      `select status, conversation = $1 as default_chat, count(*)::int as n from notifications group by 1, 2 order by 2, 1`,
      [DEFAULT_CONVERSATION],
    );
    const line = (defaultChat: boolean) => rows.filter((r) => r.default_chat === defaultChat).map((r) => `${r.n} ${r.status.toLowerCase()}`).join(', ') || 'none';
    console.log(`  announcements at the end: in the groups ${line(false)}; in the default group (tickets created over HTTP) ${line(true)}`);
  } finally {
    await db.end();
  }
}

// ---- the run -----------------------------------------------------------------------------------------

/** A GraphQL request the setup needs to succeed. */
async function graphql(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const result = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (!response.ok || result.errors?.length) throw new Error(`setup request failed (HTTP ${response.status}): ${JSON.stringify(result.errors)}`);
  return result.data;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Stops the service's process, and ends it if it does not end by itself. */
async function stopApp(app: Server): Promise<void> {
  const stopped = await Promise.race([app.stop().then(() => true), sleep(15_000, false)]);
  if (!stopped) {
    console.log('  (the service did not exit within 15 s of being stopped: killed)');
    process.kill(app.pid, 'SIGKILL');
  }
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tickets-bench-chat-'));
  const database = await startEmbeddedPostgres({ dataDir, port: 56000 + Math.floor(Math.random() * 3000), database: 'bench', logger, persistent: false });
  const jwtSecret = randomBytes(32).toString('base64url');
  console.log(
    `benchmark: ${RATE} commands/s open-loop from ${GROUPS} groups, ${ROUNDS} alternating rounds of ${PER_ROUND} commands per path (${SECONDS} s per path) after ${WARMUP} not counted; ` +
      `node ${process.version}, one embedded PostgreSQL 18, ${os.cpus().length} cores`,
  );
  // Far above WeCom's 30 a minute per conversation: replies are never refused for the rate (the service's limiter still holds its pushes to it).
  const fake = await FakeWeComLongConnection.start({ ...BOT, perConversationPerMinute: 1_000_000, perConversationPerHour: 1_000_000 });
  let app: Server | undefined;
  try {
    const settings = { WECOM_BOT_ID: BOT.botId, WECOM_BOT_SECRET: BOT.secret, WECOM_BOT_WS_URL: fake.url, WECOM_BOT_NAMES: BOT_NAME, WECOM_DEFAULT_CHAT_ID: DEFAULT_CHAT, ...SERVICE_SETTINGS };
    console.log(`service settings: ${Object.keys(SERVICE_SETTINGS).length === 0 ? 'defaults (API and worker: reminders and announcements on)' : JSON.stringify(SERVICE_SETTINGS)}`);
    app = await startServer('app', [database.url, jwtSecret, String(POOL_MAX), JSON.stringify(settings)]);
    await waitFor('the smart robot to connect to the fake WeCom', () => fake.authenticatedConnections === 1, 30_000);

    const admin = await signToken(jwtSecret, { userId: 'bench-admin', role: StaffRole.ADMIN, name: '管理员' });
    const upsert = 'mutation Upsert($input: StaffInput!) { upsertStaff(input: $input) { userId } }';
    await graphql(app.url, admin, upsert, { input: { userId: 'lisi', name: '李四' } });
    for (const sender of SENDERS) await graphql(app.url, admin, upsert, { input: { userId: sender.userId, name: sender.name, role: StaffRole.AGENT } });
    const tokens = new Map(await Promise.all(SENDERS.map(async (s) => [s.userId, await signToken(jwtSecret, { userId: s.userId, role: StaffRole.AGENT, name: s.name })] as const)));
    // Someone messages the bot in the default group, so the announcements of tickets created over HTTP may be pushed there.
    const { reqId } = fake.sendText({ chatid: DEFAULT_CHAT, userid: SENDERS[0].userId, content: `@${BOT_NAME} /帮助` });
    await fake.waitForFrame((f) => f.cmd === Cmd.respondMessage && f.headers.req_id === reqId && (f.body?.['stream'] as { finish?: boolean } | undefined)?.finish === true);

    const contenders = [chatContender(fake, app), httpContender(app.url, tokens, fake, app)] as const;
    const totals: Totals[] = contenders.map(() => ({ samples: [], cpuMs: 0, lagMs: 0, pushes: 0, machine: { busy: 0, steal: 0, total: 0 } }));
    for (const contender of contenders) {
      const warm = await contender.run(WARMUP); // JIT, pools, plan caches; every group registered
      const failed = warm.samples.filter((s) => s.error !== undefined);
      if (failed.length > 0) console.log(`  warm-up, ${contender.name}: ${failed.length} errors, e.g. ${failed[0]!.error}`);
      await sleep(1000);
    }
    // What the service spends doing nothing asked of it (Agenda's scans, the event-log and outbox polls, heartbeats).
    const restCpu = cpuMsOf(app.pid);
    await sleep(REST_SECONDS * 1000);
    const restMsPerS = (cpuMsOf(app.pid) - restCpu) / REST_SECONDS;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [c, contender] of contenders.entries()) {
        const phase = await contender.run(PER_ROUND);
        add(totals[c]!, phase);
        const finals = phase.samples.map((s) => s.final).filter((v): v is number => v !== undefined);
        console.log(
          `  round ${round}  ${contender.name.padEnd(20)} p50 ${ms(percentile(finals, 50), 6)}  p99 ${ms(percentile(finals, 99), 6)} ms   errors ${phase.samples.filter((s) => s.error).length}   ` +
            `machine ${percent(phase.machine.busy, phase.machine.total)} busy, ${percent(phase.machine.steal, phase.machine.total)} steal`,
        );
        await sleep(1000);
      }
    }

    console.log(`\n${RATE} commands/s from ${GROUPS} groups, ${ROUNDS * PER_ROUND} commands per path (the same mix of commands, in the same order)`);
    printTable(contenders, totals);
    console.log(
      `  service CPU: the service's process over each path's rounds, per command, all its work included (at rest it uses ${restMsPerS.toFixed(0)} ms/s, ` +
        `${(restMsPerS / RATE).toFixed(2)} ms per command at ${RATE}/s); pushes: announcements it pushed to the fake WeCom meanwhile;`,
    );
    console.log(`  machine: all ${os.cpus().length} cores busy meanwhile (the service, PostgreSQL, this process and anything else on the machine); steal: time the host took`);
    await printOutbox(database.url);
    console.log(`  the schedule was at most ${ms(Math.max(...totals.map((t) => t.lagMs)), 0)} ms late sending a message (this process's lag)`);
    printByCommand(contenders, totals);
    printErrors(contenders, totals);

    const first = totals[0]!.samples.map((s) => s.first).filter((v): v is number => v !== undefined);
    const p99 = percentile(first, 99);
    console.log('\ntargets');
    console.log(
      `  p99 arrival → first frame ${ms(p99, 0)} ms   (target < ${FIRST_FRAME_TARGET_MS} ms: ${p99 < FIRST_FRAME_TARGET_MS ? 'met' : 'NOT met'}; ` +
        `WeCom's window < ${WECOM_WINDOW_MS} ms: ${p99 < WECOM_WINDOW_MS ? 'met' : 'NOT met'})`,
    );
  } finally {
    if (app) await stopApp(app);
    await fake.close();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// Handles that outlive the run (the service's Agenda, sockets) must not keep the benchmark from ending.
await main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
