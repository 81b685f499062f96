import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../domain/errors.js';
import type { CustomerRecord } from '../domain/records.js';
import { Customer } from '../db/entities/index.js';
import { containsPattern, paginate, type Page, type PageRequest } from '../db/pagination.js';

/** Customers whose name, phone or company contains the search text, newest first. */
export function findCustomers(em: EntityManager, search: string | null | undefined, page: PageRequest): Promise<Page<Customer>> {
  const pattern = containsPattern(search, 'search');
  const where: FilterQuery<Customer> = pattern ? { $or: [{ name: { $ilike: pattern } }, { phone: { $like: pattern } }, { company: { $ilike: pattern } }] } : {};
  return paginate(em, Customer, where, page);
}

const customerNotFound = (id: number) => notFound(`客户 ${id} 不存在`, `Customer ${id} does not exist`, { id });

export async function getCustomer(em: EntityManager, id: number): Promise<Customer> {
  const customer = await em.findOne(Customer, id);
  if (!customer) throw customerNotFound(id);
  return customer;
}

/** The customer as a record (one statement, no entity). */
export async function getCustomerRecord(em: EntityManager, id: number): Promise<CustomerRecord> {
  const customer = await em.getRepository(Customer).findRecord(id);
  if (!customer) throw customerNotFound(id);
  return customer;
}
