import { describe, expect, it } from 'vitest';
import { formatSpan } from '../../src/chat/china-time.js';
import { renderCustomerReport } from '../../src/chat/service-report-markdown.js';
import { Priority } from '../../src/domain/priority.js';
import { reportPeriod } from '../../src/domain/report-period.js';
import { assembleCustomerReport, assembleServiceStats, durationFigures, percentile, type ReportTicketFacts } from '../../src/domain/service-report.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the nearest-rank percentile', () => {
  it('is the value at rank ⌈p/100 × n⌉ of the sorted values', () => {
    expect(percentile([3, 1, 2], 90)).toBe(3);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(90);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 90)).toBe(100);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([5, 1], 50)).toBe(1);
    expect(percentile([], 90)).toBeNull();
  });

  it('counts ranks in integers: 0.9 × 30 is rank 27, not 28', () => {
    const values = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(percentile(values, 90)).toBe(27);
    expect(percentile(Array.from({ length: 70 }, (_, i) => i + 1), 90)).toBe(63);
  });

  it('sorts numbers as numbers', () => {
    expect(percentile([9, 100, 20, 3], 50)).toBe(9);
  });
});

describe('duration figures', () => {
  it('are the count, the mean and the P90 in seconds, null when nothing contributed', () => {
    expect(durationFigures([HOUR, 30 * MINUTE, 20 * MINUTE])).toEqual({ tickets: 3, meanSeconds: 2200, p90Seconds: 3600 });
    expect(durationFigures([1, 2])).toEqual({ tickets: 2, meanSeconds: 0.002, p90Seconds: 0.002 });
    expect(durationFigures([])).toEqual({ tickets: 0, meanSeconds: null, p90Seconds: null });
  });
});

describe('spans of time in chat', () => {
  it('show their two largest units, to the minute', () => {
    expect(formatSpan(30 * 1000)).toBe('不到 1 分钟');
    expect(formatSpan(36 * MINUTE + 40_000)).toBe('36 分钟');
    expect(formatSpan(HOUR)).toBe('1 小时');
    expect(formatSpan(4.5 * HOUR)).toBe('4 小时 30 分钟');
    expect(formatSpan(26 * HOUR + 5 * MINUTE)).toBe('1 天 2 小时');
    expect(formatSpan(48 * HOUR + 5 * MINUTE)).toBe('2 天');
  });
});

const customer = { id: 7, name: '王芳', phone: null, company: '云帆科技', createdAt: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-01-01T00:00:00Z') };
const period = reportPeriod({ from: '2026-12-01', to: '2026-12-03' }, new Date('2026-12-04T00:00:00Z'));
const created = new Date('2026-12-01T02:00:00Z');
const at = (ms: number) => new Date(created.getTime() + ms);
const ticket = (facts: Partial<ReportTicketFacts>): ReportTicketFacts => ({
  status: TicketStatus.PENDING,
  priority: Priority.NORMAL,
  product: null,
  createdAt: created,
  firstAssignedAt: null,
  firstResolvedAt: null,
  deadlinePassed: false,
  reminders: 0,
  escalations: 0,
  ...facts,
});

describe('the customer service report', () => {
  const report = assembleCustomerReport(customer, period, [
    ticket({ status: TicketStatus.CLOSED, priority: Priority.URGENT, product: 'ERP系统', firstAssignedAt: at(10 * MINUTE), firstResolvedAt: at(2 * HOUR) }),
    ticket({ status: TicketStatus.RESOLVED, priority: Priority.HIGH, product: '企业邮箱', firstAssignedAt: at(50 * MINUTE), firstResolvedAt: at(26 * HOUR + 5 * MINUTE), deadlinePassed: true, reminders: 1 }),
    ticket({ status: TicketStatus.PROCESSING, product: 'ERP系统', firstAssignedAt: at(90 * MINUTE) }),
    ticket({ status: TicketStatus.CANCELLED, priority: Priority.LOW }),
  ]);

  it('counts every status and priority, in order, and the events', () => {
    expect(report.totalTickets).toBe(4);
    expect(report.byStatus).toEqual([
      { status: 'PENDING', count: 0 }, { status: 'ASSIGNED', count: 0 }, { status: 'PROCESSING', count: 1 }, { status: 'RESOLVED', count: 1 },
      { status: 'CLOSED', count: 1 }, { status: 'ESCALATED', count: 0 }, { status: 'CANCELLED', count: 1 },
    ]);
    expect(report.byPriority).toEqual([{ priority: 'URGENT', count: 1 }, { priority: 'HIGH', count: 1 }, { priority: 'NORMAL', count: 1 }, { priority: 'LOW', count: 1 }]);
    expect([report.overdueTickets, report.remindersSent, report.escalations]).toEqual([1, 1, 0]);
    expect(report.products).toEqual([{ product: 'ERP系统', count: 2 }, { product: '企业邮箱', count: 1 }]);
  });

  it('times the first assignment and the first resolution of the tickets that had one', () => {
    expect(report.timeToAssign).toEqual({ tickets: 3, meanSeconds: 3000, p90Seconds: 5400 });
    expect(report.timeToResolve).toEqual({ tickets: 2, meanSeconds: 50550, p90Seconds: 93900 });
  });

  it('orders products with as many tickets by name, Chinese by pinyin', () => {
    const tied = assembleCustomerReport(customer, period, [ticket({ product: '乙' }), ticket({ product: '甲' }), ticket({ product: '云服务器' }), ticket({ product: '斗战神' })]);
    expect(tied.products.map((p) => p.product)).toEqual(['斗战神', '甲', '乙', '云服务器']);
  });

  it('reads as WeCom markdown: headings, bold, quotes and line breaks, no table', () => {
    expect(renderCustomerReport(report)).toBe(
      [
        '## 📊 客户服务报告 · 王芳',
        '> 公司：云帆科技',
        '> 统计周期：2026-12-01 至 2026-12-03（中国时间，按工单创建日期）',
        '',
        '**工单概况**：共 4 个',
        '> 待分配 0 · 已分配 0 · 处理中 1 · 已解决 1 · 已关闭 1 · 已升级 0 · 已取消 1',
        '> 🚨 紧急 1 · ⬆️ 高 1 · ➡️ 普通 1 · ⬇️ 低 1',
        '',
        '**处理时效**',
        '> 首次分配：平均 50 分钟，P90 1 小时 30 分钟（3 个工单）',
        '> 解决用时：平均 14 小时 2 分钟，P90 1 天 2 小时（2 个工单）',
        '',
        '**跟进情况**',
        '> 超时工单：1 个',
        '> 催促提醒：1 次',
        '> 升级处理：0 次',
        '',
        '**涉及产品**',
        '> ERP系统：2 个工单',
        '> 企业邮箱：1 个工单',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to report', () => {
    const empty = renderCustomerReport(assembleCustomerReport({ ...customer, company: null }, period, []));
    expect(empty).toContain('**工单概况**：共 0 个\n> 待分配 0 · 已分配 0');
    expect(empty).toContain('> 首次分配：暂无（0 个工单）\n> 解决用时：暂无（0 个工单）');
    expect(empty).toContain('**涉及产品**\n> 暂无');
    expect(empty).not.toContain('公司');
    expect(empty).not.toContain('|');
  });
});

describe('the team figures', () => {
  const stats = assembleServiceStats(period, {
    open: [
      { assignedTo: 'lisi', assignedToName: '李四', status: TicketStatus.PROCESSING, count: 1, overdue: 1 },
      { assignedTo: 'wangwu', assignedToName: '王五', status: TicketStatus.ASSIGNED, count: 1, overdue: 0 },
      { assignedTo: null, assignedToName: null, status: TicketStatus.PENDING, count: 2, overdue: 1 },
      { assignedTo: null, assignedToName: null, status: TicketStatus.ESCALATED, count: 1, overdue: 1 },
    ],
    resolutions: [
      { assignedTo: 'lisi', assignedToName: '李四', durationsMs: [3 * HOUR, 6 * HOUR], late: 1 },
      { assignedTo: 'wangwu', assignedToName: '王五', durationsMs: [10 * HOUR, 2 * HOUR], late: 0 },
      { assignedTo: null, assignedToName: null, durationsMs: [45 * MINUTE], late: 0 },
    ],
    reminders: [
      { assignedTo: 'lisi', assignedToName: '李四', count: 2 },
      { assignedTo: null, assignedToName: null, count: 3 },
      { assignedTo: 'zhaoliu', assignedToName: '赵六', count: 1 },
    ],
    ratings: [
      { assignedTo: 'lisi', assignedToName: '李四', count: 2, total: 9 },
      { assignedTo: 'wangwu', assignedToName: '王五', count: 1, total: 3 },
    ],
  });

  it('sum everyone, the unassigned included', () => {
    expect(stats.overall).toEqual({
      openTickets: 5,
      openByStatus: [{ status: 'PENDING', count: 2 }, { status: 'ASSIGNED', count: 1 }, { status: 'PROCESSING', count: 1 }, { status: 'ESCALATED', count: 1 }],
      overdueNow: 3,
      timeToResolve: { tickets: 5, meanSeconds: 15660, p90Seconds: 36000 },
      resolvedLate: 1,
      slaBreachRate: 0.2,
      remindersSent: 6,
      ratings: 3,
      averageRating: 4,
    });
    expect(stats.unassigned).toMatchObject({ openTickets: 3, overdueNow: 2, timeToResolve: { tickets: 1, meanSeconds: 2700, p90Seconds: 2700 }, slaBreachRate: 0, remindersSent: 3 });
  });

  it('give each assignee theirs, by userid, with nothing where they had nothing', () => {
    expect(stats.byAssignee.map((a) => [a.userId, a.name])).toEqual([['lisi', '李四'], ['wangwu', '王五'], ['zhaoliu', '赵六']]);
    expect(stats.byAssignee[0]).toMatchObject({ openTickets: 1, overdueNow: 1, timeToResolve: { tickets: 2, meanSeconds: 16200, p90Seconds: 21600 }, resolvedLate: 1, slaBreachRate: 0.5, remindersSent: 2, ratings: 2, averageRating: 4.5 });
    expect(stats.byAssignee[2]).toEqual({
      userId: 'zhaoliu',
      name: '赵六',
      openTickets: 0,
      openByStatus: [{ status: 'PENDING', count: 0 }, { status: 'ASSIGNED', count: 0 }, { status: 'PROCESSING', count: 0 }, { status: 'ESCALATED', count: 0 }],
      overdueNow: 0,
      timeToResolve: { tickets: 0, meanSeconds: null, p90Seconds: null },
      resolvedLate: 0,
      slaBreachRate: null,
      remindersSent: 1,
      ratings: 0,
      averageRating: null,
    });
  });
});
