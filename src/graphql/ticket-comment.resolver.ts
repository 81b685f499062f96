import { Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { parseTicketId } from '../domain/ids.js';
import type { TicketEventRecord } from '../domain/records.js';
import { StaffRole } from '../domain/staff-role.js';
import { CommentVisibility, isCommentVisibility } from '../domain/ticket-comment.js';
import { TicketEventType } from '../domain/ticket-event.js';
import { bilingual } from './bilingual.js';
import { actorOf, type GraphQLContext } from './context.js';
import { CommentVisibility as CommentVisibilityEnum } from './enums.js';
import { TicketNode } from './ticket.type.js';

@ObjectType('TicketComment', { simpleResolvers: true, description: bilingual('工单上的一条评论：回复客户，或内部备注。', 'A comment on a ticket: a reply to the customer, or a note among staff.') })
export class TicketCommentNode {
  @Field(() => ID, { description: bilingual('评论编号（记录它的 TicketEvent 的编号）。', 'The comment\'s id (that of the TicketEvent recording it).') })
  id!: string;

  @Field(() => ID, { description: bilingual('所属工单号。', 'The ticket it belongs to.') })
  ticketId!: string;

  @Field(() => CommentVisibilityEnum, { description: bilingual('给谁看：PUBLIC 客户能看到，INTERNAL 只有员工。', 'Who may read it: PUBLIC the customer too, INTERNAL staff only.') })
  visibility!: CommentVisibility;

  @Field({ description: bilingual('内容。', 'The text.') })
  body!: string;

  @Field({ description: bilingual('写的人的企业微信 userid。', 'WeCom userid of who wrote it.') })
  authorId!: string;

  @Field(() => String, { nullable: true, description: bilingual('写的人的显示名。', 'The display name of who wrote it.') })
  authorName!: string | null;

  @Field({ description: bilingual('写下的时间。', 'When it was written.') })
  createdAt!: Date;

  /** The comment a COMMENTED event records; null for any other event. */
  static fromEvent(event: TicketEventRecord): TicketCommentNode | null {
    if (event.type !== TicketEventType.COMMENTED || !isCommentVisibility(event.toValue) || event.note === null) return null;
    return Object.assign(new TicketCommentNode(), {
      id: event.id,
      ticketId: String(event.ticketId),
      visibility: event.toValue,
      body: event.note,
      authorId: event.actorId,
      authorName: event.actorName,
      createdAt: event.createdAt,
    });
  }
}

@ArgsType()
export class AddTicketCommentArgs {
  @Field(() => ID, { description: bilingual('工单号（123 或 #123）。', 'The ticket number (123 or #123).') })
  id!: string;

  @Field({ description: bilingual('内容，1–2000 个字符。', 'The text, 1–2,000 characters.') })
  body!: string;

  @Field(() => CommentVisibilityEnum, { description: bilingual('PUBLIC 回复客户（客户在状态页能看到），INTERNAL 内部备注（客户永远看不到）。必须写明。', 'PUBLIC replies to the customer (shown on their status page), INTERNAL is a note among staff (never shown to them). Always explicit.') })
  visibility!: CommentVisibility;
}

@Resolver(() => TicketNode)
export class TicketCommentResolver {
  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketCommentNode, {
    description: bilingual('在工单上回复客户或写内部备注（客服及以上）；任何状态的工单都可以，工单本身不变。', 'Replies to the customer or adds an internal note (AGENT and up), on a ticket in any state; the ticket itself is unchanged.'),
  })
  async addTicketComment(@Args(() => AddTicketCommentArgs) { id, body, visibility }: AddTicketCommentArgs, @Ctx() context: GraphQLContext): Promise<TicketCommentNode> {
    const { events } = await context.services.tickets.addComment(actorOf(context), parseTicketId(id), body, visibility);
    return TicketCommentNode.fromEvent(events[0]!)!;
  }

  @FieldResolver(() => [TicketCommentNode], { description: bilingual('回复客户和内部备注，最早的在前。', 'Replies to the customer and internal notes, oldest first.') })
  async comments(@Root() ticket: TicketNode, @Ctx() { loaders }: GraphQLContext): Promise<TicketCommentNode[]> {
    return (await loaders.ticketEvents.load(Number(ticket.id))).flatMap((event) => TicketCommentNode.fromEvent(event) ?? []);
  }
}
