import { EntityRepository } from '@mikro-orm/postgresql';
import type { CustomerRecord } from '../../domain/records.js';
import { Customer } from '../entities/customer.entity.js';
import { EntitySql } from './sql.js';

const RECORD = new EntitySql<CustomerRecord>(() => Customer, {
  id: 'id',
  name: 'name',
  phone: 'phone',
  company: 'company',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
});

/** Plain SQL on the createTicket hot path; see TicketRepository. */
export class CustomerRepository extends EntityRepository<Customer> {
  async findByPhone(phone: string): Promise<CustomerRecord | null> {
    return RECORD.one(this.em, `select ${RECORD.select(this.em)} from ${RECORD.table(this.em)} where "phone" = ?`, [phone]);
  }

  /** Customers with exactly this name; with `withoutPhone`, only those with no phone on record. */
  findByName(name: string, options: { withoutPhone: boolean; limit: number }): Promise<CustomerRecord[]> {
    return RECORD.many(
      this.em,
      `select ${RECORD.select(this.em)} from ${RECORD.table(this.em)} where "name" = ?${options.withoutPhone ? ' and "phone" is null' : ''} order by "id" limit ?`,
      [name, options.limit],
    );
  }

  async insertRecord(values: Pick<CustomerRecord, 'name' | 'phone' | 'company' | 'createdAt' | 'updatedAt'>): Promise<CustomerRecord> {
    const { sql, params } = RECORD.insert(this.em, [values]);
    return (await RECORD.one(this.em, sql, params))!;
  }

  /** Fills a missing phone or company; values already on record are kept. */
  async fillBlanks(id: number, values: { phone?: string; company?: string }, now: Date): Promise<CustomerRecord> {
    const set = (key: 'phone' | 'company') => `${RECORD.column(this.em, key)} = coalesce(${RECORD.column(this.em, key)}, ?)`;
    return (await RECORD.one(
      this.em,
      `update ${RECORD.table(this.em)} set ${set('phone')}, ${set('company')}, ${RECORD.column(this.em, 'updatedAt')} = ? where "id" = ? returning ${RECORD.select(this.em)}`,
      [values.phone ?? null, values.company ?? null, now, id],
    ))!;
  }
}
