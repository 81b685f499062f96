import type { TemplateCardButton, TemplateCardHorizontalContent, TemplateCardJumpAction } from '@wecom/aibot-node-sdk';
import { Priority, PRIORITY_ICON, PRIORITY_LABEL } from '../domain/priority.js';
import type { TicketRecord } from '../domain/records.js';
import { isOpen, STATUS_LABEL, TicketStatus } from '../domain/ticket-status.js';
import { formatChinaTime } from './china-time.js';
import { ownerName, problemLine } from './reminder-messages.js';
import type { CardSubject } from './ticket-cards.js';

/**
 * The new-ticket card as a smart-robot template card (protocol reference 1.11): a
 * `button_interaction` card with 认领 and 已解决, and the same card as a click leaves it. Pure: the
 * channel gives it a task_id at each push and sends it.
 */

/** What a button does, to which ticket; its key (`claim:123`) comes back as the click's event_key (reference 1.7). */
export interface CardAction {
  readonly kind: CardActionKind;
  readonly ticketId: number;
}

/** `view` is the key of the buttons that only show the state (已认领, 已解决): a click refreshes the card. */
export type CardActionKind = 'claim' | 'resolve' | 'view';

/** A template card before its push gives it a `task_id` (reference 1.11); the SDK's TemplateCard without it. */
export type TicketTemplateCard = {
  card_type: 'button_interaction';
  source: { desc: string; desc_color: 0 | 1 | 2 | 3 };
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: TemplateCardHorizontalContent[];
  jump_list?: TemplateCardJumpAction[];
  button_list: TemplateCardButton[];
};

export interface TicketCardExtras {
  /** The signed 查看详情 link, when the service has one to give. */
  readonly detailUrl?: string;
  /** What the card says of the last click, in place of the problem line ("已被李四认领"). */
  readonly line?: string;
}

// Reference 1.11's lengths, in characters (Tencent's "字"); longer texts are cut, not refused.
const TITLE_CHARS = 26;
const DESC_CHARS = 30;
const SUB_TITLE_CHARS = 112;
const VALUE_CHARS = 26;
const BUTTON_CHARS = 10;

/** Button styles 1–4 (reference 1.11): the action to take stands out, the others and the state do not. */
const PRIMARY = 1;
const SECONDARY = 2;

export const CARD_SOURCE = '工单系统';
export const CARD_WORKING_LINE = '处理中…';
export const CARD_FAILED_LINE = '❌ 处理出错了，请稍后再试';

export const claimedLine = (name: string): string => `已被${name}认领`;
export const resolvedLine = (name: string | undefined): string => (name ? `已由${name}标记解决` : '工单已解决');

const ACTION_KEY = /^(claim|resolve|view):(\d{1,9})$/;

export const cardKey = (action: CardAction): string => `${action.kind}:${action.ticketId}`;

/** The action of a clicked button's key; undefined for a key that is not ours. */
export function parseCardKey(key: string): CardAction | undefined {
  const match = ACTION_KEY.exec(key);
  const ticketId = Number(match?.[2]);
  return match && ticketId > 0 ? { kind: match[1] as CardActionKind, ticketId } : undefined;
}

/** `text` cut to `max` characters (emoji whole), the last one an ellipsis when cut. */
export function fitChars(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

type CardTicket = CardSubject['ticket'];

/**
 * 【新工单提醒】#ID123: customer, contact, priority, status, owner and deadline (China time), the
 * buttons the ticket's state calls for, and 查看详情 when there is a link. After a click, `line` says
 * what happened ("已被李四认领") where the problem line stood.
 */
export function renderTicketTemplateCard(subject: CardSubject, extras: TicketCardExtras = {}): TicketTemplateCard {
  const { ticket } = subject;
  const problem = `${ticket.product ?? '售后工单'} - ${problemLine(ticket.title)}`;
  return {
    card_type: 'button_interaction',
    source: sourceOf(ticket.priority),
    main_title: { title: fitChars(`【新工单提醒】#ID${ticket.id}`, TITLE_CHARS), desc: fitChars(extras.line ?? problem, DESC_CHARS) },
    sub_title_text: fitChars(`问题描述：${ticket.description}`, SUB_TITLE_CHARS),
    horizontal_content_list: rowsOf(subject),
    ...(extras.detailUrl ? { jump_list: [{ type: 1, title: '查看详情', url: extras.detailUrl }] } : {}),
    button_list: buttonsFor(ticket),
  };
}

/** A card that says only `line` and offers a refresh: while a click is still being worked on, or when its ticket could not be read. */
export function renderTicketCardNotice(ticketId: number, line: string): TicketTemplateCard {
  return {
    card_type: 'button_interaction',
    source: sourceOf(Priority.NORMAL),
    main_title: { title: fitChars(`【新工单提醒】#ID${ticketId}`, TITLE_CHARS), desc: fitChars(line, DESC_CHARS) },
    button_list: [{ text: '刷新', style: SECONDARY, key: cardKey({ kind: 'view', ticketId }) }],
  };
}

/** What a card says of its ticket's state after a click: who claimed it, who resolved it, that it is closed; nothing while it waits for an owner. */
export function stateLine(ticket: Pick<TicketRecord, 'status' | 'assignedTo' | 'assignedToName'>, resolvedBy?: string): string | undefined {
  if (ticket.status === TicketStatus.RESOLVED) return resolvedLine(resolvedBy);
  if (!isOpen(ticket.status)) return `工单${STATUS_LABEL[ticket.status]}`;
  return ticket.assignedTo ? claimedLine(ownerName(ticket)) : undefined;
}

const sourceOf = (priority: Priority): TicketTemplateCard['source'] => ({ desc: CARD_SOURCE, desc_color: priority === Priority.URGENT ? 2 : 0 });

const row = (keyname: string, value: string): TemplateCardHorizontalContent => ({ keyname, value: fitChars(value, VALUE_CHARS) });

/** Six rows, the most reference 1.11 allows; the owner is a member link (type 3) once there is one. */
function rowsOf({ ticket, customer }: CardSubject): TemplateCardHorizontalContent[] {
  const owner = row('负责人', ownerName(ticket));
  return [
    row('客户', customer.company ? `${customer.name}（${customer.company}）` : customer.name),
    row('联系', customer.phone ?? '未提供'),
    row('优先级', `${PRIORITY_ICON[ticket.priority]} ${PRIORITY_LABEL[ticket.priority]}`),
    row('状态', `${STATUS_LABEL[ticket.status]} · ${ticket.progress}%`),
    ticket.assignedTo ? { ...owner, type: 3, userid: ticket.assignedTo } : owner,
    row('期限', `⏰ ${formatChinaTime(ticket.deadline)}`),
  ];
}

const button = (text: string, style: number, action: CardAction): TemplateCardButton => ({ text: fitChars(text, BUTTON_CHARS), style, key: cardKey(action) });

/**
 * 认领 and 已解决 while nobody owns the ticket; 已认领 (which only shows) and 已解决 once somebody does;
 * only the state once it is done. Buttons cannot be disabled (reference 1.11 has no such field) and a
 * card needs at least one, so a state is a button whose click refreshes the card.
 */
function buttonsFor(ticket: CardTicket): TemplateCardButton[] {
  const ticketId = ticket.id;
  if (!isOpen(ticket.status)) return [button(STATUS_LABEL[ticket.status], SECONDARY, { kind: 'view', ticketId })];
  if (ticket.assignedTo) return [button('已认领', SECONDARY, { kind: 'view', ticketId }), button('已解决', PRIMARY, { kind: 'resolve', ticketId })];
  return [button('认领', PRIMARY, { kind: 'claim', ticketId }), button('已解决', SECONDARY, { kind: 'resolve', ticketId })];
}
