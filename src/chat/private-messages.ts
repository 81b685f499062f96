import { PRIORITY_ICON } from '../domain/priority.js';
import type { TicketRecord } from '../domain/records.js';
import { STATUS_LABEL } from '../domain/ticket-status.js';
import { formatChinaTime } from './china-time.js';
import { ownerName, problemLine, type ChatMessage } from './reminder-messages.js';

/** What a private message says about a ticket. */
export interface PrivateSubject {
  readonly ticket: Pick<TicketRecord, 'id' | 'description' | 'status' | 'priority' | 'progress' | 'assignedTo' | 'assignedToName' | 'deadline'>;
  readonly customer: { readonly name: string; readonly phone: string | null };
}

const customerLine = ({ name, phone }: PrivateSubject['customer']): string => (phone ? `${name} (${phone})` : name);

/** 📋 To the new assignee, in private: the ticket is theirs now. */
export function renderAssignmentNotice(subject: PrivateSubject, by: string | null): ChatMessage {
  const { ticket } = subject;
  const text = [
    `📋 **工单 #${ticket.id} 已分配给你**${by ? `（由 ${by} 分配）` : ''}`,
    `> 客户：${customerLine(subject.customer)}`,
    `> 问题：${problemLine(ticket.description)}`,
    `> 优先级：${PRIORITY_ICON[ticket.priority]} ${ticket.priority}`,
    `> 处理期限：⏰ ${formatChinaTime(ticket.deadline)}`,
    '',
    `在群里回复 "#${ticket.id} 已处理" 或 "#${ticket.id} 进度 50" 更新进度。`,
  ].join('\n');
  return { text, mentions: [], mentionAll: false };
}

/** ⬆️ To each lead, in private: a ticket was escalated. */
export function renderEscalationNotice(subject: PrivateSubject, by: string | null): ChatMessage {
  const { ticket } = subject;
  const text = [
    `⬆️ **工单 #${ticket.id} 已升级**${by ? `（由 ${by} 升级）` : ''}`,
    `> 客户：${customerLine(subject.customer)}`,
    `> 问题：${problemLine(ticket.description)}`,
    `> 负责人：${ownerName(ticket)} | 状态：${STATUS_LABEL[ticket.status]} | 进度：${ticket.progress}%`,
    `> 处理期限：⏰ ${formatChinaTime(ticket.deadline)}`,
    '',
    '请主管跟进处理。',
  ].join('\n');
  return { text, mentions: [], mentionAll: false };
}
