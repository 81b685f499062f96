import { describe, expect, it } from 'vitest';
import { fitBytes, TRUNCATION_MARKER, utf8Bytes } from '../../src/chat/byte-limit.js';
import { assignedReply, createdReply, statusReply, ticketListReply, HELP_REPLY, type ListedTicket } from '../../src/chat/chat-replies.js';
import { renderNewTicketCard, renderTicketChange, type CardSubject } from '../../src/chat/ticket-cards.js';
import { Priority } from '../../src/domain/priority.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';

// 2026-02-01 15:30 and 2026-02-02 15:30 in China.
const CREATED = new Date('2026-02-01T07:30:00Z');
const DEADLINE = new Date('2026-02-02T07:30:00Z');

const subject = (ticket: Partial<CardSubject['ticket']> = {}, customer: Partial<CardSubject['customer']> = {}): CardSubject => ({
  ticket: {
    id: 123, title: '服务器无法连接', description: '服务器无法连接', product: null, status: TicketStatus.PENDING, priority: Priority.NORMAL,
    progress: 0, assignedTo: null, assignedToName: null, deadline: DEADLINE, createdAt: CREATED, ...ticket,
  },
  customer: { name: '张三', phone: '13800138000', company: 'XX科技有限公司', ...customer },
});

const BRIEF_CARD = `🟡 【新工单提醒】#ID123

**客户信息**
> 客户：张三
> 公司：XX科技有限公司
> 联系：13800138000

**工单详情**
> 产品/项目：售后工单 - 服务器无法连接
> 问题描述：服务器无法连接
> 优先级：➡️ NORMAL
> 提交时间：2026-02-01 15:30

**处理状态**
> 当前状态：待分配
> 负责人：待分配
> 处理进度：0%
> 处理期限：⏰ 2026-02-02 15:30

---
💬 请负责人在本消息下回复处理进度
✅ 回复"已解决"可自动关闭工单
📋 回复"分配给@某人"可转交工单

🆘 请在02月02日 15:30前处理`;

describe('the new-ticket card', () => {
  it('is the brief\'s 🟡 【新工单提醒】 card, in China time, calling everyone while nobody owns it', () => {
    expect(renderNewTicketCard(subject())).toEqual({ text: BRIEF_CARD, mentions: [], mentionAll: true });
  });

  it('calls the assignee of a normal ticket, and everyone as well when it is urgent', () => {
    const assigned = renderNewTicketCard(subject({ assignedTo: 'lisi', assignedToName: '李四', status: TicketStatus.ASSIGNED }));
    expect(assigned).toMatchObject({ mentions: ['lisi'], mentionAll: false });
    expect(assigned.text).toContain('> 负责人：李四\n');
    const urgent = renderNewTicketCard(subject({ assignedTo: 'lisi', assignedToName: '李四', priority: Priority.URGENT }));
    expect(urgent).toMatchObject({ mentions: ['lisi'], mentionAll: true });
    expect(urgent.text).toContain('> 优先级：🚨 URGENT\n');
    expect(renderNewTicketCard(subject({ priority: Priority.HIGH })).text).toContain('> 优先级：⬆️ HIGH\n');
  });

  it('leaves out a missing company, says when there is no phone, and names the product, the detail link, a similar ticket and the source', () => {
    const card = renderNewTicketCard(subject({ product: '云服务器' }, { company: null, phone: null }), {
      detailUrl: 'https://tickets.example.com/t/123?sig=abc',
      similar: { id: 105, title: '无法导出数据', status: TicketStatus.RESOLVED },
      source: '网站提交',
    }).text;
    expect(card).not.toContain('公司：');
    expect(card).toContain('> 联系：未提供\n');
    expect(card).toContain('> 产品/项目：云服务器 - 服务器无法连接\n');
    expect(card).toContain('> 相似问题：#105 无法导出数据（已解决）\n');
    expect(card).toContain('📊 查看详情：[安全链接](https://tickets.example.com/t/123?sig=abc)\n');
    expect(card.split('\n')[0]).toBe('🟡 【新工单提醒】#ID123（网站提交）');
  });
});

describe('replies', () => {
  it('speak the brief\'s words', () => {
    expect(createdReply(123)).toBe('✅ 工单 #123 创建成功！已推送到群聊。');
    expect(assignedReply(123, '李四')).toBe('✅ 工单 #123 已分配给 @李四');
    expect(statusReply(123, TicketStatus.RESOLVED)).toBe('✅ 工单 #123 状态已更新为：已解决');
  });

  it('list tickets as the brief\'s 场景5 does, newest first, saying when more exist', () => {
    const listed = (id: number, status: TicketStatus, progress: number, description: string, name: string | null, at: string): ListedTicket => ({
      id, status, progress, description, assignedTo: name && 'x', assignedToName: name, createdAt: new Date(at),
    });
    const tickets = [
      listed(123, TicketStatus.RESOLVED, 100, '服务器无法连接', '李四', '2026-02-01T07:30:00Z'),
      listed(118, TicketStatus.PROCESSING, 75, '登录失败报错500', '王五', '2026-01-28T02:20:00Z'),
    ];
    expect(ticketListReply(tickets, 2)).toBe(
      '📋 查询到 2 个工单：\n\n**工单 #123**\n状态：已解决 | 进度：100%\n问题：服务器无法连接\n负责人：李四\n创建时间：2026-02-01 15:30\n\n' +
        '**工单 #118**\n状态：处理中 | 进度：75%\n问题：登录失败报错500\n负责人：王五\n创建时间：2026-01-28 10:20',
    );
    expect(ticketListReply(tickets, 12)).toMatch(/^📋 查询到 12 个工单：[\s\S]*（仅显示最新的 2 个）$/);
    expect(ticketListReply([], 0)).toContain('没有查询到工单');
  });

  it('help names every command with an example', () => {
    for (const example of ['/创建工单 @客户张三', '/查询工单 客户张三', '/分配工单 #123 @李四', '#123 已解决', '#123 升级处理', '#123 进度 50', '取消']) {
      expect(HELP_REPLY).toContain(example);
    }
  });

  it('a change elsewhere becomes one status line, calling nobody', () => {
    expect(renderTicketChange({ id: 123, status: TicketStatus.RESOLVED, progress: 100, assignedTo: 'lisi', assignedToName: '李四' }, { by: '李四', note: '网络配置错误' })).toEqual({
      text: '📌 工单 #123 已解决 | 进度：100% | 负责人：李四（由 李四 更新）\n备注：网络配置错误',
      mentions: [],
      mentionAll: false,
    });
  });
});

describe('byte limits', () => {
  it('leaves text within the limit alone', () => {
    expect(fitBytes('服务器无法连接', 21)).toBe('服务器无法连接');
  });

  it('cuts long text between whole characters, with a clear marker, within the limit', () => {
    const long = `${'网'.repeat(3000)}🙂${'a'.repeat(10)}`;
    const cut = fitBytes(long, 4096);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(4096);
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(cut.startsWith('网'.repeat(1000))).toBe(true);
    const emoji = fitBytes('🙂'.repeat(100), 10 + utf8Bytes(TRUNCATION_MARKER));
    expect(emoji).toBe(`🙂🙂${TRUNCATION_MARKER}`);
  });
});
