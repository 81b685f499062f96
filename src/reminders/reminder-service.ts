import DataLoader from 'dataloader';
import type { Clock } from '../clock.js';
import { renderDeadlineWarning, renderEscalation, renderReminder, type ChatMessage, type DeadlineSubject, type StaffName } from '../chat/reminder-messages.js';
import { conversationOf, idempotencyKeyOf, NotificationKind, type NotificationDraft } from '../domain/notification.js';
import type { TicketEventRecord, TicketRecord } from '../domain/records.js';
import { planDeadlineCheck, type PlannedReminder, type ReminderPolicy } from '../domain/reminder-policy.js';
import { SYSTEM_ACTOR, TicketEventType } from '../domain/ticket-event.js';
import { TicketStatus } from '../domain/ticket-status.js';
import { Notification, Reminder, Ticket } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { PreparedStatements } from '../db/prepared-statements.js';
import type { ReminderWrite } from '../db/repositories/reminder.repository.js';
import type { TicketWithCustomer } from '../db/repositories/ticket.repository.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import type { CommitListener } from '../tickets/ticket-changes.js';

/** What a deadline check did, and when the ticket's job should run next (null: the ticket needs no job). */
export interface DeadlineCheckOutcome {
  readonly next: Date | null;
  /** The reminder sent, if one was due. */
  readonly reminded: number | null;
  readonly events: readonly TicketEventRecord[];
}

/** A ticket that lost a race with a concurrent change is read again, this many times at most. */
const ATTEMPTS = 5;
/** Checks asked for within this time share their statements. */
const BATCH_WINDOW_MS = 2;
const MAX_BATCH = 200;

const NOTHING: DeadlineCheckOutcome = { next: null, reminded: null, events: [] };

const draftOf = (ticket: TicketRecord, kind: NotificationKind, sequence: number | string, message: ChatMessage): NotificationDraft => ({
  kind,
  ticketId: ticket.id,
  conversation: conversationOf(ticket),
  text: message.text,
  mentions: message.mentions,
  mentionAll: message.mentionAll,
  idempotencyKey: idempotencyKeyOf(ticket.id, kind, sequence),
});

const subjectOf = ({ customer, ...ticket }: TicketWithCustomer): DeadlineSubject => ({ ticket, customer: customer ?? { name: '未知客户', phone: null } });

/**
 * 永不遗漏: what a ticket's deadline job does when it runs. It reads the ticket, decides what is
 * due (planDeadlineCheck) and records it in one statement: the reminder count and time, a
 * Reminder row, the REMINDED event (and DEADLINE_PASSED, ESCALATED) and the messages for people,
 * together, and only if nobody changed the ticket in between (else it reads again). So a check
 * that runs early, twice, on two instances at once, or after the ticket was resolved, sends
 * nothing it should not.
 *
 * When deadlines bunch up (hundreds a second), the checks of the jobs running at the same moment
 * are made together: one read for all their tickets and one statement for all their reminders.
 */
export class ReminderService {
  private readonly batches = new DataLoader<number, DeadlineCheckOutcome>((ids) => this.checkAll(ids), {
    cache: false,
    maxBatchSize: MAX_BATCH,
    batchScheduleFn: (run) => setTimeout(run, BATCH_WINDOW_MS),
  });

  constructor(
    private readonly orm: Orm,
    private readonly prepared: PreparedStatements,
    private readonly staff: StaffDirectory,
    private readonly policy: ReminderPolicy,
    private readonly clock: Clock,
    private readonly commits: CommitListener,
  ) {}

  checkDeadline(ticketId: number): Promise<DeadlineCheckOutcome> {
    return this.batches.load(ticketId);
  }

  /** The checks of several tickets at once (the sweep's pages); outcomes in the order asked. */
  async checkDeadlines(ticketIds: readonly number[]): Promise<DeadlineCheckOutcome[]> {
    const outcomes = await this.batches.loadMany(ticketIds);
    return outcomes.map((outcome) => {
      if (outcome instanceof Error) throw outcome;
      return outcome;
    });
  }

  private async checkAll(ids: readonly number[]): Promise<DeadlineCheckOutcome[]> {
    const outcomes = new Map<number, DeadlineCheckOutcome>();
    let pending = [...new Set(ids)];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > ATTEMPTS) throw new Error(`tickets ${pending.map((id) => `#${id}`).join(', ')} kept changing while their reminders were being recorded`);
      pending = await this.checkOnce(pending, outcomes);
    }
    const events = [...outcomes.values()].flatMap((outcome) => outcome.events);
    this.commits.committed(events.map((event) => event.id));
    return ids.map((id) => outcomes.get(id)!);
  }

  /** Reads the tickets, does what is due; the tickets whose reminder could not be recorded (they changed meanwhile). */
  private async checkOnce(ids: readonly number[], outcomes: Map<number, DeadlineCheckOutcome>): Promise<number[]> {
    const found = new Map((await this.orm.em.getRepository(Ticket).findWithCustomers(ids, this.prepared)).map((t) => [t.id, t]));
    const now = this.clock.now();
    const warnings: NotificationDraft[] = [];
    const due: { ticket: TicketWithCustomer; reminder: PlannedReminder; next: Date }[] = [];
    for (const id of ids) {
      const ticket = found.get(id);
      const check = ticket ? planDeadlineCheck(ticket, now, this.policy) : ({ action: 'none' } as const);
      if (check.action === 'none') outcomes.set(id, NOTHING);
      else if (check.action === 'wait') outcomes.set(id, { next: check.next, reminded: null, events: [] });
      else if (check.action === 'warn') {
        // Once per deadline (a moved deadline gets its own).
        warnings.push(draftOf(ticket!, NotificationKind.DEADLINE_WARNING, ticket!.deadline.getTime(), renderDeadlineWarning(subjectOf(ticket!), { now })));
        outcomes.set(id, { next: check.next, reminded: null, events: [] });
      } else due.push({ ticket: ticket!, reminder: check.reminder, next: check.next });
    }
    if (warnings.length > 0) await this.orm.em.getRepository(Notification).enqueue(warnings, now);
    if (due.length === 0) return [];
    const leads = due.some((d) => d.reminder.escalate) ? (await this.staff.leads(this.orm.em.fork())).map(({ userId, name }) => ({ userId, name })) : [];
    const recorded = await this.orm.em
      .getRepository(Reminder)
      .recordReminders(due.map((d) => this.reminderWrite(d.ticket, d.reminder, leads, now)), this.prepared);
    const lost: number[] = [];
    for (const { ticket, reminder, next } of due) {
      const done = recorded.get(ticket.id);
      if (done) outcomes.set(ticket.id, { next, reminded: reminder.sequence, events: done.events });
      else lost.push(ticket.id);
    }
    return lost;
  }

  private reminderWrite(ticket: TicketWithCustomer, reminder: PlannedReminder, leads: readonly StaffName[], now: Date): ReminderWrite {
    const subject = subjectOf(ticket);
    const { sequence, mentions } = reminder;
    const notifications = [draftOf(ticket, NotificationKind.REMINDER, sequence, renderReminder(subject, { sequence, mentions, now }))];
    if (reminder.escalate) notifications.push(draftOf(ticket, NotificationKind.ESCALATION, sequence, renderEscalation(subject, { reminders: sequence, leads, now })));
    const events: ReminderWrite['events'] = [
      ...(reminder.deadlinePassed ? [{ type: TicketEventType.DEADLINE_PASSED, fromValue: null, toValue: ticket.deadline.toISOString(), note: null }] : []),
      { type: TicketEventType.REMINDED, fromValue: String(ticket.reminderCount), toValue: String(sequence), note: null },
      ...(reminder.escalate ? [{ type: TicketEventType.ESCALATED, fromValue: ticket.status, toValue: TicketStatus.ESCALATED, note: `已催促 ${sequence} 次仍未解决，自动升级` }] : []),
    ];
    return {
      ticket,
      sequence,
      at: now,
      ...(reminder.escalate && { status: TicketStatus.ESCALATED }),
      mentionedUserIds: mentions.userIds,
      mentionAll: mentions.all,
      notifications,
      events,
      actor: SYSTEM_ACTOR,
    };
  }
}
