import { ArgsType, Field, ID, Int } from 'type-graphql';
import { TicketStatus } from './enums.js';
import { TicketFilter } from './ticket.input.js';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  after?: string | null;
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
