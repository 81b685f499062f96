import { describe, expect, it } from 'vitest';
import { normalizeChatText } from '../../src/chat/chat-text.js';
import { missingForCreate, parseChatCommand, ticketIdInQuote, type ChatCommand, type CommandContext, type ReplyStatus } from '../../src/chat/command-grammar.js';
import { Priority } from '../../src/domain/priority.js';
import { CommentVisibility } from '../../src/domain/ticket-comment.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';

const BOT = ['工单助手', 'Ticket Bot'];
const read = (raw: string, context: CommandContext = {}): ChatCommand => parseChatCommand(normalizeChatText(raw, BOT), context);

const create = (fields: Partial<Omit<Extract<ChatCommand, { kind: 'create' }>, 'kind'>>): ChatCommand => ({ kind: 'create', priority: Priority.NORMAL, ...fields });
const BRIEF_CREATE = create({ customerName: '张三', customerPhone: '13800138000', description: '服务器无法连接' });
const status = (ticketId: number, s: ReplyStatus, note?: string): ChatCommand =>
  note === undefined ? { kind: 'changeStatus', ticketId, status: s } : { kind: 'changeStatus', ticketId, status: s, note };
const assign = (ticketId: number, assignee: string): ChatCommand => ({ kind: 'assign', ticketId, assignee });
const query = (q: Extract<ChatCommand, { kind: 'query' }>['query']): ChatCommand => ({ kind: 'query', query: q });

const ZW = '\u200B';

describe('chat text', () => {
  it.each([
    ['@工单助手 /创建工单', '/创建工单'],
    [`@工单助手${ZW} /帮助`, '/帮助'],
    [`\uFEFF@Ticket Bot\u2060 /帮助`, '/帮助'],
    ['@改了名的机器人 #123 已解决', '#123 已解决'],
    ['＃１２３　已解决', '#123 已解决'],
    ['/创建工单  @客户张三\t手机：13800138000', '/创建工单 @客户张三 手机:13800138000'],
    ['#123 已解决，网络配置错误', '#123 已解决，网络配置错误'],
    ['a\u202Eb\u0007c', 'abc'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeChatText(raw, BOT)).toBe(expected);
  });
});

describe('command grammar', () => {
  const table: ReadonlyArray<readonly [string, ChatCommand, CommandContext?]> = [
    // /创建工单, as the brief writes it and as people really type it
    ['@工单助手 /创建工单 @客户张三 手机:13800138000 问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 @客户张三 手机：13800138000 问题：服务器无法连接', BRIEF_CREATE],
    ['／创建工单　@客户张三　手机号:13800138000　问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单@客户张三 手机:13800138000 问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 @客户张三 电话 13800138000 问题: 服务器无法连接', BRIEF_CREATE],
    ['/创建工单 @客户张三 手机13800138000 问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 @客户张三 手机:+86 138-0013-8000 问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 @客户张三 手机:13800138000，问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 @张三 手机:13800138000 问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 客户:张三 手机:13800138000 问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 问题:服务器无法连接 手机:13800138000 客户:张三', BRIEF_CREATE],
    ['/创建工单 @客户张三 13800138000 服务器无法连接', BRIEF_CREATE],
    [`@工单助手${ZW}${ZW} /创建工单 @客户张三${ZW} 手机:13800138000 问题:服务器无法连接`, BRIEF_CREATE],
    ['创建工单 @客户张三 手机:13800138000 问题:服务器无法连接', BRIEF_CREATE],
    ['/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接 紧急', create({ customerName: '张三', customerPhone: '13800138000', description: '服务器无法连接 紧急', priority: Priority.URGENT })],
    ['/创建工单 @客户张三 手机:13800138000 问题:机房断电，情况严重', create({ customerName: '张三', customerPhone: '13800138000', description: '机房断电，情况严重', priority: Priority.URGENT })],
    ['/创建工单 紧急 @客户张三 手机:13800138000 问题:服务器无法连接', { ...BRIEF_CREATE, priority: Priority.URGENT } as ChatCommand],
    ['/创建工单 @客户张三 手机:13800138000 问题:打印机卡纸 高优先级', create({ customerName: '张三', customerPhone: '13800138000', description: '打印机卡纸 高优先级', priority: Priority.HIGH })],
    ['/创建工单 @客户张三 手机:13800138000 问题:不紧急，有空看看', create({ customerName: '张三', customerPhone: '13800138000', description: '不紧急，有空看看' })],
    [
      '/创建工单 @客户张三 手机:13800138000 公司:XX科技有限公司 产品:云服务器 问题:服务器无法连接',
      create({ customerName: '张三', customerPhone: '13800138000', company: 'XX科技有限公司', product: '云服务器', description: '服务器无法连接' }),
    ],
    ['/创建工单 @客户张三 问题:服务器 无法 连接', create({ customerName: '张三', description: '服务器 无法 连接' })],
    ['/创建工单 @客户张三 手机:13800138000', create({ customerName: '张三', customerPhone: '13800138000' })],
    ['/创建工单', create({})],
    ['/创建工单 @客户张三 问题:<script>alert(1)</script>\'; DROP TABLE tickets;--', create({ customerName: '张三', description: "<script>alert(1)</script>'; DROP TABLE tickets;--" })],
    ['/创建工单 @客户张三 问题:服务器无法连接😭 需要重启', create({ customerName: '张三', description: '服务器无法连接😭 需要重启' })],
    ['/创建工单 @客户张三 问题:第一行\n第二行', create({ customerName: '张三', description: '第一行\n第二行' })],

    // /查询工单
    ['/查询工单 客户张三', query({ by: 'customer', name: '张三' })],
    ['/查询工单 张三', query({ by: 'customer', name: '张三' })],
    ['/查询工单 @客户张三', query({ by: 'customer', name: '张三' })],
    ['/查询工单 客户:张三', query({ by: 'customer', name: '张三' })],
    ['/查询工单 手机13800138000', query({ by: 'phone', phone: '13800138000' })],
    ['/查询工单 手机号：13800138000', query({ by: 'phone', phone: '13800138000' })],
    ['/查询工单 13800138000', query({ by: 'phone', phone: '13800138000' })],
    ['/查询工单 #123', query({ by: 'ticket', ticketId: 123 })],
    ['/查询工单 ＃１２３', query({ by: 'ticket', ticketId: 123 })],
    ['/查询 #7', query({ by: 'ticket', ticketId: 7 })],

    // /分配工单 and 分配给
    ['/分配工单 #123 @李四', assign(123, '李四')],
    ['/分配工单 ＃123 ＠李四', assign(123, '李四')],
    ['/分配工单 #123 李四', assign(123, '李四')],
    ['/分配工单 #123 @lisi', assign(123, 'lisi')],
    ['/分配工单 @李四 #123', assign(123, '李四')],
    ['/分配工单#123@李四', assign(123, '李四')],
    ['#123 分配给@李四', assign(123, '李四')],
    ['#123 分配给 @李四', assign(123, '李四')],
    ['#123 转交给李四，他熟悉这个客户', assign(123, '李四')],
    ['分配给@李四', assign(45, '李四'), { quotedTicketId: 45 }],
    ['/分配工单 @李四', assign(45, '李四'), { quotedTicketId: 45 }],

    // status replies
    ['#123 已解决', status(123, TicketStatus.RESOLVED)],
    ['#123 回复客户：已安排工程师明天上门', { kind: 'comment', ticketId: 123, visibility: CommentVisibility.PUBLIC, body: '已安排工程师明天上门' }],
    ['#123 回复客户 您好，问题已定位', { kind: 'comment', ticketId: 123, visibility: CommentVisibility.PUBLIC, body: '您好，问题已定位' }],
    ['#123 备注：客户机房在三楼', { kind: 'comment', ticketId: 123, visibility: CommentVisibility.INTERNAL, body: '客户机房在三楼' }],
    ['#123 内部备注，报价待主管确认', { kind: 'comment', ticketId: 123, visibility: CommentVisibility.INTERNAL, body: '报价待主管确认' }],
    ['＃123已解决', status(123, TicketStatus.RESOLVED)],
    ['#123 已解决，问题是网络配置错误，已修复', status(123, TicketStatus.RESOLVED, '问题是网络配置错误，已修复')],
    ['#123 已解决: 重启后恢复', status(123, TicketStatus.RESOLVED, '重启后恢复')],
    ['#123 已处理', status(123, TicketStatus.PROCESSING)],
    ['#123 处理中，正在排查', status(123, TicketStatus.PROCESSING, '正在排查')],
    ['#123 升级处理', status(123, TicketStatus.ESCALATED)],
    ['#123 升级处理 需要二线支持', status(123, TicketStatus.ESCALATED, '需要二线支持')],
    ['#123 关闭', status(123, TicketStatus.CLOSED)],
    ['#123 取消 客户撤回了', status(123, TicketStatus.CANCELLED, '客户撤回了')],
    ['#123 进度 50', { kind: 'setProgress', ticketId: 123, progress: 50 }],
    ['#123 进度50%', { kind: 'setProgress', ticketId: 123, progress: 50 }],
    ['#123 进度：０ 刚开始', { kind: 'setProgress', ticketId: 123, progress: 0, note: '刚开始' }],
    ['@工单助手 #123 已解决', status(123, TicketStatus.RESOLVED)],

    // quote-replies to a card
    ['已解决', status(45, TicketStatus.RESOLVED), { quotedTicketId: 45 }],
    ['已解决，换了网线', status(45, TicketStatus.RESOLVED, '换了网线'), { quotedTicketId: 45 }],
    ['进度 30', { kind: 'setProgress', ticketId: 45, progress: 30 }, { quotedTicketId: 45 }],
    ['#9 已解决', status(9, TicketStatus.RESOLVED), { quotedTicketId: 45 }],

    // help, abandoning a dialogue, chatter
    ['/帮助', { kind: 'help' }],
    ['@工单助手', { kind: 'help' }],
    ['帮助', { kind: 'help' }],
    ['/help', { kind: 'help' }],
    ['取消', { kind: 'abandon' }],
    ['算了', { kind: 'abandon' }],
    ['大家好', { kind: 'unrecognised' }],
    ['谢谢', { kind: 'unrecognised' }, { quotedTicketId: 45 }],
  ];

  it.each(table.map(([raw, expected, context]) => ({ raw, expected, context })))('$raw', ({ raw, expected, context }) => {
    expect(read(raw, context)).toEqual(expected);
  });

  const malformedTable: ReadonlyArray<readonly [string, string, CommandContext?]> = [
    ['/创建工单 @客户张三 手机:12345 问题:服务器无法连接', '手机号格式不正确：「12345」'],
    ['/创建工单 @客户张三 手机:abc 问题:服务器无法连接', '手机号格式不正确'],
    ['/查询工单', '请写明查询条件'],
    ['/查询工单 手机123', '手机号格式不正确：「123」'],
    ['/查询工单 #abc', '工单号「#abc」不正确'],
    ['/查询工单 客户', '请写明客户姓名'],
    [`/查询工单 ${'张'.repeat(5000)}`, '客户姓名过长'],
    ['#-5 已解决', '工单号「#-5」不正确'],
    ['#0 已解决', '工单号「#0」不正确'],
    ['#99999999999999 已解决', '工单号「#99999999999999」不正确'],
    ['#abc 已解决', '工单号「#abc」不正确'],
    ['#123', '要对工单 #123 做什么？'],
    ['#123 随便说点什么', '没看懂「#123 随便说点什么」'],
    ['#123 进度 150', '进度应为 0 到 100 之间的整数'],
    ['#123 进度 -5', '进度应为 0 到 100 之间的整数'],
    ['#123 进度 很快', '进度应为 0 到 100 之间的整数'],
    ['#123 进度 33.5', '进度应为 0 到 100 之间的整数'],
    ['#123 分配给', '请写明负责人'],
    ['#123 分配给@all', '不能分配给所有人'],
    ['/分配工单 @李四', '请写明工单号和负责人'],
    ['/分配工单 #123', '请写明负责人'],
    ['/分配工单 #x @李四', '工单号「#x」不正确'],
    ['已解决', '请注明工单号，例如「#123 已解决」'],
    ['/删除工单 #123', '未知命令「/删除工单」'],
    ['#123 回复客户', '请写明内容，例如「#123 回复客户：'],
    ['#123 备注：', '请写明内容，例如「#123 备注：'],
  ];

  it.each(malformedTable.map(([raw, message, context]) => ({ raw, message, context })))('$raw is refused: $message', ({ raw, message, context }) => {
    const command = read(raw, context);
    expect(command.kind).toBe('malformed');
    expect(command.kind === 'malformed' && command.message).toContain(message);
  });

  it('covers at least sixty real-world variants', () => {
    expect(table.length + malformedTable.length).toBeGreaterThanOrEqual(60);
  });

  it('keeps a 100,000-character problem whole for the API to judge, and never throws on noise', () => {
    const long = '网'.repeat(100_000);
    expect(read(`/创建工单 @客户张三 手机:13800138000 问题:${long}`)).toEqual(create({ customerName: '张三', customerPhone: '13800138000', description: long }));
    for (const noise of ['\u0000\u0001', '/'.repeat(1000), '#'.repeat(1000), '@'.repeat(1000), '\u202Eسلام', '🙂'.repeat(500), ':::::']) {
      expect(() => read(noise)).not.toThrow();
    }
  });
});

describe('the missing parts of /创建工单', () => {
  it('asks for the phone, then the problem', () => {
    const command = read('/创建工单 @客户张三');
    expect(command.kind === 'create' && missingForCreate(command)).toEqual(['customerPhone', 'description']);
    const complete = read('/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接');
    expect(complete.kind === 'create' && missingForCreate(complete)).toEqual([]);
  });
});

describe('the ticket of a quoted card', () => {
  it.each([
    ['🟡 【新工单提醒】#ID123\n客户：张三', 123],
    ['🚨 【工单超时提醒】\n工单号：#45', 45],
    ['没有工单号', undefined],
    ['#0', undefined],
  ])('%j → %j', (text, id) => {
    expect(ticketIdInQuote(text)).toBe(id);
  });
});
