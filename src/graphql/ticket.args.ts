import { ArgsType, Field, ID, Int } from 'type-graphql';
import { TicketStatus } from './enums.js';
import { TicketFilter } from './ticket.input.js';

/** Relay connection arguments: first/after pages forward (older), last/before backward (newer). */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: '向后翻页：取多少条，1–100（默认 20）。不能与 last 同时使用。\nPaging forward: how many items, 1–100 (default 20). Not together with last.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: '向后翻页：从这个游标之后开始（上一页的 pageInfo.endCursor）。\nPaging forward: start after this cursor (the previous page\'s pageInfo.endCursor).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: '向前翻页：取 before 之前（更新的）多少条，1–100（默认 20）。不能与 first 同时使用。\nPaging backward: how many (newer) items before the before cursor, 1–100 (default 20). Not together with first.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: '向前翻页：到这个游标之前为止（当前页的 pageInfo.startCursor）。\nPaging backward: end before this cursor (the current page\'s pageInfo.startCursor).' })
  before?: string | null;
}

@ArgsType()
export class TicketsArgs extends PageArgs {
  @Field(() => TicketFilter, { nullable: true })
  filter?: TicketFilter | null;
}

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Part of the name, phone or company.' })
  search?: string | null;
}

@ArgsType()
export class AssignTicketArgs {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'A WeCom userid, a display name or an alias; a leading @ is ignored.' })
  assignee!: string;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@ArgsType()
export class UpdateTicketStatusArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => TicketStatus)
  status!: TicketStatus;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => Int, { nullable: true, description: '0–100; defaults follow the status (80 for PROCESSING, 100 for RESOLVED/CLOSED).' })
  progress?: number | null;
}

@ArgsType()
export class ChangeTicketDeadlineArgs {
  @Field(() => ID, { description: 'The ticket number (123 or #123).' })
  id!: string;

  @Field({ description: 'The new deadline: in the future, within a year.' })
  deadline!: Date;

  @Field(() => String, { nullable: true, description: 'Why it moved; kept with the DEADLINE_CHANGED event.' })
  note?: string | null;
}
