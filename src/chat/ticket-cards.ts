import { PRIORITY_ICON } from '../domain/priority.js';
import type { TicketRecord } from '../domain/records.js';
import { reminderMentions } from '../domain/reminder-policy.js';
import { STATUS_LABEL, type TicketStatus } from '../domain/ticket-status.js';
import { formatChinaMonthDay, formatChinaTime } from './china-time.js';
import { ownerName, problemLine, type ChatMessage } from './reminder-messages.js';

/** The ticket and customer a card shows. */
export interface CardSubject {
  readonly ticket: Pick<
    TicketRecord,
    'id' | 'title' | 'description' | 'product' | 'status' | 'priority' | 'progress' | 'assignedTo' | 'assignedToName' | 'deadline' | 'createdAt'
  >;
  readonly customer: { readonly name: string; readonly phone: string | null; readonly company: string | null };
}

/** The best earlier match for the problem, when there is one worth naming. */
export interface SimilarTicket {
  readonly id: number;
  readonly title: string;
  readonly status: TicketStatus;
}

export interface CardExtras {
  /** The signed 查看详情 link, when the service has one to give. */
  readonly detailUrl?: string;
  readonly similar?: SimilarTicket;
  /** Who created it, as the group should read it ("由 张三 创建"), or the channel it came through. */
  readonly source?: string;
}

const quoted = (lines: readonly string[]): string[] => lines.map((line) => `> ${line}`);

/**
 * 🟡 【新工单提醒】, in the brief's order: customer, ticket, status, reply hints, 🆘 deadline. Who it
 * calls (the assignee; everyone when unassigned or urgent) travels beside the text, for the channel to
 * mention as it can.
 */
export function renderNewTicketCard(subject: CardSubject, extras: CardExtras = {}): ChatMessage {
  const { ticket, customer } = subject;
  const mentions = reminderMentions({ assignedTo: ticket.assignedTo, priority: ticket.priority });
  const customerLines = [`客户：${customer.name}`, ...(customer.company ? [`公司：${customer.company}`] : []), `联系：${customer.phone ?? '未提供'}`];
  const detailLines = [
    `产品/项目：${ticket.product ?? '售后工单'} - ${problemLine(ticket.title)}`,
    `问题描述：${ticket.description}`,
    `优先级：${PRIORITY_ICON[ticket.priority]} ${ticket.priority}`,
    `提交时间：${formatChinaTime(ticket.createdAt)}`,
    ...(extras.similar ? [`相似问题：#${extras.similar.id} ${problemLine(extras.similar.title)}（${STATUS_LABEL[extras.similar.status]}）`] : []),
  ];
  const statusLines = [
    `当前状态：${STATUS_LABEL[ticket.status]}`,
    `负责人：${ownerName(ticket)}`,
    `处理进度：${ticket.progress}%`,
    `处理期限：⏰ ${formatChinaTime(ticket.deadline)}`,
  ];
  const text = [
    `🟡 【新工单提醒】#ID${ticket.id}${extras.source ? `（${extras.source}）` : ''}`,
    '',
    '**客户信息**',
    ...quoted(customerLines),
    '',
    '**工单详情**',
    ...quoted(detailLines),
    '',
    '**处理状态**',
    ...quoted(statusLines),
    '',
    '---',
    '💬 请负责人在本消息下回复处理进度',
    '✅ 回复"已解决"可自动关闭工单',
    '📋 回复"分配给@某人"可转交工单',
    ...(extras.detailUrl ? [`📊 查看详情：[安全链接](${extras.detailUrl})`] : []),
    '',
    `🆘 请在${formatChinaMonthDay(ticket.deadline)}前处理`,
  ].join('\n');
  return { text, mentions: mentions.userIds, mentionAll: mentions.all };
}

/** The short line the group gets when a ticket changes, from chat or from anywhere else, where its card cannot be updated in place. */
export function renderTicketChange(
  ticket: Pick<TicketRecord, 'id' | 'status' | 'progress' | 'assignedTo' | 'assignedToName'>,
  change: { readonly by?: string; readonly note?: string },
): ChatMessage {
  const by = change.by ? `（由 ${change.by} 更新）` : '';
  const note = change.note ? `\n备注：${problemLine(change.note)}` : '';
  const text = `📌 工单 #${ticket.id} ${STATUS_LABEL[ticket.status]} | 进度：${ticket.progress}% | 负责人：${ownerName(ticket)}${by}${note}`;
  // A status line informs; the card and the reminders are what call people.
  return { text, mentions: [], mentionAll: false };
}

const NOTE_CHARS = 500;
const cut = (text: string) => ([...text].length > NOTE_CHARS ? `${[...text].slice(0, NOTE_CHARS - 1).join('')}…` : text);

/** 💬 what the customer added on their status page, to the ticket's group, calling its assignee (everyone when nobody owns it). */
export function renderCustomerNote(ticket: Pick<TicketRecord, 'id' | 'assignedTo' | 'assignedToName'>, customerName: string, note: string): ChatMessage {
  const text = `💬 工单 #${ticket.id} 客户 ${customerName} 补充说明（来自工单进度页）：\n> ${cut(note).replace(/\n/g, '\n> ')}\n回复客户请发：#${ticket.id} 回复客户：…`;
  return { text, mentions: ticket.assignedTo ? [ticket.assignedTo] : [], mentionAll: ticket.assignedTo === null };
}

/** ⭐ the customer's rating of a resolution, to the ticket's group. */
export function renderRating(ticket: Pick<TicketRecord, 'id'>, customerName: string, score: number, comment: string | null): ChatMessage {
  const stars = `${'★'.repeat(score)}${'☆'.repeat(5 - score)}`;
  return { text: `⭐ 工单 #${ticket.id} 客户 ${customerName} 评价：${stars}（${score} 分）${comment ? `\n> ${cut(comment)}` : ''}`, mentions: [], mentionAll: false };
}
