import type { TicketRecord } from '../domain/records.js';
import type { Mentions } from '../domain/reminder-policy.js';
import { STATUS_LABEL, TicketStatus } from '../domain/ticket-status.js';
import { formatChinaTime, formatDuration } from './china-time.js';

/** The ticket and customer a deadline message is about. */
export interface DeadlineSubject {
  readonly ticket: Pick<TicketRecord, 'id' | 'description' | 'status' | 'progress' | 'assignedTo' | 'assignedToName' | 'deadline'>;
  readonly customer: { readonly name: string; readonly phone: string | null };
}

export interface StaffName {
  readonly userId: string;
  readonly name: string;
}

/** A rendered chat message: markdown text, and who it @-mentions (the channel turns these into real mentions). */
export interface ChatMessage {
  readonly text: string;
  readonly mentions: readonly string[];
  readonly mentionAll: boolean;
}

const PROBLEM_CHARS = 50;

/** The problem on one line, cut to fit a card line. */
export function problemLine(description: string): string {
  const line = description.replace(/\s+/g, ' ').trim();
  return line.length > PROBLEM_CHARS ? `${line.slice(0, PROBLEM_CHARS)}…` : line;
}

const customerLine = ({ name, phone }: DeadlineSubject['customer']): string => (phone ? `${name} (${phone})` : name);

/** Who owns the ticket, as chat shows it: the name, else the userid, else 待分配. */
export const ownerName = (ticket: Pick<TicketRecord, 'assignedTo' | 'assignedToName'>): string => ticket.assignedToName ?? ticket.assignedTo ?? '待分配';

/** "@李四 @所有人": display names for the people mentioned, as the line in the message reads. */
function mentionLine(mentions: Mentions, names: readonly StaffName[]): string {
  const byId = new Map(names.map((s) => [s.userId, s.name]));
  return [...mentions.userIds.map((id) => `@${byId.get(id) ?? id}`), ...(mentions.all ? ['@所有人'] : [])].join(' ');
}

function callToAction(ticket: DeadlineSubject['ticket'], mentions: Mentions): string {
  if (!ticket.assignedTo) return '工单还没有负责人，请尽快认领处理！';
  return mentions.all ? '紧急工单，请尽快处理！' : '请尽快处理！';
}

/** 🚨 【工单超时提醒】, as the brief lays it out. */
export function renderReminder(subject: DeadlineSubject, reminder: { readonly sequence: number; readonly mentions: Mentions; readonly now: Date }): ChatMessage {
  const { ticket } = subject;
  const hints = [`💡 回复 "#${ticket.id} 已解决" 可关闭工单`];
  if (ticket.status !== TicketStatus.ESCALATED) hints.push(`💡 回复 "#${ticket.id} 升级处理" 可升级工单`);
  const owner = ticket.assignedTo ? { userId: ticket.assignedTo, name: ownerName(ticket) } : undefined;
  const text = [
    '🚨 【工单超时提醒】',
    '',
    `工单编号：#${ticket.id}`,
    `客户：${customerLine(subject.customer)}`,
    `问题：${problemLine(ticket.description)}`,
    '',
    `当前状态：${STATUS_LABEL[ticket.status]}`,
    `负责人：${ownerName(ticket)}`,
    `处理进度：${ticket.progress}%`,
    '',
    `⏰ 处理期限：${formatChinaTime(ticket.deadline)}`,
    `⏱️  已超时：${formatDuration(reminder.now.getTime() - ticket.deadline.getTime())}`,
    `🔔 催促次数：第 ${reminder.sequence} 次`,
    '',
    `${mentionLine(reminder.mentions, owner ? [owner] : [])} ${callToAction(ticket, reminder.mentions)}`,
    '',
    '---',
    ...hints,
  ].join('\n');
  return { text, mentions: reminder.mentions.userIds, mentionAll: reminder.mentions.all };
}

/** ⬆️ 【工单已升级】 for the leads, when repeated reminders escalate a ticket. Without leads, everyone is told. */
export function renderEscalation(subject: DeadlineSubject, escalation: { readonly reminders: number; readonly leads: readonly StaffName[]; readonly now: Date }): ChatMessage {
  const { ticket } = subject;
  const mentions: Mentions = { userIds: escalation.leads.map((lead) => lead.userId), all: escalation.leads.length === 0 };
  const text = [
    '⬆️ 【工单已升级】',
    '',
    `工单 #${ticket.id} 已催促 ${escalation.reminders} 次仍未解决，已自动升级处理。`,
    `客户：${customerLine(subject.customer)}`,
    `问题：${problemLine(ticket.description)}`,
    `负责人：${ownerName(ticket)}`,
    `处理期限：${formatChinaTime(ticket.deadline)}（已超时 ${formatDuration(escalation.now.getTime() - ticket.deadline.getTime())}）`,
    '',
    `${mentionLine(mentions, escalation.leads)} 请主管介入处理！`,
  ].join('\n');
  return { text, mentions: mentions.userIds, mentionAll: mentions.all };
}

/** ⏰ 【工单即将超时】, the optional early warning before the deadline. */
export function renderDeadlineWarning(subject: DeadlineSubject, warning: { readonly now: Date }): ChatMessage {
  const { ticket } = subject;
  const mentions: Mentions = { userIds: ticket.assignedTo ? [ticket.assignedTo] : [], all: !ticket.assignedTo };
  const owner = ticket.assignedTo ? [{ userId: ticket.assignedTo, name: ownerName(ticket) }] : [];
  const text = [
    '⏰ 【工单即将超时】',
    '',
    `工单编号：#${ticket.id}`,
    `客户：${customerLine(subject.customer)}`,
    `问题：${problemLine(ticket.description)}`,
    `当前状态：${STATUS_LABEL[ticket.status]}`,
    `负责人：${ownerName(ticket)}`,
    `处理期限：${formatChinaTime(ticket.deadline)}（还剩 ${formatDuration(ticket.deadline.getTime() - warning.now.getTime())}）`,
    '',
    `${mentionLine(mentions, owner)} ${ticket.assignedTo ? '请在期限前处理！' : '工单还没有负责人，请尽快认领！'}`,
  ].join('\n');
  return { text, mentions: mentions.userIds, mentionAll: mentions.all };
}
