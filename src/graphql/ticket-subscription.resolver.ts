import { Kind, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { badInput } from '../domain/errors.js';
import { parseCustomerId, parseTicketId } from '../domain/ids.js';
import type { TicketUpdateRecord } from '../domain/records.js';
import type { TicketSubscriptionFilter as FilterCriteria } from '../domain/ticket-subscription.js';
import type { TicketSubscriber } from '../live/ticket-subscriber.js';
import type { GraphQLContext } from './context.js';
import { TicketSubscriptionFilter, TicketUpdateNode } from './ticket-update.type.js';
import { bilingual } from './bilingual.js';

interface TicketUpdatedArgs {
  readonly filter?: TicketSubscriptionFilter | null;
  readonly afterEventId?: string | null;
}

function criteriaOf(filter: TicketSubscriptionFilter | null | undefined): FilterCriteria {
  if (!filter) return {};
  return {
    ...(filter.ticketId != null && { ticketId: parseTicketId(filter.ticketId) }),
    ...(filter.customerId != null && { customerId: parseCustomerId(filter.customerId) }),
    ...(filter.assignee != null && { assignee: filter.assignee.replace(/^@/, '') }),
    ...(filter.status != null && { status: filter.status }),
    ...(filter.priority != null && { priority: filter.priority }),
    ...(filter.types != null && { types: filter.types }),
  };
}

/** The name of the variable an argument of the subscription field takes its value from, if any. */
function variableOf(info: GraphQLResolveInfo, argument: string): string | undefined {
  const value = info.fieldNodes[0]?.arguments?.find((arg) => arg.name.value === argument)?.value;
  return value?.kind === Kind.VARIABLE ? value.name.value : undefined;
}

const overWebSocketOnly = () =>
  badInput('订阅请通过 WebSocket（graphql-ws 协议）连接 /graphql', 'Subscriptions are served over WebSocket (graphql-ws protocol) at /graphql');

/** Joins the subscription hub: the work graphql-js would otherwise do per subscriber. */
function followTicketUpdates(context: GraphQLContext, args: TicketUpdatedArgs, info: GraphQLResolveInfo): Promise<TicketSubscriber> {
  const { live } = context;
  if (!live) throw overWebSocketOnly();
  const resumeVariable = variableOf(info, 'afterEventId');
  return live.hub.follow({
    connection: live.connection,
    operationId: live.operationId,
    query: live.query,
    execution: live.execution,
    filter: criteriaOf(args.filter),
    ...(resumeVariable !== undefined && { resumeVariable }),
    ...(args.afterEventId != null && { afterEventId: args.afterEventId }),
  });
}

@Resolver()
export class TicketSubscriptionResolver {
  @Subscription(() => TicketUpdateNode, {
    description:
      bilingual(
        '每一次已提交的工单变化，同一工单按提交顺序，每次一条；新工单即其 CREATED 事件（只有一个流，客户端无需合并）。重连后把收到的最后一个 event.id 作为 afterEventId 传入，错过的更新会先补发。',
        'Every committed ticket change, in commit order per ticket and once each; a new ticket is its CREATED event (one stream, so clients never merge two). After a reconnect, pass the last event.id received as afterEventId: missed updates are replayed first.',
      ),
    subscribe: ({ args, context, info }) => followTicketUpdates(context as GraphQLContext, args as TicketUpdatedArgs, info),
  })
  ticketUpdated(
    @Root() update: TicketUpdateRecord | undefined,
    @Ctx() { clock }: GraphQLContext,
    @Arg('filter', () => TicketSubscriptionFilter, { nullable: true, description: bilingual('只关注哪些更新；省略时为全部。', 'Which updates to follow; all of them when absent.') }) _filter?: TicketSubscriptionFilter,
    @Arg('afterEventId', () => ID, { nullable: true, description: bilingual('从这个事件之后继续：在它之后提交的更新会先发送。', 'Resume after this event: updates committed after it are sent first.') }) _afterEventId?: string,
  ): TicketUpdateNode {
    // Without an update to render, the operation came as a query would (over HTTP).
    if (!update?.event) throw overWebSocketOnly();
    return TicketUpdateNode.from(update, clock.now());
  }
}
