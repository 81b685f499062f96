import type { AuthCheckerFn } from 'type-graphql';
import { forbidden } from '../domain/errors.js';
import { hasRole, type StaffRole } from '../domain/staff-role.js';
import type { GraphQLContext } from './context.js';

/** @Authorized(role) needs that role or a higher one (authentication happened before execution). */
export const authChecker: AuthCheckerFn<GraphQLContext, StaffRole> = ({ context }, roles) => {
  const { actor } = context;
  const required = roles[0];
  if (required && !roles.some((role) => hasRole(actor.role, role))) {
    throw forbidden(`需要 ${required} 或更高权限，当前为 ${actor.role}`, `This needs the ${required} role or higher; you are ${actor.role}`);
  }
  return true;
};
