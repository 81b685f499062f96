import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseTicketId } from '../domain/ids.js';
import { StaffRole } from '../domain/staff-role.js';
import { toConnection } from './connection.type.js';
import type { GraphQLContext } from './context.js';
import { NotificationConnection, NotificationFilterInput, NotificationNode, ReminderRunNode } from './notification.type.js';
import { ReminderNode } from './reminder.type.js';
import { PageArgs } from './ticket.args.js';

@ArgsType()
class NotificationsArgs extends PageArgs {
  @Field(() => NotificationFilterInput, { nullable: true, description: 'Which messages; all of them when absent.' })
  filter?: NotificationFilterInput | null;
}

@Resolver()
export class NotificationResolver {
  @Query(() => NotificationConnection, {
    description: 'The outbox, newest first: what was sent to people, what waits, and the dead letters (filter: { status: [DEAD] }).',
  })
  async notifications(@Args(() => NotificationsArgs) { filter, ...page }: NotificationsArgs, @Ctx() { em, services }: GraphQLContext): Promise<NotificationConnection> {
    const ticketId = filter?.ticketId ? parseTicketId(filter.ticketId) : undefined;
    return toConnection(await services.outbox.find(em, { status: filter?.status, kind: filter?.kind, ticketId }, page), NotificationNode.from);
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => NotificationNode, { description: 'Puts a dead message back in the queue with fresh attempts (ADMIN only).' })
  async resendNotification(@Arg('id', () => ID, { description: 'Notification.id of a DEAD message.' }) id: string, @Ctx() { services }: GraphQLContext): Promise<NotificationNode> {
    return NotificationNode.from(await services.outbox.resend(id));
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => ReminderRunNode, {
    description:
      'Runs the overdue check now (the hourly sweep, as POST /api/admin/reminders/run does): sends the reminders that are due and repairs missing or stale deadline jobs (ADMIN only).',
  })
  async runReminders(@Ctx() { services }: GraphQLContext): Promise<ReminderRunNode> {
    return Object.assign(new ReminderRunNode(), await services.sweep.run());
  }
}

@Resolver(() => ReminderNode)
export class ReminderResolver {
  @FieldResolver(() => NotificationNode, { nullable: true, description: 'The message that carries the reminder, and how its delivery went.' })
  async notification(@Root() reminder: ReminderNode, @Ctx() { loaders }: GraphQLContext): Promise<NotificationNode | null> {
    if (reminder.notificationId === null) return null;
    const found = await loaders.notification.load(reminder.notificationId);
    return found ? NotificationNode.from(found) : null;
  }
}
