import { badInput } from './errors.js';

const MAX_ID = 2_147_483_647;

/** "123" as an id (1 to the largest PostgreSQL integer), or null. */
export function parsePositiveInt(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= MAX_ID ? id : null;
}

/** Accepts "123" and "#123", as staff write it in chat. */
export function parseTicketId(raw: string | number): number {
  const id = parsePositiveInt(String(raw).trim().replace(/^#/, ''));
  if (id === null) {
    throw badInput(`工单编号格式不正确：「${raw}」，应为 #123 这样的数字`, `Invalid ticket id "${raw}": expected a number such as 123`, { field: 'id' });
  }
  return id;
}

export function parseCustomerId(raw: string | number): number {
  const id = parsePositiveInt(String(raw).trim());
  if (id === null) throw badInput(`客户编号格式不正确：「${raw}」`, `Invalid customer id "${raw}"`, { field: 'customerId' });
  return id;
}
