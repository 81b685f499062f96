import { CommentVisibility } from '../domain/ticket-comment.js';
import type { TicketRecord } from '../domain/records.js';
import { STATUS_LABEL, type TicketStatus } from '../domain/ticket-status.js';
import { formatChinaTime } from './china-time.js';
import { ownerName, problemLine } from './reminder-messages.js';

/** The bot's answers to commands, in the brief's words. Pure: the adapter sends what these return. */

export const createdReply = (ticketId: number): string => `✅ 工单 #${ticketId} 创建成功！已推送到群聊。`;

export const assignedReply = (ticketId: number, assigneeName: string): string => `✅ 工单 #${ticketId} 已分配给 @${assigneeName}`;

export const statusReply = (ticketId: number, status: TicketStatus): string => `✅ 工单 #${ticketId} 状态已更新为：${STATUS_LABEL[status]}`;

export const progressReply = (ticketId: number, progress: number): string => `✅ 工单 #${ticketId} 处理进度已更新为：${progress}%`;

export const commentReply = (ticketId: number, visibility: CommentVisibility): string =>
  visibility === CommentVisibility.PUBLIC ? `✅ 已回复客户（工单 #${ticketId}），客户查看工单进度时能看到` : `✅ 已添加内部备注（工单 #${ticketId}），客户看不到`;

export type ListedTicket = Pick<TicketRecord, 'id' | 'status' | 'progress' | 'description' | 'assignedTo' | 'assignedToName' | 'createdAt'>;

/** 📋 查询到 N 个工单：, newest first, as many as were fetched; says so when there are more. */
export function ticketListReply(tickets: readonly ListedTicket[], total: number): string {
  if (total === 0) return '📋 没有查询到工单。可以换个条件试试：客户姓名、手机号或 #工单号';
  const blocks = tickets.map((t) =>
    [
      `**工单 #${t.id}**`,
      `状态：${STATUS_LABEL[t.status]} | 进度：${t.progress}%`,
      `问题：${problemLine(t.description)}`,
      `负责人：${ownerName(t)}`,
      `创建时间：${formatChinaTime(t.createdAt)}`,
    ].join('\n'),
  );
  const more = total > tickets.length ? [`（仅显示最新的 ${tickets.length} 个）`] : [];
  return [`📋 查询到 ${total} 个工单：`, '', blocks.join('\n\n'), ...(more.length ? ['', ...more] : [])].join('\n');
}

export const HELP_REPLY = [
  '🤖 工单助手可以做这些（@我 后发送）：',
  '',
  '**创建工单**',
  '/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接',
  '可选：公司:XX科技 产品:云服务器；写"紧急"或"严重"为紧急工单，"高优先级"为高优先级',
  '',
  '**查询工单**',
  '/查询工单 客户张三　/查询工单 手机13800138000　/查询工单 #123',
  '',
  '**分配工单**',
  '/分配工单 #123 @李四　或　#123 分配给@李四',
  '',
  '**更新状态**',
  '#123 已解决，问题是网络配置错误　#123 已处理　#123 升级处理',
  '#123 关闭　#123 取消　#123 进度 50',
  '',
  '**回复客户 / 内部备注**',
  '#123 回复客户：已安排工程师明天上门（客户能看到）　#123 备注：客户机房在三楼（只有员工能看到）',
  '引用回复工单卡片时，可省略 #123，例如直接回复"已解决"',
  '',
  '创建过程中回复"取消"可放弃。',
].join('\n');

export const UNRECOGNISED_REPLY = '没看懂这条消息。发送 /帮助 查看可用命令，例如：/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接';
