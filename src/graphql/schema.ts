import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import { GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { authChecker } from './auth-checker.js';
import { CustomerResolver } from './customer.resolver.js';
import { GroupWebhookResolver } from './group-webhook.resolver.js';
import { NotificationResolver, ReminderResolver } from './notification.resolver.js';
import { ReportResolver } from './report.resolver.js';
import { SimilarTicketResolver } from './similar-ticket.resolver.js';
import { StaffResolver } from './staff.resolver.js';
import { StatusLinkResolver } from './status-link.resolver.js';
import { SubmissionResolver } from './submission.resolver.js';
import { TicketCommentResolver } from './ticket-comment.resolver.js';
import { TicketSubscriptionResolver } from './ticket-subscription.resolver.js';
import { TicketResolver } from './ticket.resolver.js';
import { bilingual } from './bilingual.js';

/**
 * type-graphql insists on a PubSub once there is a subscription, even though ours names its own
 * `subscribe` (ticket updates come from the event log through the SubscriptionHub, never from
 * topics). This one tells anyone who reaches for topics where updates come from.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('Ticket updates are published from the event log (SubscriptionHub), not through topics');
  },
  subscribe: () => {
    throw new Error('Ticket updates are published from the event log (SubscriptionHub), not through topics');
  },
};

/**
 * The Date class the resolvers' type metadata names, taken when the modules load. (A test that
 * moves time replaces the global Date afterwards; the metadata keeps naming this one.)
 */
const DateClass = Date;

const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  description: bilingual(
    '日期时间，ISO 8601 格式的字符串，带时区，例如 2026-12-03T09:30:00.000Z。聊天和页面中按中国时间（Asia/Shanghai）显示。',
    'A date and time as an ISO 8601 string with its offset, e.g. 2026-12-03T09:30:00.000Z. Chat and pages show it in China time (Asia/Shanghai).',
  ),
});

/** type-graphql gives the root types no description of their own. */
const ROOT_DESCRIPTIONS = {
  Query: bilingual('读取工单、客户、员工和消息。每个请求都要带员工令牌（Authorization: Bearer …）。', 'Reads tickets, customers, staff and messages. Every request carries a staff token (Authorization: Bearer …).'),
  Mutation: bilingual('修改数据。每个修改在一个事务中完成，并写入审计事件；失败时什么都不改变。除客户在网站提交工单的 submitTicket 外，都要带员工令牌。', 'Changes data. Each mutation is one transaction that records its audit events; when it fails, nothing changes. All but submitTicket (customers submitting on the website) need a staff token.'),
  Subscription: bilingual('通过 WebSocket（graphql-ws 协议，连接 /graphql）接收实时更新；令牌放在连接参数 authorization 中。', 'Live updates over WebSocket (the graphql-ws protocol, at /graphql); the token goes in the connection parameter authorization.'),
} as const;

function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (root) root.description = ROOT_DESCRIPTIONS[root.name as keyof typeof ROOT_DESCRIPTIONS];
  }
  return schema;
}

export async function buildApiSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [TicketResolver, TicketSubscriptionResolver, CustomerResolver, StaffResolver, NotificationResolver, ReminderResolver, GroupWebhookResolver, ReportResolver, SimilarTicketResolver, TicketCommentResolver, StatusLinkResolver, SubmissionResolver],
    authChecker,
    pubSub: NO_TOPICS,
    scalarsMap: [{ type: DateClass, scalar: DateTime }],
    validate: false,
  });
  return describeRootTypes(schema);
}
