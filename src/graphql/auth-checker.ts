import type { AuthCheckerFn } from 'type-graphql';
import { forbidden, unauthenticated } from '../domain/errors.js';
import { hasRole, type StaffRole } from '../domain/staff-role.js';
import type { GraphQLContext } from './context.js';

/** @Authorized(role) needs that role or a higher one (authentication happened before execution). */
export const authChecker: AuthCheckerFn<GraphQLContext, StaffRole> = ({ context }, roles) => {
  const { actor } = context;
  // A website visitor reaches only submitTicket (server.ts); should anything else ever get this far, it is refused here too.
  if (context.anonymous) throw unauthenticated('请先登录：请求需要 Authorization: Bearer <令牌>', 'Authentication required: send Authorization: Bearer <token>');
  const required = roles[0];
  if (required && !roles.some((role) => hasRole(actor.role, role))) {
    throw forbidden(`需要 ${required} 或更高权限，当前为 ${actor.role}`, `This needs the ${required} role or higher; you are ${actor.role}`);
  }
  return true;
};
