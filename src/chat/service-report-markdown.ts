import { PRIORITY_ICON, PRIORITY_LABEL } from '../domain/priority.js';
import type { CustomerReport, DurationFigures } from '../domain/service-report.js';
import { STATUS_LABEL } from '../domain/ticket-status.js';
import { formatSpan } from './china-time.js';

const duration = (label: string, figures: DurationFigures): string =>
  figures.meanSeconds === null || figures.p90Seconds === null
    ? `> ${label}：暂无（0 个工单）`
    : `> ${label}：平均 ${formatSpan(figures.meanSeconds * 1000)}，P90 ${formatSpan(figures.p90Seconds * 1000)}（${figures.tickets} 个工单）`;

/**
 * The report as WeCom markdown, to paste into a chat: headings, bold, quotes and line breaks
 * only (WeCom shows no tables). Durations to the minute; every status and priority is listed.
 */
export function renderCustomerReport(report: CustomerReport): string {
  const { customer, period } = report;
  const lines = [
    `## 📊 客户服务报告 · ${customer.name}`,
    ...(customer.company ? [`> 公司：${customer.company}`] : []),
    ...(customer.phone ? [`> 联系：${customer.phone}`] : []),
    `> 统计周期：${period.from} 至 ${period.to}（中国时间，按工单创建日期）`,
    '',
    `**工单概况**：共 ${report.totalTickets} 个`,
    `> ${report.byStatus.map(({ status, count }) => `${STATUS_LABEL[status]} ${count}`).join(' · ')}`,
    `> ${report.byPriority.map(({ priority, count }) => `${PRIORITY_ICON[priority]} ${PRIORITY_LABEL[priority]} ${count}`).join(' · ')}`,
    '',
    '**处理时效**',
    duration('首次分配', report.timeToAssign),
    duration('解决用时', report.timeToResolve),
    '',
    '**跟进情况**',
    `> 超时工单：${report.overdueTickets} 个`,
    `> 催促提醒：${report.remindersSent} 次`,
    `> 升级处理：${report.escalations} 次`,
    '',
    '**涉及产品**',
    ...(report.products.length === 0 ? ['> 暂无'] : report.products.map(({ product, count }) => `> ${product}：${count} 个工单`)),
  ];
  return lines.join('\n');
}
