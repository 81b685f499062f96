import { EntityRepository } from '@mikro-orm/postgresql';
import type { ReminderRecord } from '../../domain/records.js';
import { Reminder } from '../entities/reminder.entity.js';
import { EntitySql } from './sql.js';

export const REMINDER_SQL = new EntitySql<ReminderRecord>(() => Reminder, {
  id: 'id',
  ticketId: 'ticket',
  sequence: 'sequence',
  sentAt: 'sentAt',
  mentionedUserIds: 'mentionedUserIds',
  mentionAll: 'mentionAll',
  notificationId: 'notification',
});

export class ReminderRepository extends EntityRepository<Reminder> {
  /** Records a reminder in the em's transaction; null when that reminder of the ticket exists already. */
  async insertRecord(reminder: Omit<ReminderRecord, 'id'>): Promise<ReminderRecord | null> {
    const { sql, params } = REMINDER_SQL.insert(this.em, [{ ...reminder, mentionedUserIds: [...reminder.mentionedUserIds] }], { skipConflictOn: ['ticketId', 'sequence'] });
    return REMINDER_SQL.one(this.em, sql, params);
  }

  findByTickets(ticketIds: readonly number[]): Promise<ReminderRecord[]> {
    const ticket = REMINDER_SQL.column(this.em, 'ticketId');
    return REMINDER_SQL.many(
      this.em,
      `select ${REMINDER_SQL.select(this.em)} from ${REMINDER_SQL.table(this.em)} where ${ticket} in (?) order by ${ticket}, ${REMINDER_SQL.column(this.em, 'sequence')}`,
      [[...ticketIds]],
    );
  }
}
