import { parsePositiveInt } from '../domain/ids.js';
import { invalidPhoneText, normalizePhone } from '../domain/input-validation.js';
import { derivePriority, isPriorityKeyword, type Priority } from '../domain/priority.js';
import { CommentVisibility } from '../domain/ticket-comment.js';
import { TicketStatus } from '../domain/ticket-status.js';
import { TEXT_LIMITS } from '../domain/ticket-input.js';

/**
 * The chat command grammar: normalised chat text (see chat-text.ts) in, one command out. Pure; it
 * checks the shape of what was typed, and leaves the rules (limits, transitions, who may do what)
 * to the API the command then runs against, so chat and API clients are held to the same rules.
 */

export type TicketQuery =
  | { readonly by: 'ticket'; readonly ticketId: number }
  | { readonly by: 'phone'; readonly phone: string }
  | { readonly by: 'customer'; readonly name: string };

export interface CreateTicketCommand {
  readonly kind: 'create';
  readonly customerName?: string;
  readonly customerPhone?: string;
  readonly description?: string;
  readonly company?: string;
  readonly product?: string;
  readonly priority: Priority;
}

/** The statuses a chat reply can move a ticket to. */
export type ReplyStatus = TicketStatus.RESOLVED | TicketStatus.PROCESSING | TicketStatus.ESCALATED | TicketStatus.CLOSED | TicketStatus.CANCELLED;

export type ChatCommand =
  | CreateTicketCommand
  | { readonly kind: 'query'; readonly query: TicketQuery }
  | { readonly kind: 'assign'; readonly ticketId: number; readonly assignee: string }
  | { readonly kind: 'changeStatus'; readonly ticketId: number; readonly status: ReplyStatus; readonly note?: string }
  | { readonly kind: 'setProgress'; readonly ticketId: number; readonly progress: number; readonly note?: string }
  /** 回复客户：… (the customer sees it) or 备注：… (staff only). */
  | { readonly kind: 'comment'; readonly ticketId: number; readonly visibility: CommentVisibility; readonly body: string }
  | { readonly kind: 'help' }
  /** 取消 on its own: leave the dialogue in progress, if any. */
  | { readonly kind: 'abandon' }
  /** Not addressed to the ticket system as far as the grammar can tell; answered with a short hint. */
  | { readonly kind: 'unrecognised' }
  /** Meant as a command but malformed; `message` tells the user, in Chinese, how to write it. */
  | { readonly kind: 'malformed'; readonly message: string };

export interface CommandContext {
  /** The ticket of the card the message quote-replies to, if it does. */
  readonly quotedTicketId?: number;
}

const malformed = (message: string): ChatCommand => ({ kind: 'malformed', message });

const HELP_HINT = '发送 /帮助 查看可用命令';
const REPLY_HINT = '可以回复：已解决、已处理、升级处理、关闭、取消、进度 50、分配给@某人、回复客户：…、备注：…';

/** "#123" at the start of `text`: the id and the rest, a message when the number is not a ticket id, or null without "#". */
function leadingTicketId(text: string): { id: number; rest: string } | { error: string } | null {
  const match = /^#\s*(-?\d*)/.exec(text);
  if (match === null) return null;
  const raw = match[1]!;
  const id = parsePositiveInt(raw);
  if (id === null) {
    const written = raw === '' ? (/^#\s*(\S{0,20})/.exec(text)?.[1] ?? '') : raw;
    return { error: `工单号「#${written}」不正确，应为 #123 这样的正整数` };
  }
  return { id, rest: text.slice(match[0].length).trim() };
}

/** The note after a status keyword, without the punctuation that joins it: "，问题是网络配置错误" → "问题是网络配置错误". */
function noteAfter(text: string): string | undefined {
  const note = text.replace(/^[\s,，.。:;；、!！~～-]+/, '').trim();
  return note === '' ? undefined : note;
}

const STATUS_KEYWORDS: ReadonlyArray<{ words: readonly string[]; status: ReplyStatus }> = [
  { words: ['已解决', '解决了'], status: TicketStatus.RESOLVED },
  { words: ['已处理', '处理中'], status: TicketStatus.PROCESSING },
  { words: ['升级处理', '已升级', '升级'], status: TicketStatus.ESCALATED },
  { words: ['已关闭', '关闭'], status: TicketStatus.CLOSED },
  { words: ['已取消', '取消'], status: TicketStatus.CANCELLED },
];

const ASSIGN_WORDS = ['分配给', '转交给', '指派给', '转给', '交给'];

/** The first name in "@李四 …" or "李四，…": who a ticket goes to. */
function assigneeIn(text: string): string | undefined {
  const name = /^@?\s*([^\s,，。;；、]+)/.exec(text)?.[1]?.replace(/^@/, '');
  return name === undefined || name === '' ? undefined : name;
}

function assignCommand(ticketId: number, text: string, example: string): ChatCommand {
  const assignee = assigneeIn(text);
  if (assignee === undefined) return malformed(`请写明负责人，例如「${example}」`);
  if (assignee.toLowerCase() === 'all' || assignee === '所有人') return malformed('不能分配给所有人，请指定一位负责人');
  return { kind: 'assign', ticketId, assignee };
}

function progressCommand(ticketId: number, text: string): ChatCommand {
  const match = /^[\s:]*(-?\d+(?:\.\d+)?)\s*%?/.exec(text);
  const progress = match === null ? NaN : Number(match[1]);
  if (!Number.isInteger(progress) || progress < 0 || progress > 100) {
    return malformed(`进度应为 0 到 100 之间的整数，例如「#${ticketId} 进度 50」`);
  }
  const note = noteAfter(text.slice(match![0].length));
  return note === undefined ? { kind: 'setProgress', ticketId, progress } : { kind: 'setProgress', ticketId, progress, note };
}

const COMMENT_WORDS: ReadonlyArray<{ words: readonly string[]; visibility: CommentVisibility; example: string }> = [
  { words: ['回复客户', '答复客户'], visibility: CommentVisibility.PUBLIC, example: '回复客户：已安排工程师明天上门' },
  { words: ['内部备注', '备注'], visibility: CommentVisibility.INTERNAL, example: '备注：客户机房在三楼' },
];

function commentCommand(ticketId: number, text: string): ChatCommand | null {
  for (const { words, visibility, example } of COMMENT_WORDS) {
    const word = words.find((w) => text.startsWith(w));
    if (word === undefined) continue;
    const body = noteAfter(text.slice(word.length));
    return body === undefined ? malformed(`请写明内容，例如「#${ticketId} ${example}」`) : { kind: 'comment', ticketId, visibility, body };
  }
  return null;
}

/** "已解决，…", "进度 50", "分配给@李四", "回复客户：…" for a known ticket; null when the text is none of these. */
function replyAction(ticketId: number, text: string): ChatCommand | null {
  const comment = commentCommand(ticketId, text);
  if (comment) return comment;
  for (const word of ASSIGN_WORDS) {
    if (text.startsWith(word)) return assignCommand(ticketId, text.slice(word.length).trim(), `#${ticketId} 分配给@李四`);
  }
  if (text.startsWith('进度')) return progressCommand(ticketId, text.slice('进度'.length));
  for (const { words, status } of STATUS_KEYWORDS) {
    const word = words.find((w) => text.startsWith(w));
    if (word === undefined) continue;
    const note = noteAfter(text.slice(word.length));
    return note === undefined ? { kind: 'changeStatus', ticketId, status } : { kind: 'changeStatus', ticketId, status, note };
  }
  return null;
}

function ticketReply(text: string): ChatCommand {
  const ref = leadingTicketId(text);
  if (ref === null) return { kind: 'unrecognised' };
  if ('error' in ref) return malformed(ref.error);
  if (ref.rest === '') return malformed(`要对工单 #${ref.id} 做什么？${REPLY_HINT}；查询请发 /查询工单 #${ref.id}`);
  return replyAction(ref.id, ref.rest) ?? malformed(`没看懂「#${ref.id} ${ref.rest.slice(0, 20)}」。${REPLY_HINT}`);
}

// ---- /创建工单 ----

type CreateField = 'customerName' | 'customerPhone' | 'description' | 'company' | 'product';

const FIELD_LABELS: ReadonlyArray<readonly [string, CreateField]> = [
  ['客户手机号', 'customerPhone'], ['客户手机', 'customerPhone'], ['客户电话', 'customerPhone'], ['联系电话', 'customerPhone'],
  ['手机号码', 'customerPhone'], ['手机号', 'customerPhone'], ['手机', 'customerPhone'], ['电话', 'customerPhone'], ['联系方式', 'customerPhone'],
  ['问题描述', 'description'], ['问题', 'description'], ['描述', 'description'], ['故障', 'description'],
  ['公司名称', 'company'], ['公司', 'company'], ['单位', 'company'],
  ['产品/项目', 'product'], ['产品', 'product'], ['项目', 'product'],
  ['客户姓名', 'customerName'], ['客户名称', 'customerName'], ['客户', 'customerName'], ['姓名', 'customerName'],
];
const PHONE_LABELS = FIELD_LABELS.filter(([, field]) => field === 'customerPhone').map(([label]) => label);
const LABEL_FIELD = new Map(FIELD_LABELS);

const alternation = (words: readonly string[]): string => words.join('|');
// "问题:…" anywhere after a space or separator; "手机13800138000" may leave out the colon.
const FIELD_MARKER = new RegExp(
  `(?<=^|[\\s,，;；])(?:(${alternation(FIELD_LABELS.map(([l]) => l))})\\s*:\\s*|(${alternation(PHONE_LABELS)})\\s*(?=[+\\d]))`,
  'g',
);
const PHONE_PREFIX = /^\+?[\d\s-]{7,}\d/;

interface Labelled {
  readonly field: CreateField;
  readonly value: string;
}

/** Splits "… 手机:… 问题:…" into its labelled values and the text before the first label. */
function splitLabels(args: string): { lead: string; labelled: Labelled[] } {
  const markers = [...args.matchAll(FIELD_MARKER)];
  const labelled = markers.map((marker, i) => {
    const end = i + 1 < markers.length ? markers[i + 1]!.index : args.length;
    const value = args.slice(marker.index + marker[0].length, end).replace(/[\s,，;；]+$/, '');
    return { field: LABEL_FIELD.get(marker[1] ?? marker[2]!)!, value };
  });
  return { lead: args.slice(0, markers[0]?.index ?? args.length), labelled };
}

/** "@客户张三" → "张三": the brief writes the customer as an @-mention with 客户 before the name. */
const customerFromMention = (mention: string): string => mention.replace(/^@/, '').replace(/^客户(?=.)/, '');

function parseCreate(args: string): ChatCommand {
  const fields: Partial<Record<CreateField, string>> = {};
  const loose: string[] = [];
  const { lead, labelled } = splitLabels(args);
  const leadTokens = lead.split(/\s+/).filter(Boolean);
  for (let i = 0; i < leadTokens.length; i += 1) {
    const token = leadTokens[i]!;
    if (token.startsWith('@') && fields.customerName === undefined) {
      const bare = token === '@客户' || token === '@';
      fields.customerName = bare ? leadTokens[++i] : customerFromMention(token);
    } else if (normalizePhone(token) !== null && fields.customerPhone === undefined) fields.customerPhone = normalizePhone(token)!;
    else if (!isPriorityKeyword(token)) loose.push(token);
  }
  for (const { field, value } of labelled) {
    if (field === 'customerPhone') {
      const phone = PHONE_PREFIX.exec(value)?.[0] ?? value;
      const rest = value.slice(phone.length).trim();
      if (normalizePhone(phone) === null) return malformed(invalidPhoneText(value.slice(0, 20)).zh);
      fields.customerPhone ??= normalizePhone(phone)!;
      if (rest !== '') loose.push(rest);
    } else if (value !== '' && fields[field] === undefined) {
      fields[field] = field === 'customerName' ? customerFromMention(value) : value;
    }
  }
  if (fields.description === undefined && loose.length > 0) fields.description = loose.join(' ');
  return { kind: 'create', ...definedOnly(fields), priority: derivePriority(args) };
}

function definedOnly<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** What /创建工单 still needs before a ticket can be created; the dialogue asks for these in order. */
export function missingForCreate(command: CreateTicketCommand): Array<'customerPhone' | 'description'> {
  const missing: Array<'customerPhone' | 'description'> = [];
  if (command.customerPhone === undefined) missing.push('customerPhone');
  if (command.description === undefined) missing.push('description');
  return missing;
}

// ---- /查询工单 ----

const QUERY_EXAMPLES = '/查询工单 客户张三、/查询工单 手机13800138000、/查询工单 #123';

function parseQuery(args: string): ChatCommand {
  if (args === '') return malformed(`请写明查询条件，例如：${QUERY_EXAMPLES}`);
  if (args.startsWith('#')) {
    const ref = leadingTicketId(args)!;
    return 'error' in ref ? malformed(ref.error) : { kind: 'query', query: { by: 'ticket', ticketId: ref.id } };
  }
  const phoneLabel = new RegExp(`^(?:${alternation(PHONE_LABELS)})\\s*:?\\s*`).exec(args);
  if (phoneLabel !== null || normalizePhone(args) !== null) {
    const raw = args.slice(phoneLabel?.[0].length ?? 0);
    const phone = normalizePhone(raw);
    if (phone === null) return malformed(invalidPhoneText(raw.slice(0, 20)).zh);
    return { kind: 'query', query: { by: 'phone', phone } };
  }
  const name = customerFromMention(args.replace(/^(?:客户姓名|客户名称|客户|姓名)\s*:?\s*/, '')).trim();
  if (name === '') return malformed(`请写明客户姓名，例如：${QUERY_EXAMPLES}`);
  if (name.length > TEXT_LIMITS.customerName) return malformed(`客户姓名过长（最多 ${TEXT_LIMITS.customerName} 字）`);
  return { kind: 'query', query: { by: 'customer', name } };
}

// ---- /分配工单 ----

function parseAssign(args: string, context: CommandContext): ChatCommand {
  const example = '/分配工单 #123 @李四';
  const hashAt = args.search(/#/);
  if (hashAt === -1) {
    if (context.quotedTicketId === undefined) return malformed(`请写明工单号和负责人，例如「${example}」`);
    return assignCommand(context.quotedTicketId, args, example);
  }
  const ref = leadingTicketId(args.slice(hashAt));
  if (ref === null || 'error' in ref) return malformed(ref?.error ?? `请写明工单号，例如「${example}」`);
  const others = `${args.slice(0, hashAt)} ${ref.rest}`.trim();
  const withoutWord = ASSIGN_WORDS.reduce((text, word) => (text.startsWith(word) ? text.slice(word.length).trim() : text), others);
  return assignCommand(ref.id, withoutWord, example);
}

// ---- the whole message ----

const COMMANDS: ReadonlyArray<{ names: readonly string[]; parse: (args: string, context: CommandContext) => ChatCommand }> = [
  { names: ['创建工单', '新建工单', '创建', '新建'], parse: parseCreate },
  { names: ['查询工单', '查询', '查工单'], parse: parseQuery },
  { names: ['分配工单', '分配', '转交工单'], parse: parseAssign },
  { names: ['帮助', 'help', '?'], parse: () => ({ kind: 'help' }) },
];

/** "/创建工单 …" (or "创建工单 …" without the slash): the command and its arguments; null for anything else. */
function slashCommand(text: string, context: CommandContext): ChatCommand | null {
  const slashed = text.startsWith('/');
  const body = slashed ? text.slice(1).trimStart() : text;
  for (const { names, parse } of COMMANDS) {
    const name = names.find((n) => body.toLowerCase().startsWith(n) && (slashed || n.length >= 4));
    if (name !== undefined) return parse(body.slice(name.length).trim(), context);
  }
  if (!slashed) return null;
  const word = body.split(/\s/, 1)[0] ?? '';
  return malformed(`未知命令「/${word.slice(0, 20)}」，${HELP_HINT}`);
}

/** What abandons a dialogue in progress. */
export const ABANDON_WORDS: ReadonlySet<string> = new Set(['取消', '算了', '退出', '不用了', '放弃']);
const HELP_WORDS = new Set(['帮助', 'help', '?', '？', '菜单']);

/** Reads one normalised chat message. Messages quoting a ticket's card act on that ticket without "#123". */
export function parseChatCommand(text: string, context: CommandContext = {}): ChatCommand {
  if (text === '') return { kind: 'help' };
  const command = slashCommand(text, context);
  if (command !== null) return command;
  if (text.startsWith('#')) return ticketReply(text);
  if (context.quotedTicketId !== undefined) {
    const reply = replyAction(context.quotedTicketId, text);
    if (reply !== null) return reply;
  }
  if (ABANDON_WORDS.has(text)) return { kind: 'abandon' };
  if (HELP_WORDS.has(text.toLowerCase())) return { kind: 'help' };
  if (replyAction(0, text) !== null) return malformed(`请注明工单号，例如「#123 ${text.slice(0, 10)}」，或直接引用回复工单卡片`);
  return { kind: 'unrecognised' };
}

/** The ticket a quoted card is about: the first "#123" in its text ("【新工单提醒】#ID123" included). */
export function ticketIdInQuote(quotedText: string): number | undefined {
  const digits = /#(?:ID)?(\d+)/.exec(quotedText)?.[1];
  return (digits && parsePositiveInt(digits)) || undefined;
}
