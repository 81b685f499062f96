import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseTicketId } from '../domain/ids.js';
import { StaffRole } from '../domain/staff-role.js';
import { toConnection } from './connection.type.js';
import type { GraphQLContext } from './context.js';
import { NotificationConnection, NotificationFilterInput, NotificationNode, ReminderRunNode } from './notification.type.js';
import { ReminderNode } from './reminder.type.js';
import { PageArgs } from './ticket.args.js';
import { bilingual } from './bilingual.js';

@ArgsType()
class NotificationsArgs extends PageArgs {
  @Field(() => NotificationFilterInput, { nullable: true, description: bilingual('筛选条件；省略时列出全部消息。', 'Which messages; all of them when absent.') })
  filter?: NotificationFilterInput | null;
}

@Resolver()
export class NotificationResolver {
  @Query(() => NotificationConnection, {
    description: bilingual(
      '发件箱，最新的在前：已发送的、等待中的，以及发送失败的消息（filter: { status: [DEAD] }）。',
      'The outbox, newest first: what was sent to people, what waits, and the dead letters (filter: { status: [DEAD] }).',
    ),
  })
  async notifications(@Args(() => NotificationsArgs) { filter, ...page }: NotificationsArgs, @Ctx() { em, services }: GraphQLContext): Promise<NotificationConnection> {
    const ticketId = filter?.ticketId ? parseTicketId(filter.ticketId) : undefined;
    return toConnection(await services.outbox.find(em, { status: filter?.status, kind: filter?.kind, ticketId }, page), NotificationNode.from);
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => NotificationNode, { description: bilingual('把发送失败的消息重新放回队列，重新计算重试次数（仅管理员）。', 'Puts a dead message back in the queue with fresh attempts (ADMIN only).') })
  async resendNotification(@Arg('id', () => ID, { description: bilingual('发送失败消息的 Notification.id。', 'Notification.id of a DEAD message.') }) id: string, @Ctx() { services }: GraphQLContext): Promise<NotificationNode> {
    return NotificationNode.from(await services.outbox.resend(id));
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => ReminderRunNode, {
    description:
      bilingual(
        '立即执行超时检查（即每小时的巡检，与 POST /api/admin/reminders/run 相同）：发出到期的提醒，修复缺失或过期的截止任务（仅管理员）。',
        'Runs the overdue check now (the hourly sweep, as POST /api/admin/reminders/run does): sends the reminders that are due and repairs missing or stale deadline jobs (ADMIN only).',
      ),
  })
  async runReminders(@Ctx() { services }: GraphQLContext): Promise<ReminderRunNode> {
    return Object.assign(new ReminderRunNode(), await services.sweep.run());
  }
}

@Resolver(() => ReminderNode)
export class ReminderResolver {
  @FieldResolver(() => NotificationNode, { nullable: true, description: bilingual('承载这次提醒的消息，以及它的投递情况。', 'The message that carries the reminder, and how its delivery went.') })
  async notification(@Root() reminder: ReminderNode, @Ctx() { loaders }: GraphQLContext): Promise<NotificationNode | null> {
    if (reminder.notificationId === null) return null;
    const found = await loaders.notification.load(reminder.notificationId);
    return found ? NotificationNode.from(found) : null;
  }
}
