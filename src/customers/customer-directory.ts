import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../domain/errors.js';
import type { CustomerRecord } from '../domain/records.js';
import { Customer } from '../db/entities/index.js';

export interface CustomerIdentity {
  readonly name?: string;
  readonly phone?: string;
  readonly company?: string;
}

const CANDIDATES_SHOWN = 6;
const maskPhone = (phone: string | null): string => (phone ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '无手机号');

/**
 * Finds the customer a ticket is for: by phone first (phone is identity), then by exact name
 * among customers who could be the same person, else creates one. Missing phone/company are
 * filled in on the found customer; existing values are never overwritten.
 */
export async function findOrCreateCustomer(em: EntityManager, who: CustomerIdentity, now: Date): Promise<CustomerRecord> {
  const customers = em.getRepository(Customer);
  const byPhone = who.phone ? await customers.findByPhone(who.phone) : null;
  if (byPhone) return hasBlanksFor(byPhone, who) ? customers.fillBlanks(byPhone.id, who, now) : byPhone;
  if (!who.name) {
    throw badInput(`没有手机号为 ${who.phone} 的客户，请同时提供客户姓名`, `No customer has phone ${who.phone}; give the customer's name too`, {
      field: 'customerName',
    });
  }
  const sameName = await customers.findByName(who.name, { withoutPhone: who.phone !== undefined, limit: CANDIDATES_SHOWN });
  if (sameName.length === 1) return hasBlanksFor(sameName[0]!, who) ? customers.fillBlanks(sameName[0]!.id, who, now) : sameName[0]!;
  if (sameName.length > 1) {
    const candidates = sameName.map((c) => ({ id: c.id, name: c.name, phone: maskPhone(c.phone), company: c.company }));
    throw badInput(
      `有多位名为「${who.name}」的客户：${candidates.map((c) => `${c.name}(${c.phone})`).join('、')}，请提供手机号以区分`,
      `Several customers are named "${who.name}"; give the phone number to pick one`,
      { field: 'customerName', candidates },
    );
  }
  return customers.insertRecord({ name: who.name, phone: who.phone ?? null, company: who.company ?? null, createdAt: now, updatedAt: now });
}

/** Mirrored in CustomerRepository.knownByPhone, which lets createTicket skip this module in the usual case. */
const hasBlanksFor = (customer: CustomerRecord, who: CustomerIdentity): boolean =>
  (!customer.phone && who.phone !== undefined) || (!customer.company && who.company !== undefined);
