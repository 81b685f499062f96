import type { StaffRole } from '../domain/staff-role.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import { signToken } from './tokens.js';

export interface TokenRequest {
  readonly userId: string;
  readonly role: StaffRole;
  readonly name?: string;
  readonly expiresIn?: string;
}

/**
 * A bearer token for a staff member, creating their staff record if it is missing, so a
 * newcomer can call the API at once (`npm run token`). The token carries the requested role.
 */
export async function issueToken(staff: StaffDirectory, secret: string, request: TokenRequest): Promise<string> {
  const member = await staff.ensure(request.userId, { name: request.name, role: request.role });
  return signToken(secret, { userId: member.userId, role: request.role, name: member.name }, request.expiresIn ?? '30d');
}
