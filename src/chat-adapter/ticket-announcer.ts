import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { renderAssignmentNotice, renderEscalationNotice } from '../chat/private-messages.js';
import type { StaffName } from '../chat/reminder-messages.js';
import { renderTicketTemplateCard } from '../chat/ticket-card-template.js';
import { renderCustomerNote, renderNewTicketCard, renderRating, renderTicketChange, type SimilarTicket } from '../chat/ticket-cards.js';
import type { EventLogStore, LoggedUpdate } from '../db/event-log-store.js';
import { Customer, Notification } from '../db/entities/index.js';
import { CARD_SIMILARITY_THRESHOLD } from '../domain/problem-terms.js';
import { conversationOf, idempotencyKeyOf, NotificationKind, type NotificationDraft } from '../domain/notification.js';
import { SYSTEM_ACTOR, TicketEventType, WEBSITE_ACTOR } from '../domain/ticket-event.js';
import { DurableLogConsumer } from '../live/durable-log-consumer.js';
import type { Logger } from '../logger.js';
import { findSimilarTickets } from '../tickets/similar-tickets.js';

/** The consumer name under which the announcer's position in the event log is kept. */
export const TICKET_ANNOUNCER = 'ticket-announcer';

/** Changes a ticket's group hears about in a status line; the new-ticket card covers CREATED. */
const ANNOUNCED_CHANGES: ReadonlySet<TicketEventType> = new Set([
  TicketEventType.ASSIGNED,
  TicketEventType.STATUS_CHANGED,
  TicketEventType.PROGRESS_CHANGED,
  TicketEventType.ESCALATED,
]);

/** What customers do on their status page, told to the ticket's group. */
const CUSTOMER_ACTIONS: ReadonlySet<TicketEventType> = new Set([TicketEventType.CUSTOMER_NOTE, TicketEventType.RATED]);

const WANTED: ReadonlySet<TicketEventType> = new Set([TicketEventType.CREATED, ...ANNOUNCED_CHANGES, ...CUSTOMER_ACTIONS]);

type CustomerCard = { readonly name: string; readonly phone: string | null; readonly company: string | null };

/** What announcing needs besides the updates. */
export interface AnnouncementContext {
  readonly customers: ReadonlyMap<number, CustomerCard>;
  /** The signed 查看详情 link of a ticket, for its card. */
  readonly detailUrl?: (ticketId: number) => string;
  /** When people can be messaged in private (the self-built app): the leads, told of escalations. */
  readonly privately?: { readonly leads: readonly StaffName[] };
  /** A new ticket's best earlier match worth naming on its card (相似问题), by ticket id. */
  readonly similar?: ReadonlyMap<number, SimilarTicket>;
}

const UNKNOWN_CUSTOMER: CustomerCard = { name: '未知客户', phone: null, company: null };

/**
 * What a batch of logged updates tells people: a card for each new ticket in its group (with its
 * signed 查看详情 link when there is one; as text, and as the interactive card with 认领 and 已解决
 * for the channels that can show one), one status line per change (a mutation that moves status
 * and progress together is one change), and, where private messages can go, a note to the new
 * assignee and to each lead when a ticket is escalated. The system's own changes (reminders) have
 * their own group messages from the reminders; an escalation after reminders still reaches the leads.
 */
export function announcements(updates: readonly LoggedUpdate[], context: AnnouncementContext): NotificationDraft[] {
  const drafts: NotificationDraft[] = [];
  const changes = new Map<string, LoggedUpdate[]>();
  for (const update of updates) {
    const { event, ticket } = update;
    const customer = context.customers.get(ticket.customerId) ?? UNKNOWN_CUSTOMER;
    if (context.privately) drafts.push(...privateNotices(update, customer, context.privately.leads));
    if (event.actorId === SYSTEM_ACTOR.userId) continue;
    if (event.type === TicketEventType.CREATED) {
      const links = context.detailUrl ? { detailUrl: context.detailUrl(ticket.id) } : {};
      const similar = context.similar?.get(ticket.id);
      const source = sourceOf(event);
      const text = renderNewTicketCard({ ticket, customer }, { ...(source ? { source } : {}), ...links, ...(similar ? { similar } : {}) });
      const card = renderTicketTemplateCard({ ticket, customer }, links);
      drafts.push({ kind: NotificationKind.NEW_TICKET, ticketId: ticket.id, conversation: conversationOf(ticket), ...text, card, idempotencyKey: idempotencyKeyOf(ticket.id, NotificationKind.NEW_TICKET, 0) });
    } else if (CUSTOMER_ACTIONS.has(event.type)) {
      const who = event.actorName ?? customer.name;
      const line = event.type === TicketEventType.RATED ? renderRating(ticket, who, Number(event.toValue), event.note) : renderCustomerNote(ticket, who, event.note ?? '');
      drafts.push({ kind: NotificationKind.TICKET_UPDATE, ticketId: ticket.id, conversation: conversationOf(ticket), ...line, idempotencyKey: idempotencyKeyOf(ticket.id, NotificationKind.TICKET_UPDATE, event.id) });
    } else if (ANNOUNCED_CHANGES.has(event.type)) {
      const change = `${ticket.id}:${update.position.tx}`;
      changes.set(change, [...(changes.get(change) ?? []), update]);
    }
  }
  for (const group of changes.values()) {
    const first = group[0]!;
    const { ticket } = group.at(-1)!;
    const note = group.map((u) => u.event.note).find((n) => n !== null && n !== '') ?? undefined;
    const line = renderTicketChange(ticket, { by: first.event.actorName ?? first.event.actorId, note });
    drafts.push({ kind: NotificationKind.TICKET_UPDATE, ticketId: ticket.id, conversation: conversationOf(ticket), ...line, idempotencyKey: idempotencyKeyOf(ticket.id, NotificationKind.TICKET_UPDATE, first.event.id) });
  }
  return drafts;
}

/** How a new ticket's card names where it came from: 网站提交 for a customer's own, else who created it. */
function sourceOf(event: { readonly actorId: string; readonly actorName: string | null }): string | undefined {
  if (event.actorId === WEBSITE_ACTOR.userId) return WEBSITE_ACTOR.name!;
  return event.actorName ? `由 ${event.actorName} 创建` : undefined;
}

/** The private messages one update calls for: the new assignee (unless they assigned themselves), every lead on an escalation. */
function privateNotices({ event, ticket }: LoggedUpdate, customer: CustomerCard, leads: readonly StaffName[]): NotificationDraft[] {
  const subject = { ticket, customer };
  if (event.type === TicketEventType.ASSIGNED && event.toValue && event.toValue !== event.actorId) {
    const notice = renderAssignmentNotice(subject, event.actorName);
    return [{ kind: NotificationKind.ASSIGNMENT, ticketId: ticket.id, conversation: `user:${event.toValue}`, ...notice, idempotencyKey: idempotencyKeyOf(ticket.id, NotificationKind.ASSIGNMENT, event.id) }];
  }
  if (event.type === TicketEventType.ESCALATED) {
    const notice = renderEscalationNotice(subject, event.actorId === SYSTEM_ACTOR.userId ? null : event.actorName);
    return leads.map((lead) => ({ kind: NotificationKind.ESCALATION, ticketId: ticket.id, conversation: `user:${lead.userId}`, ...notice, idempotencyKey: idempotencyKeyOf(ticket.id, NotificationKind.ESCALATION, `${event.id}:${lead.userId}`) }));
  }
  return [];
}

export interface TicketAnnouncerOptions {
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  /** The signed 查看详情 link of a ticket, for its card (none when the service gives no links). */
  readonly detailUrl?: (ticketId: number) => string;
  /** The leads, when people can be messaged in private (the self-built app is configured). */
  readonly leads?: () => Promise<readonly StaffName[]>;
}

/**
 * Tells each ticket's group what happens to it, whoever made the change (chat, API, portal): it
 * follows the event log from a durable position and writes the messages to the outbox, which
 * delivers them. One instance runs it at a time (it leads); a batch written twice after a crash
 * adds nothing, the messages' idempotency keys being those of the events.
 */
export class TicketAnnouncer {
  private readonly consumer: DurableLogConsumer;
  private readonly detailUrl?: (ticketId: number) => string;
  private readonly leads?: () => Promise<readonly StaffName[]>;

  constructor(
    private readonly em: EntityManager,
    log: EventLogStore,
    private readonly clock: Clock,
    private readonly wakeOutbox: () => void,
    options: TicketAnnouncerOptions,
    private readonly logger: Logger,
  ) {
    this.detailUrl = options.detailUrl;
    this.leads = options.leads;
    this.consumer = new DurableLogConsumer(TICKET_ANNOUNCER, log, (updates) => this.announce(updates), clock, { ...options, wanted: () => WANTED }, logger);
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  wake(): void {
    this.consumer.wake();
  }

  private async announce(updates: readonly LoggedUpdate[]): Promise<boolean> {
    const em = this.em.fork();
    // The leads are read only for a batch with an escalation in it.
    const escalated = updates.some((u) => u.event.type === TicketEventType.ESCALATED);
    const privately = this.leads ? { leads: escalated ? await this.leads() : [] } : undefined;
    const drafts = announcements(updates, { customers: await this.customersOf(em, updates), detailUrl: this.detailUrl, privately, similar: await this.similarOf(em, updates) });
    if (drafts.length === 0) return false;
    await em.getRepository(Notification).enqueue(drafts, this.clock.now());
    this.wakeOutbox();
    this.logger.debug({ messages: drafts.length }, 'ticket changes announced');
    return true;
  }

  private async customersOf(em: EntityManager, updates: readonly LoggedUpdate[]): Promise<Map<number, CustomerCard>> {
    const ids = [...new Set(updates.filter((u) => u.event.type !== TicketEventType.STATUS_CHANGED && u.event.type !== TicketEventType.PROGRESS_CHANGED).map((u) => u.ticket.customerId))];
    if (ids.length === 0) return new Map();
    const found = await em.find(Customer, { id: { $in: ids } }, { fields: ['id', 'name', 'phone', 'company'], disableIdentityMap: true });
    return new Map(found.map((c) => [c.id, { name: c.name, phone: c.phone, company: c.company }]));
  }

  /** The best earlier match of each new ticket, when it scores enough to be worth naming. */
  private async similarOf(em: EntityManager, updates: readonly LoggedUpdate[]): Promise<Map<number, SimilarTicket>> {
    const similar = new Map<number, SimilarTicket>();
    for (const { event, ticket } of updates) {
      if (event.type !== TicketEventType.CREATED || event.actorId === SYSTEM_ACTOR.userId) continue;
      try {
        const [best] = await findSimilarTickets(em, { text: `${ticket.title} ${ticket.description}`, beforeId: ticket.id, limit: 1 });
        if (best && best.score >= CARD_SIMILARITY_THRESHOLD) similar.set(ticket.id, { id: best.ticket.id, title: best.ticket.title, status: best.ticket.status });
      } catch (error) {
        // The card matters more than its 相似问题 line: it goes without.
        this.logger.warn({ err: error, ticketId: ticket.id }, 'similar tickets not found for a new ticket\'s card');
      }
    }
    return similar;
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
