import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { renderDeadlineWarning, renderEscalation, renderReminder, type ChatMessage, type DeadlineSubject } from '../chat/reminder-messages.js';
import { conversationOf, idempotencyKeyOf, NotificationKind, type NotificationDraft } from '../domain/notification.js';
import type { TicketEventRecord, TicketRecord } from '../domain/records.js';
import { planDeadlineCheck, type PlannedReminder, type ReminderPolicy } from '../domain/reminder-policy.js';
import { SYSTEM_ACTOR, TicketEventType } from '../domain/ticket-event.js';
import { TicketStatus } from '../domain/ticket-status.js';
import { Customer, Notification, Reminder, Ticket } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { inTransaction } from '../db/transaction.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import { committed, recordEvents, updateTicket, type CommitListener, type EventData } from '../tickets/ticket-changes.js';

/** What a deadline check did, and when the ticket's job should run next (null: the ticket needs no job). */
export interface DeadlineCheckOutcome {
  readonly next: Date | null;
  /** The reminder sent, if one was due. */
  readonly reminded: number | null;
  readonly events: readonly TicketEventRecord[];
}

const draftOf = (ticket: TicketRecord, kind: NotificationKind, sequence: number | string, message: ChatMessage): NotificationDraft => ({
  kind,
  ticketId: ticket.id,
  conversation: conversationOf(ticket),
  text: message.text,
  mentions: message.mentions,
  mentionAll: message.mentionAll,
  idempotencyKey: idempotencyKeyOf(ticket.id, kind, sequence),
});

/**
 * 永不遗漏: what a ticket's deadline job does when it runs. One transaction, holding the
 * ticket's row: it reads the ticket, decides what is due (planDeadlineCheck) and records it —
 * the reminder count and time, a Reminder row, the REMINDED event (and DEADLINE_PASSED,
 * ESCALATED) and the messages for people, all together. A check that runs early, twice, or
 * after the ticket was resolved does nothing it should not.
 */
export class ReminderService {
  constructor(
    private readonly orm: Orm,
    private readonly staff: StaffDirectory,
    private readonly policy: ReminderPolicy,
    private readonly clock: Clock,
    private readonly commits: CommitListener,
  ) {}

  checkDeadline(ticketId: number): Promise<DeadlineCheckOutcome> {
    return committed(
      this.commits,
      inTransaction(this.orm, async (em): Promise<DeadlineCheckOutcome> => {
        const ticket = await em.getRepository(Ticket).findForUpdate(ticketId);
        if (!ticket) return { next: null, reminded: null, events: [] };
        const now = this.clock.now();
        const check = planDeadlineCheck(ticket, now, this.policy);
        switch (check.action) {
          case 'none':
            return { next: null, reminded: null, events: [] };
          case 'wait':
            return { next: check.next, reminded: null, events: [] };
          case 'warn':
            await this.warn(em, ticket, now);
            return { next: check.next, reminded: null, events: [] };
          case 'remind':
            return { next: check.next, reminded: check.reminder.sequence, events: await this.remind(em, ticket, check.reminder, now) };
        }
      }),
    );
  }

  private async subject(em: EntityManager, ticket: TicketRecord): Promise<DeadlineSubject> {
    const customer = await em.getRepository(Customer).findRecord(ticket.customerId);
    return { ticket, customer: { name: customer?.name ?? '未知客户', phone: customer?.phone ?? null } };
  }

  /** The early warning, once per deadline (a moved deadline gets its own). */
  private async warn(em: EntityManager, ticket: TicketRecord, now: Date): Promise<void> {
    const message = renderDeadlineWarning(await this.subject(em, ticket), { now });
    await em.getRepository(Notification).enqueue([draftOf(ticket, NotificationKind.DEADLINE_WARNING, ticket.deadline.getTime(), message)], now);
  }

  private async remind(em: EntityManager, ticket: TicketRecord, reminder: PlannedReminder, now: Date): Promise<TicketEventRecord[]> {
    const subject = await this.subject(em, ticket);
    const { sequence, mentions } = reminder;
    const reminderDraft = draftOf(ticket, NotificationKind.REMINDER, sequence, renderReminder(subject, { sequence, mentions, now }));
    const drafts = [reminderDraft];
    if (reminder.escalate) {
      const leads = (await this.staff.leads(em)).map(({ userId, name }) => ({ userId, name }));
      drafts.push(draftOf(ticket, NotificationKind.ESCALATION, sequence, renderEscalation(subject, { reminders: sequence, leads, now })));
    }
    const notificationIds = await em.getRepository(Notification).enqueue(drafts, now);
    await em.getRepository(Reminder).insertRecord({
      ticketId: ticket.id,
      sequence,
      sentAt: now,
      mentionedUserIds: mentions.userIds,
      mentionAll: mentions.all,
      notificationId: notificationIds.get(reminderDraft.idempotencyKey) ?? null,
    });
    const updated = await updateTicket(
      em,
      ticket,
      { reminderCount: sequence, lastReminderAt: now, ...(reminder.escalate && { status: TicketStatus.ESCALATED }) },
      now,
    );
    const events: EventData[] = [];
    if (reminder.deadlinePassed) events.push({ type: TicketEventType.DEADLINE_PASSED, to: ticket.deadline.toISOString() });
    events.push({ type: TicketEventType.REMINDED, from: String(ticket.reminderCount), to: String(sequence) });
    if (reminder.escalate) {
      events.push({ type: TicketEventType.ESCALATED, from: ticket.status, to: TicketStatus.ESCALATED, note: `已催促 ${sequence} 次仍未解决，自动升级` });
    }
    return recordEvents(em, updated, SYSTEM_ACTOR, now, events);
  }
}
