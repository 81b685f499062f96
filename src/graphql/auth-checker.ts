import type { AuthCheckerFn } from 'type-graphql';
import { forbidden, unauthenticated } from '../domain/errors.js';
import { hasRole, type StaffRole } from '../domain/staff-role.js';
import type { GraphQLContext } from './context.js';

/** @Authorized() needs any signed-in staff; @Authorized(role) needs that role or a higher one. */
export const authChecker: AuthCheckerFn<GraphQLContext, StaffRole> = ({ context }, roles) => {
  const { actor } = context;
  if (!actor) throw unauthenticated('请先登录：请求需要 Authorization: Bearer <令牌>', 'Authentication required: send Authorization: Bearer <token>');
  const required = roles[0];
  if (required && !roles.some((role) => hasRole(actor.role, role))) {
    throw forbidden(`需要 ${required} 或更高权限，当前为 ${actor.role}`, `This needs the ${required} role or higher; you are ${actor.role}`);
  }
  return true;
};
