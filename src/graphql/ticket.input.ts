import { Field, ID, InputType } from 'type-graphql';
import { Priority, TicketStatus } from './enums.js';

@InputType({ description: 'A new ticket. The customer is found by phone, then by exact name, else created.' })
export class CreateTicketInput {
  @Field(() => String, { nullable: true, description: 'Customer name; needed unless the phone belongs to a known customer.' })
  customerName?: string | null;

  @Field(() => String, { nullable: true, description: 'Mainland mobile number (11 digits starting with 1).' })
  customerPhone?: string | null;

  @Field(() => String, { nullable: true })
  company?: string | null;

  @Field(() => String, { nullable: true, description: 'Defaults to the first line of the description.' })
  title?: string | null;

  @Field()
  description!: string;

  @Field(() => String, { nullable: true, description: '产品/项目' })
  product?: string | null;

  @Field(() => Priority, { nullable: true, description: 'Derived from the text when omitted: 紧急/严重 → URGENT, 高优先级 → HIGH.' })
  priority?: Priority | null;

  @Field(() => Date, { nullable: true, description: 'Defaults to the configured window (24 h) after creation.' })
  deadline?: Date | null;
}

@InputType()
export class TicketFilter {
  @Field(() => [TicketStatus], { nullable: true })
  status?: TicketStatus[] | null;

  @Field(() => [Priority], { nullable: true })
  priority?: Priority[] | null;

  @Field(() => String, { nullable: true, description: 'WeCom userid of the assignee.' })
  assignee?: string | null;

  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: open tickets past their deadline; false: all others.' })
  overdue?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Substring of the title or description.' })
  text?: string | null;
}
