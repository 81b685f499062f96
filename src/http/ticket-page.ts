import { formatChinaTime, formatDuration } from '../chat/china-time.js';
import { isOverdue } from '../domain/deadline.js';
import type { DetailLinkRefusal } from '../domain/detail-link.js';
import { DeliveryChannel, NotificationStatus } from '../domain/notification.js';
import { PRIORITY_ICON, PRIORITY_LABEL } from '../domain/priority.js';
import type { TicketEventRecord } from '../domain/records.js';
import { SYSTEM_ACTOR, TicketEventType } from '../domain/ticket-event.js';
import { isOpen, STATUS_LABEL, TicketStatus } from '../domain/ticket-status.js';
import type { ReminderDetail, TicketDetail } from '../tickets/ticket-detail.js';
import { CommentVisibility } from '../domain/ticket-comment.js';
import { html, pageDocument, type Html } from './html.js';

/**
 * The read-only ticket page a card's 查看详情 link opens, and the pages that refuse a link: plain
 * HTML, Chinese, China time, laid out for a phone (WeCom's in-app browser). No script at all; the
 * styles are one file of the service's own (public/ticket/ticket.css).
 */

const EVENT_LABEL: Readonly<Record<TicketEventType, string>> = {
  [TicketEventType.CREATED]: '创建',
  [TicketEventType.ASSIGNED]: '分配',
  [TicketEventType.STATUS_CHANGED]: '状态变更',
  [TicketEventType.PROGRESS_CHANGED]: '进度更新',
  [TicketEventType.ESCALATED]: '升级',
  [TicketEventType.REMINDED]: '催促',
  [TicketEventType.DEADLINE_PASSED]: '超时',
  [TicketEventType.DEADLINE_CHANGED]: '期限调整',
  [TicketEventType.COMMENTED]: '评论',
  [TicketEventType.CUSTOMER_NOTE]: '客户补充',
  [TicketEventType.RATED]: '客户评价',
};

const DELIVERY_LABEL: Readonly<Record<NotificationStatus, string>> = {
  [NotificationStatus.PENDING]: '待发送',
  [NotificationStatus.SENT]: '已发送',
  [NotificationStatus.DEAD]: '发送失败',
  [NotificationStatus.CANCELLED]: '已取消',
};

const CHANNEL_LABEL: Readonly<Record<DeliveryChannel, string>> = {
  [DeliveryChannel.DEV]: '开发通道',
  [DeliveryChannel.SMART_ROBOT]: '智能机器人',
  [DeliveryChannel.GROUP_WEBHOOK]: '群机器人',
  [DeliveryChannel.APP_MESSAGE]: '应用消息',
};

const statusLabel = (value: string | null): string => (value === null ? '—' : (STATUS_LABEL[value as TicketStatus] ?? value));
const statusClass = (status: TicketStatus): string => `status status-${status.toLowerCase()}`;

function timeText(value: string | null): string {
  if (value === null) return '—';
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : formatChinaTime(at);
}

const time = (at: Date): Html => html`<time datetime="${at.toISOString()}">${formatChinaTime(at)}</time>`;

/** "12" for 12 hours, "0.5" for half an hour. */
export const formatHours = (ms: number): string => String(Number((ms / 3_600_000).toFixed(2)));

const htmlDocument = (title: string, body: Html, bodyClass: string): Html => pageDocument({ title, body, bodyClass, stylesheet: 'assets/ticket.css' });

function eventText(event: TicketEventRecord, names: ReadonlyMap<string, string>): string {
  const name = (userId: string | null) => (userId === null ? '—' : (names.get(userId) ?? userId));
  switch (event.type) {
    case TicketEventType.CREATED:
      return `创建工单（${statusLabel(event.toValue)}）`;
    case TicketEventType.ASSIGNED:
      return event.fromValue === null ? `分配给 ${name(event.toValue)}` : `转交：${name(event.fromValue)} → ${name(event.toValue)}`;
    case TicketEventType.STATUS_CHANGED:
      return `状态：${statusLabel(event.fromValue)} → ${statusLabel(event.toValue)}`;
    case TicketEventType.ESCALATED:
      return `升级处理：${statusLabel(event.fromValue)} → ${statusLabel(event.toValue)}`;
    case TicketEventType.PROGRESS_CHANGED:
      return `进度：${event.fromValue ?? 0}% → ${event.toValue ?? 0}%`;
    case TicketEventType.REMINDED:
      return `第 ${event.toValue ?? '?'} 次超时催促`;
    case TicketEventType.DEADLINE_PASSED:
      return '已超过处理期限';
    case TicketEventType.DEADLINE_CHANGED:
      return `处理期限：${timeText(event.fromValue)} → ${timeText(event.toValue)}`;
    case TicketEventType.COMMENTED:
      return event.toValue === CommentVisibility.PUBLIC ? '回复客户' : '内部备注（客户看不到）';
    case TicketEventType.CUSTOMER_NOTE:
      return '客户补充说明';
    case TicketEventType.RATED:
      return `满意度 ${event.toValue ?? '?'} / 5`;
    default:
      return event.type;
  }
}

const actorName = (event: TicketEventRecord): string => (event.actorId === SYSTEM_ACTOR.userId ? (SYSTEM_ACTOR.name ?? '系统') : (event.actorName ?? event.actorId));

/** One change may record several events with its note (status and progress together): the note is shown once. */
const repeatsNote = (event: TicketEventRecord, before: TicketEventRecord | undefined): boolean =>
  before !== undefined && before.note === event.note && before.actorId === event.actorId && before.createdAt.getTime() === event.createdAt.getTime();

function timeline(detail: TicketDetail): Html {
  if (detail.events.length === 0) return html`<p class="empty">暂无记录</p>`;
  return html`<ol class="timeline">${detail.events.map(
    (event, i) => html`
<li class="event event-${event.type.toLowerCase()}" data-testid="timeline-event">
<div class="event-head"><span class="event-type">${EVENT_LABEL[event.type] ?? event.type}</span><span class="event-when"><span class="event-actor">${actorName(event)}</span>${time(event.createdAt)}</span></div>
<div class="event-text">${eventText(event, detail.staffNames)}</div>
${event.note && !repeatsNote(event, detail.events[i - 1]) ? html`<p class="event-note">${event.note}</p>` : null}
</li>`,
  )}
</ol>`;
}

function reminderLine(reminder: ReminderDetail, names: ReadonlyMap<string, string>): Html {
  const called = [...reminder.mentionedUserIds.map((id) => `@${names.get(id) ?? id}`), ...(reminder.mentionAll ? ['@所有人'] : [])].join(' ') || '—';
  const n = reminder.notification;
  const delivery = n === null ? '未记录消息' : [DELIVERY_LABEL[n.status] ?? n.status, n.channel ? (CHANNEL_LABEL[n.channel] ?? n.channel) : null].filter(Boolean).join(' · ');
  return html`
<li class="reminder" data-testid="reminder">
<span class="reminder-seq">第 ${reminder.sequence} 次</span>${time(reminder.sentAt)}
<div class="reminder-meta"><span>提醒：${called}</span><span class="delivery delivery-${n === null ? 'none' : n.status.toLowerCase()}">${delivery}</span></div>
</li>`;
}

function reminders(detail: TicketDetail): Html {
  if (detail.reminders.length === 0) return html`<p class="empty">暂无超时催促</p>`;
  return html`<ol class="reminders">${detail.reminders.map((r) => reminderLine(r, detail.staffNames))}
</ol>`;
}

function recentTickets(detail: TicketDetail, linkTo: (ticketId: number) => string): Html {
  if (detail.recentTickets.length === 0) return html`<p class="empty">该客户没有其他工单</p>`;
  return html`<ul class="recent">${detail.recentTickets.map(
    (t) => html`
<li data-testid="recent-ticket"><a href="${linkTo(t.id)}"><span class="recent-title"><span class="ticket-id">#${t.id}</span> ${t.title}</span><span class="recent-meta"><span class="${statusClass(t.status)}">${STATUS_LABEL[t.status]}</span>${time(t.createdAt)}</span></a></li>`,
  )}
</ul>`;
}

function deadlineState(detail: TicketDetail, now: Date): Html | null {
  const { ticket } = detail;
  if (!isOpen(ticket.status)) return null;
  const late = isOverdue(ticket.deadline, now);
  const text = late ? `⏰ 已超时 ${formatDuration(now.getTime() - ticket.deadline.getTime())}` : `剩余 ${formatDuration(ticket.deadline.getTime() - now.getTime())}`;
  return html`<span class="deadline-state${late ? ' overdue' : ''}" data-testid="overdue">${text}</span>`;
}

export interface TicketPageOptions {
  readonly now: Date;
  /** When the link that opened the page expires. */
  readonly expiresAt: Date;
  /** The signed link of another ticket, relative to this page. */
  readonly linkTo: (ticketId: number) => string;
}

/** The page: ticket, customer, problem, timeline, reminders, the customer's other tickets. */
export function renderTicketPage(detail: TicketDetail, options: TicketPageOptions): string {
  const { ticket, customer } = detail;
  const { now } = options;
  const owner = ticket.assignedToName ?? ticket.assignedTo;
  const body = html`<main class="page">
<header class="ticket-head" data-testid="ticket-header">
<div class="head-line"><span class="ticket-id">#${ticket.id}</span><span class="${statusClass(ticket.status)}" data-testid="status">${STATUS_LABEL[ticket.status]}</span><span class="priority priority-${ticket.priority.toLowerCase()}" data-testid="priority">${PRIORITY_ICON[ticket.priority]} ${PRIORITY_LABEL[ticket.priority]}</span></div>
<h1 data-testid="title">${ticket.title}</h1>
<div class="progress" data-testid="progress"><progress max="100" value="${ticket.progress}">${ticket.progress}%</progress><span class="progress-value">${ticket.progress}%</span></div>
<dl class="facts">
<div><dt>负责人</dt><dd data-testid="assignee">${owner ?? html`<span class="unassigned">待分配</span>`}</dd></div>
<div><dt>处理期限</dt><dd data-testid="deadline">${time(ticket.deadline)} ${deadlineState(detail, now)}</dd></div>
<div><dt>提交时间</dt><dd>${time(ticket.createdAt)}</dd></div>
${ticket.product ? html`<div><dt>产品/项目</dt><dd>${ticket.product}</dd></div>` : null}
${ticket.resolvedAt ? html`<div><dt>解决时间</dt><dd>${time(ticket.resolvedAt)}</dd></div>` : null}
${ticket.closedAt ? html`<div><dt>关闭时间</dt><dd>${time(ticket.closedAt)}</dd></div>` : null}
</dl>
</header>
<section class="card" data-testid="customer">
<h2>客户信息</h2>
${customer === null
  ? html`<p class="empty">客户记录不存在</p>`
  : html`<dl class="facts">
<div><dt>客户</dt><dd data-testid="customer-name">${customer.name}</dd></div>
<div><dt>联系</dt><dd data-testid="customer-phone">${customer.phone ? html`<a href="tel:${customer.phone}">${customer.phone}</a>` : '未提供'}</dd></div>
<div><dt>公司</dt><dd data-testid="customer-company">${customer.company ?? '未提供'}</dd></div>
</dl>`}
</section>
<section class="card" data-testid="description">
<h2>问题描述</h2>
<p class="description">${ticket.description}</p>
</section>
<section class="card" data-testid="timeline">
<h2>处理记录</h2>
${timeline(detail)}
</section>
<section class="card" data-testid="reminders">
<h2>超时催促${detail.reminders.length > 0 ? html` <span class="count">${detail.reminders.length}</span>` : null}</h2>
${reminders(detail)}
</section>
<section class="card" data-testid="recent-tickets">
<h2>该客户的其他工单</h2>
${recentTickets(detail, options.linkTo)}
</section>
<footer class="page-foot">只读页面 · 时间均为北京时间 · 链接有效至 ${time(options.expiresAt)}</footer>
</main>`;
  return htmlDocument(`工单 #${ticket.id} ${ticket.title}`, body, 'ticket-page').markup;
}

/** Why a page is refused, with what the reader can do about it. */
export type PageRefusal =
  | { readonly reason: DetailLinkRefusal; readonly ticketId?: number; readonly ttlMs: number }
  | { readonly reason: 'gone'; readonly ticketId: number }
  | { readonly reason: 'unavailable' };

/** A chat command to send, kept on one line. */
const command = (text: string): Html => html`<code class="command">${text}</code>`;

function refusalText(refusal: PageRefusal): { title: string; message: Html } {
  switch (refusal.reason) {
    case 'expired':
      return {
        title: '链接已过期',
        message: html`链接已过期（有效期 ${formatHours(refusal.ttlMs)} 小时），请在群里发送 ${command(`/查询工单${refusal.ticketId === undefined ? '' : ` #${refusal.ticketId}`}`)} 获取最新信息`,
      };
    case 'forged':
    case 'malformed':
      return { title: '链接无效', message: html`链接无效：签名不正确，请从工单卡片重新打开` };
    case 'gone':
      return { title: '工单不存在', message: html`工单 #${refusal.ticketId} 不存在或已被删除，请在群里发送 ${command('/查询工单')} 查看现有工单` };
    case 'unavailable':
      return { title: '暂时无法打开', message: html`暂时无法打开工单详情，请稍后再试` };
  }
}

/** The page a refused link gets: what happened and what to do, nothing of the ticket. */
export function renderRefusalPage(refusal: PageRefusal): string {
  const { title, message } = refusalText(refusal);
  const body = html`<main class="page refusal" data-testid="refusal" data-reason="${refusal.reason}">
<div class="refusal-card">
<div class="refusal-icon refusal-${refusal.reason}" aria-hidden="true">!</div>
<h1>${title}</h1>
<p class="refusal-message" data-testid="refusal-message">${message}</p>
</div>
</main>`;
  return htmlDocument(title, body, 'refusal-page').markup;
}
