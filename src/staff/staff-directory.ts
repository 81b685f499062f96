import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { badInput } from '../domain/errors.js';
import { parseInput, requiredText, wecomUserId } from '../domain/input-validation.js';
import { StaffRole } from '../domain/staff-role.js';
import { Staff } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { escapeLike } from '../db/pagination.js';
import { inTransaction } from '../db/transaction.js';

const describe = (s: Staff) => ({ userId: s.userId, name: s.name });
const SUGGESTIONS = 5;
const STAFF_LIST = { default: 50, max: 200 } as const;

/**
 * Turns what a person typed ("@李四", "lisi", an alias) into one staff member.
 * Ambiguous and unknown names are errors that list the candidates to choose from.
 */
export async function resolveStaff(em: EntityManager, typed: string): Promise<Staff> {
  const key = typed.trim().replace(/^@/, '').trim();
  if (!key) throw badInput('请指定负责人', 'Name the assignee', { field: 'assignee' });
  const matches = await em.find(Staff, { $or: [{ userId: key }, { name: key }, { aliases: { $contains: [key] } }] }, { orderBy: { id: 'asc' } });
  const byUserId = matches.find((s) => s.userId === key);
  if (byUserId) return byUserId;
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const candidates = matches.map(describe);
    throw badInput(
      `「${key}」对应多名员工：${candidates.map((c) => `${c.name}(${c.userId})`).join('、')}，请用 UserID 指定`,
      `"${key}" matches several staff members: ${candidates.map((c) => c.userId).join(', ')}; use the userid`,
      { field: 'assignee', candidates },
    );
  }
  const pattern = `%${escapeLike(key)}%`;
  const similar = await em.find(Staff, { $or: [{ name: { $ilike: pattern } }, { userId: { $ilike: pattern } }] }, { limit: SUGGESTIONS });
  const candidates = similar.map(describe);
  const hint = candidates.length ? `，是否指：${candidates.map((c) => `${c.name}(${c.userId})`).join('、')}` : '';
  const hintEn = candidates.length ? `; did you mean ${candidates.map((c) => c.userId).join(', ')}?` : '';
  throw badInput(`找不到员工「${key}」${hint}`, `No staff member "${key}"${hintEn}`, { field: 'assignee', candidates });
}

const staffProfileSchema = z.object({
  userId: wecomUserId,
  name: requiredText(100),
  aliases: z.array(requiredText(100)).max(20).optional(),
  role: z.enum(StaffRole).optional(),
});

export type StaffProfile = z.input<typeof staffProfileSchema>;

/** The staff use cases: who can be mentioned and assigned, and with which role. */
export class StaffDirectory {
  constructor(
    private readonly orm: Orm,
    private readonly clock: Clock,
  ) {}

  /** Creates or updates a staff member by WeCom userid. */
  upsert(profile: StaffProfile): Promise<Staff> {
    const valid = parseInput(staffProfileSchema, profile);
    return inTransaction(this.orm, async (em) => {
      const now = this.clock.now();
      const staff = (await em.findOne(Staff, { userId: valid.userId })) ?? em.create(Staff, { userId: valid.userId, name: valid.name, createdAt: now, updatedAt: now });
      staff.name = valid.name;
      if (valid.aliases) staff.aliases = [...new Set(valid.aliases)];
      if (valid.role) staff.role = valid.role;
      staff.updatedAt = now;
      return staff;
    });
  }

  /** The staff member with this userid, created with the given name and role if missing. */
  async ensure(userId: string, defaults: { name?: string; role: StaffRole }): Promise<Staff> {
    // Nearly always known (every chat message asks): a plain read, without a transaction's round trips.
    const known = await this.orm.em.fork().findOne(Staff, { userId });
    if (known) return known;
    return inTransaction(this.orm, async (em) => {
      const existing = await em.findOne(Staff, { userId });
      if (existing) return existing;
      const now = this.clock.now();
      return em.create(Staff, { ...parseInput(staffProfileSchema, { userId, name: defaults.name ?? userId, role: defaults.role }), createdAt: now, updatedAt: now });
    });
  }

  /** The leads (role LEAD), who are told when a ticket is escalated. */
  leads(em: EntityManager): Promise<Staff[]> {
    return em.find(Staff, { role: StaffRole.LEAD }, { orderBy: { id: 'asc' } });
  }

  findByUserId(em: EntityManager, userId: string): Promise<Staff | null> {
    return em.findOne(Staff, { userId });
  }

  /** Staff whose name, userid or alias matches, by name; `first` is clamped to 1–200 (default 50). */
  search(em: EntityManager, text: string | null | undefined, first?: number | null): Promise<Staff[]> {
    const limit = Math.min(Math.max(first ?? STAFF_LIST.default, 1), STAFF_LIST.max);
    const term = text?.trim();
    const pattern = term ? `%${escapeLike(term)}%` : undefined;
    const where = pattern ? { $or: [{ name: { $ilike: pattern } }, { userId: { $ilike: pattern } }, { aliases: { $contains: [term!] } }] } : {};
    return em.find(Staff, where, { orderBy: { name: 'asc', id: 'asc' }, limit });
  }
}
