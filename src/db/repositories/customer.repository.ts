import { EntityRepository } from '@mikro-orm/postgresql';
import type { CustomerRecord } from '../../domain/records.js';
import { Customer } from '../entities/customer.entity.js';
import { EntitySql } from './sql.js';

export const CUSTOMER_SQL = new EntitySql<CustomerRecord>(() => Customer, {
  id: 'id',
  name: 'name',
  phone: 'phone',
  company: 'company',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
});

/** Plain SQL on the createTicket hot path; see TicketRepository. */
export class CustomerRepository extends EntityRepository<Customer> {
  async findRecord(id: number): Promise<CustomerRecord | null> {
    return CUSTOMER_SQL.one(this.em, `select ${CUSTOMER_SQL.select(this.em)} from ${CUSTOMER_SQL.table(this.em)} where "id" = ?`, [id]);
  }

  async findByPhone(phone: string): Promise<CustomerRecord | null> {
    return CUSTOMER_SQL.one(this.em, `select ${CUSTOMER_SQL.select(this.em)} from ${CUSTOMER_SQL.table(this.em)} where "phone" = ?`, [phone]);
  }

  /**
   * A query for the id of the customer with this phone, if it has nothing to fill in from
   * `company` (the rule of `findOrCreateCustomer`), for use inside a larger statement.
   */
  knownByPhone(phone: string, company: string | undefined): { sql: string; params: unknown[] } {
    const column = (key: keyof CustomerRecord & string) => CUSTOMER_SQL.column(this.em, key);
    return {
      sql: `select "id" from ${CUSTOMER_SQL.table(this.em)} where ${column('phone')} = ? and (?::text is null or ${column('company')} is not null)`,
      params: [phone, company ?? null],
    };
  }

  /** Customers with exactly this name; with `withoutPhone`, only those with no phone on record. */
  findByName(name: string, options: { withoutPhone: boolean; limit: number }): Promise<CustomerRecord[]> {
    return CUSTOMER_SQL.many(
      this.em,
      `select ${CUSTOMER_SQL.select(this.em)} from ${CUSTOMER_SQL.table(this.em)} where "name" = ?${options.withoutPhone ? ' and "phone" is null' : ''} order by "id" limit ?`,
      [name, options.limit],
    );
  }

  async insertRecord(values: Pick<CustomerRecord, 'name' | 'phone' | 'company' | 'createdAt' | 'updatedAt'>): Promise<CustomerRecord> {
    const { sql, params } = CUSTOMER_SQL.insert(this.em, [values]);
    return (await CUSTOMER_SQL.one(this.em, sql, params))!;
  }

  /** Fills a missing phone or company; values already on record are kept. */
  async fillBlanks(id: number, values: { phone?: string; company?: string }, now: Date): Promise<CustomerRecord> {
    const set = (key: 'phone' | 'company') => `${CUSTOMER_SQL.column(this.em, key)} = coalesce(${CUSTOMER_SQL.column(this.em, key)}, ?)`;
    return (await CUSTOMER_SQL.one(
      this.em,
      `update ${CUSTOMER_SQL.table(this.em)} set ${set('phone')}, ${set('company')}, ${CUSTOMER_SQL.column(this.em, 'updatedAt')} = ? where "id" = ? returning ${CUSTOMER_SQL.select(this.em)}`,
      [values.phone ?? null, values.company ?? null, now, id],
    ))!;
  }
}
