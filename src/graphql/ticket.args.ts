import { ArgsType, Field, ID, Int } from 'type-graphql';
import { TicketStatus } from './enums.js';
import { TicketFilter } from './ticket.input.js';
import { bilingual } from './bilingual.js';

/** Relay connection arguments: first/after pages forward (older), last/before backward (newer). */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: bilingual('向后翻页：取多少条，1–100（默认 20）。不能与 last 同时使用。', 'Paging forward: how many items, 1–100 (default 20). Not together with last.') })
  first?: number | null;

  @Field(() => String, { nullable: true, description: bilingual('向后翻页：从这个游标之后开始（上一页的 pageInfo.endCursor）。', 'Paging forward: start after this cursor (the previous page\'s pageInfo.endCursor).') })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: bilingual('向前翻页：取 before 之前（更新的）多少条，1–100（默认 20）。不能与 first 同时使用。', 'Paging backward: how many (newer) items before the before cursor, 1–100 (default 20). Not together with first.') })
  last?: number | null;

  @Field(() => String, { nullable: true, description: bilingual('向前翻页：到这个游标之前为止（当前页的 pageInfo.startCursor）。', 'Paging backward: end before this cursor (the current page\'s pageInfo.startCursor).') })
  before?: string | null;
}

@ArgsType()
export class TicketsArgs extends PageArgs {
  @Field(() => TicketFilter, { nullable: true, description: bilingual('筛选条件；省略时列出全部工单。', 'Which tickets; all of them when absent.') })
  filter?: TicketFilter | null;
}

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: bilingual('姓名、手机号或公司中的一部分。', 'Part of the name, phone or company.') })
  search?: string | null;
}

@ArgsType()
export class AssignTicketArgs {
  @Field(() => ID, { description: bilingual('工单号（123 或 #123）。', 'The ticket number (123 or #123).') })
  id!: string;

  @Field({ description: bilingual('新负责人：企业微信 userid、显示名或别名；开头的 @ 会被忽略。', 'The new assignee: a WeCom userid, a display name or an alias; a leading @ is ignored.') })
  assignee!: string;

  @Field(() => String, { nullable: true, description: bilingual('备注，记在 ASSIGNED 事件中。', 'A note, kept with the ASSIGNED event.') })
  note?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: bilingual(
      '只在工单仍是这个版本（version）时分配，否则报 CONFLICT 且不做修改；用于"先到先得"的认领。',
      'Assign only while the ticket is still at this version (its version field); otherwise CONFLICT and nothing changes. For first-come claims.',
    ),
  })
  expectedVersion?: number | null;
}

@ArgsType()
export class UpdateTicketStatusArgs {
  @Field(() => ID, { description: bilingual('工单号（123 或 #123）。', 'The ticket number (123 or #123).') })
  id!: string;

  @Field(() => TicketStatus, { description: bilingual('新状态；必须是状态机允许的下一步。', 'The new status; a move the status machine allows.') })
  status!: TicketStatus;

  @Field(() => String, { nullable: true, description: bilingual('备注，例如解决方法；记在 STATUS_CHANGED 事件中。', 'A note, such as how it was solved; kept with the STATUS_CHANGED event.') })
  note?: string | null;

  @Field(() => Int, { nullable: true, description: bilingual('进度 0–100；默认随状态（PROCESSING 为 80，RESOLVED/CLOSED 为 100）。', 'Progress, 0–100; defaults follow the status (80 for PROCESSING, 100 for RESOLVED/CLOSED).') })
  progress?: number | null;
}

@ArgsType()
export class ChangeTicketDeadlineArgs {
  @Field(() => ID, { description: bilingual('工单号（123 或 #123）。', 'The ticket number (123 or #123).') })
  id!: string;

  @Field({ description: bilingual('新的截止时间：在将来，一年以内。', 'The new deadline: in the future, within a year.') })
  deadline!: Date;

  @Field(() => String, { nullable: true, description: bilingual('调整原因，记在 DEADLINE_CHANGED 事件中。', 'Why it moved; kept with the DEADLINE_CHANGED event.') })
  note?: string | null;
}
