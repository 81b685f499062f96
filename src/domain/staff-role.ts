export enum StaffRole {
  AGENT = 'AGENT',
  LEAD = 'LEAD',
  ADMIN = 'ADMIN',
}

const RANK: Readonly<Record<StaffRole, number>> = { [StaffRole.AGENT]: 1, [StaffRole.LEAD]: 2, [StaffRole.ADMIN]: 3 };

/** Roles are ordered: a LEAD may do what an AGENT may, an ADMIN what a LEAD may. */
export const hasRole = (actual: StaffRole, required: StaffRole): boolean => RANK[actual] >= RANK[required];

export const isStaffRole = (value: unknown): value is StaffRole =>
  typeof value === 'string' && Object.values(StaffRole).includes(value as StaffRole);
