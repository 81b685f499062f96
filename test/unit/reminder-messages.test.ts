import { describe, expect, it } from 'vitest';
import { formatChinaMonthDay, formatChinaTime, formatDuration } from '../../src/chat/china-time.js';
import { problemLine, renderDeadlineWarning, renderEscalation, renderReminder, type DeadlineSubject } from '../../src/chat/reminder-messages.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';

const HOUR = 3_600_000;
// 2026-02-02 15:30 in China.
const DEADLINE = new Date('2026-02-02T07:30:00Z');

const subject = (ticket: Partial<DeadlineSubject['ticket']> = {}): DeadlineSubject => ({
  ticket: { id: 123, description: '服务器无法连接', status: TicketStatus.PROCESSING, progress: 50, assignedTo: 'lisi', assignedToName: '李四', deadline: DEADLINE, ...ticket },
  customer: { name: '张三', phone: '13800138000' },
});

describe('China time', () => {
  it('shows UTC instants in Asia/Shanghai', () => {
    expect(formatChinaTime(DEADLINE)).toBe('2026-02-02 15:30');
    expect(formatChinaTime(new Date('2026-02-01T16:05:00Z'))).toBe('2026-02-02 00:05');
    expect(formatChinaMonthDay(DEADLINE)).toBe('02月02日 15:30');
  });

  it('says how long in minutes within the first hour, then in hours', () => {
    expect(formatDuration(25 * 60_000)).toBe('25 分钟');
    expect(formatDuration(12.5 * HOUR)).toBe('12 小时');
    expect(formatDuration(-5)).toBe('0 分钟');
  });
});

describe('reminder messages', () => {
  it('renders the brief\'s 🚨 【工单超时提醒】', () => {
    const message = renderReminder(subject(), { sequence: 1, mentions: { userIds: ['lisi'], all: false }, now: new Date(DEADLINE.getTime() + 12 * HOUR) });
    expect(message.text).toBe(
      [
        '🚨 【工单超时提醒】',
        '',
        '工单编号：#123',
        '客户：张三 (13800138000)',
        '问题：服务器无法连接',
        '',
        '当前状态：处理中',
        '负责人：李四',
        '处理进度：50%',
        '',
        '⏰ 处理期限：2026-02-02 15:30',
        '⏱️  已超时：12 小时',
        '🔔 催促次数：第 1 次',
        '',
        '@李四 请尽快处理！',
        '',
        '---',
        '💡 回复 "#123 已解决" 可关闭工单',
        '💡 回复 "#123 升级处理" 可升级工单',
      ].join('\n'),
    );
    expect(message).toMatchObject({ mentions: ['lisi'], mentionAll: false });
  });

  it('calls on everyone for an unassigned ticket, and drops the escalation hint once escalated', () => {
    const unowned = renderReminder(subject({ assignedTo: null, assignedToName: null, status: TicketStatus.PENDING, progress: 0 }), {
      sequence: 2,
      mentions: { userIds: [], all: true },
      now: new Date(DEADLINE.getTime() + 20 * 60_000),
    });
    expect(unowned.text).toContain('负责人：待分配');
    expect(unowned.text).toContain('⏱️  已超时：20 分钟');
    expect(unowned.text).toContain('@所有人 工单还没有负责人，请尽快认领处理！');
    expect(unowned).toMatchObject({ mentions: [], mentionAll: true });
    const escalated = renderReminder(subject({ status: TicketStatus.ESCALATED }), { sequence: 4, mentions: { userIds: ['lisi'], all: true }, now: DEADLINE });
    expect(escalated.text).toContain('@李四 @所有人 紧急工单，请尽快处理！');
    expect(escalated.text).not.toContain('升级处理');
  });

  it('cuts a long problem to one line', () => {
    expect(problemLine('第一行\n第二行')).toBe('第一行 第二行');
    expect(problemLine('长'.repeat(80))).toBe(`${'长'.repeat(50)}…`);
  });

  it('tells the leads of an escalation, or everyone when there are no leads', () => {
    const notice = renderEscalation(subject(), { reminders: 3, leads: [{ userId: 'boss', name: '赵主管' }], now: new Date(DEADLINE.getTime() + 2 * HOUR) });
    expect(notice.text).toContain('工单 #123 已催促 3 次仍未解决，已自动升级处理。');
    expect(notice.text).toContain('处理期限：2026-02-02 15:30（已超时 2 小时）');
    expect(notice.text).toContain('@赵主管 请主管介入处理！');
    expect(notice).toMatchObject({ mentions: ['boss'], mentionAll: false });
    expect(renderEscalation(subject(), { reminders: 3, leads: [], now: DEADLINE })).toMatchObject({ mentions: [], mentionAll: true });
  });

  it('warns before the deadline', () => {
    const warning = renderDeadlineWarning(subject(), { now: new Date(DEADLINE.getTime() - HOUR) });
    expect(warning.text).toContain('⏰ 【工单即将超时】');
    expect(warning.text).toContain('处理期限：2026-02-02 15:30（还剩 1 小时）');
    expect(warning).toMatchObject({ mentions: ['lisi'], mentionAll: false });
  });
});
