import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { SubmittedTicket } from '../tickets/website-submission.js';
import { TicketStatus } from './enums.js';
import type { GraphQLContext } from './context.js';
import { bilingual } from './bilingual.js';

/** The one public operation: server.ts lets a caller without a token run this mutation and nothing else. */
export const PUBLIC_MUTATION = 'submitTicket';

@InputType({ description: bilingual('客户在网站上提交的工单。客户按手机号查找，找不到就新建。', 'A ticket a customer submits on the website. The customer is found by phone, else created.') })
export class SubmitTicketInput {
  @Field({ description: bilingual('客户姓名（必填，最多 100 字）。', 'The customer\'s name (required, at most 100 characters).') })
  name!: string;

  @Field({ description: bilingual('中国大陆手机号（必填，以 1 开头的 11 位数字）。', 'A mainland mobile number (required, 11 digits starting with 1).') })
  phone!: string;

  @Field(() => String, { nullable: true, description: bilingual('公司（可选）。', 'The company (optional).') })
  company?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('涉及的产品（可选）。', 'The product concerned (optional).') })
  product?: string | null;

  @Field({ description: bilingual('问题描述（必填，最多 5000 字）。', 'The problem (required, at most 5000 characters).') })
  problem!: string;

  @Field(() => String, { nullable: true, description: bilingual('防机器人字段：表单中隐藏，必须留空；填写了则拒绝提交。', 'Anti-bot field: hidden on the form, must stay empty; a submission that fills it is refused.') })
  website?: string | null;
}

@ObjectType({ description: bilingual('提交成功的工单：客户可以看到的内容。', 'A submitted ticket: what the customer may see of it.') })
export class SubmittedTicketNode {
  @Field(() => ID, { description: bilingual('工单号。', 'The ticket number.') })
  id!: string;

  @Field(() => TicketStatus, { description: bilingual('当前状态。', 'The current status.') })
  status!: TicketStatus;

  @Field(() => Date, { description: bilingual('提交时间。', 'When it was submitted.') })
  createdAt!: Date;

  @Field({ description: bilingual('是否为几分钟内同一问题的重复提交（返回的是之前的工单）。', 'Whether this repeated a submission made minutes ago (the earlier ticket is returned).') })
  duplicate!: boolean;

  @Field({ description: bilingual('客户的私密进度链接：可随时查看处理进度、补充说明和评价。请只给这位客户。', 'The customer\'s private status link: where they follow the ticket, add to it and rate it. For this customer only.') })
  statusLink!: string;

  static from(ticket: SubmittedTicket, statusLink: string): SubmittedTicketNode {
    return Object.assign(new SubmittedTicketNode(), { id: String(ticket.id), status: ticket.status, createdAt: ticket.createdAt, duplicate: ticket.duplicate, statusLink });
  }
}

@Resolver()
export class SubmissionResolver {
  @Mutation(() => SubmittedTicketNode, {
    description: bilingual(
      '客户在网站上提交工单（公开，无需令牌，网站的 /support 表单同样走这里）：按来源地址和手机号限流，隐藏字段须留空，10 分钟内同一手机号的相同问题返回之前的工单。',
      'A customer submits a ticket on the website (public: no token; the /support form does the same): limited per client address and per phone, the hidden field must stay empty, and the same problem from the same phone within 10 minutes returns the earlier ticket.',
    ),
  })
  async submitTicket(@Arg('input', () => SubmitTicketInput, { description: bilingual('客户填写的内容。', 'What the customer filled in.') }) input: SubmitTicketInput, @Ctx() context: GraphQLContext): Promise<SubmittedTicketNode> {
    const ticket = await context.services.submissions.submit(input, { ip: context.origin?.ip ?? 'unknown' });
    return SubmittedTicketNode.from(ticket, await context.services.statusLinks.urlFor(context.em, ticket.id));
  }
}
