import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { parseTicketId } from '../domain/ids.js';
import { StaffRole } from '../domain/staff-role.js';
import { bilingual } from './bilingual.js';
import { actorOf, type GraphQLContext } from './context.js';
import { TicketNode } from './ticket.type.js';

@Resolver(() => TicketNode)
export class StatusLinkResolver {
  @FieldResolver(() => String, {
    description: bilingual(
      '客户的私密进度链接（长期有效，可撤销）：打开后可看到工单状态、公开的处理记录和客服回复，可补充说明、评价。只发给这位客户。',
      'The customer\'s private status link (long-lived, revocable): it shows the ticket\'s status, its public history and replies, and lets them add a note and rate. Give it to this customer only.',
    ),
  })
  async statusLink(@Root() ticket: TicketNode, @Ctx() { loaders, services }: GraphQLContext): Promise<string> {
    return services.statusLinks.urlAt(Number(ticket.id), await loaders.statusLinkVersion.load(Number(ticket.id)));
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => String, {
    description: bilingual('撤销工单的客户进度链接（客服及以上）：之前发出的链接全部失效，返回新的链接。', 'Revokes the ticket\'s customer status link (AGENT and up): every link given out so far stops working; returns the new one.'),
  })
  async revokeStatusLink(@Arg('id', () => ID, { description: bilingual('工单号（123 或 #123）。', 'The ticket number (123 or #123).') }) id: string, @Ctx() context: GraphQLContext): Promise<string> {
    return context.services.statusLinks.revoke(context.em, parseTicketId(id), actorOf(context), context.clock.now());
  }
}
