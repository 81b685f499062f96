import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { renderNewTicketCard, renderTicketChange } from '../chat/ticket-cards.js';
import type { EventLogStore, LoggedUpdate } from '../db/event-log-store.js';
import { Customer, Notification } from '../db/entities/index.js';
import { conversationOf, idempotencyKeyOf, NotificationKind, type NotificationDraft } from '../domain/notification.js';
import { SYSTEM_ACTOR, TicketEventType } from '../domain/ticket-event.js';
import { DurableLogConsumer } from '../live/durable-log-consumer.js';
import type { Logger } from '../logger.js';

/** The consumer name under which the announcer's position in the event log is kept. */
export const TICKET_ANNOUNCER = 'ticket-announcer';

/** Changes a ticket's group hears about in a status line; the new-ticket card covers CREATED. */
const ANNOUNCED_CHANGES: ReadonlySet<TicketEventType> = new Set([
  TicketEventType.ASSIGNED,
  TicketEventType.STATUS_CHANGED,
  TicketEventType.PROGRESS_CHANGED,
  TicketEventType.ESCALATED,
]);

const WANTED: ReadonlySet<TicketEventType> = new Set([TicketEventType.CREATED, ...ANNOUNCED_CHANGES]);

type CustomerCard = { readonly name: string; readonly phone: string | null; readonly company: string | null };

/**
 * What a batch of logged updates tells the groups: a card for each new ticket, and one status line
 * per change (a mutation that moves status and progress together is one change). The system's own
 * changes (reminders, the escalation after them) have their own messages from the reminders.
 */
export function announcements(updates: readonly LoggedUpdate[], customers: ReadonlyMap<number, CustomerCard>): NotificationDraft[] {
  const drafts: NotificationDraft[] = [];
  const changes = new Map<string, LoggedUpdate[]>();
  for (const update of updates) {
    const { event, ticket } = update;
    if (event.actorId === SYSTEM_ACTOR.userId) continue;
    if (event.type === TicketEventType.CREATED) {
      const customer = customers.get(ticket.customerId) ?? { name: '未知客户', phone: null, company: null };
      const card = renderNewTicketCard({ ticket, customer }, event.actorName ? { source: `由 ${event.actorName} 创建` } : {});
      drafts.push({ kind: NotificationKind.NEW_TICKET, ticketId: ticket.id, conversation: conversationOf(ticket), ...card, idempotencyKey: idempotencyKeyOf(ticket.id, NotificationKind.NEW_TICKET, 0) });
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

export interface TicketAnnouncerOptions {
  readonly batchSize: number;
  readonly pollIntervalMs: number;
}

/**
 * Tells each ticket's group what happens to it, whoever made the change (chat, API, portal): it
 * follows the event log from a durable position and writes the messages to the outbox, which
 * delivers them. One instance runs it at a time (it leads); a batch written twice after a crash
 * adds nothing, the messages' idempotency keys being those of the events.
 */
export class TicketAnnouncer {
  private readonly consumer: DurableLogConsumer;

  constructor(
    private readonly em: EntityManager,
    log: EventLogStore,
    private readonly clock: Clock,
    private readonly wakeOutbox: () => void,
    options: TicketAnnouncerOptions,
    private readonly logger: Logger,
  ) {
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
    const drafts = announcements(updates, await this.customersOf(em, updates));
    if (drafts.length === 0) return false;
    await em.getRepository(Notification).enqueue(drafts, this.clock.now());
    this.wakeOutbox();
    this.logger.debug({ messages: drafts.length }, 'ticket changes announced');
    return true;
  }

  private async customersOf(em: EntityManager, updates: readonly LoggedUpdate[]): Promise<Map<number, CustomerCard>> {
    const ids = [...new Set(updates.filter((u) => u.event.type === TicketEventType.CREATED).map((u) => u.ticket.customerId))];
    if (ids.length === 0) return new Map();
    const found = await em.find(Customer, { id: { $in: ids } }, { fields: ['id', 'name', 'phone', 'company'], disableIdentityMap: true });
    return new Map(found.map((c) => [c.id, { name: c.name, phone: c.phone, company: c.company }]));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
