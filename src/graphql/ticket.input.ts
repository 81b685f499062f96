import { Field, ID, InputType } from 'type-graphql';
import { Priority, TicketStatus } from './enums.js';
import { bilingual } from './bilingual.js';

@InputType({
  description: bilingual('新工单。客户先按手机号查找，再按完整姓名查找，都找不到就新建。', 'A new ticket. The customer is found by phone, then by exact name, else created.'),
})
export class CreateTicketInput {
  @Field(() => String, { nullable: true, description: bilingual('客户姓名；手机号属于已知客户时可省略。', 'The customer\'s name; needed unless the phone belongs to a known customer.') })
  customerName?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('客户的中国大陆手机号（以 1 开头的 11 位数字）。', 'The customer\'s mainland mobile number (11 digits starting with 1).') })
  customerPhone?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('客户的公司；只补充空白，不覆盖已有的值。', 'The customer\'s company; fills a blank, never overwrites.') })
  company?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('标题；默认取问题描述的第一行。', 'The title; defaults to the first line of the description.') })
  title?: string | null;

  @Field({ description: bilingual('问题描述（必填）。', 'The problem (required).') })
  description!: string;

  @Field(() => String, { nullable: true, description: bilingual('涉及的产品或项目。', 'The product or project concerned.') })
  product?: string | null;

  @Field(() => Priority, { nullable: true, description: bilingual('优先级；省略时从描述推断（紧急/严重 → URGENT，高优先级 → HIGH）。', 'The priority; derived from the text when omitted (紧急/严重 → URGENT, 高优先级 → HIGH).') })
  priority?: Priority | null;

  @Field(() => Date, { nullable: true, description: bilingual('截止时间；默认为创建后的配置时长（24 小时）。', 'The deadline; defaults to the configured window (24 h) after creation.') })
  deadline?: Date | null;
}

@InputType({ description: bilingual('筛选工单：给出的条件必须同时满足。', 'Which tickets to list; all given criteria must hold.') })
export class TicketFilter {
  @Field(() => [TicketStatus], { nullable: true, description: bilingual('处于这些状态之一。', 'In one of these statuses.') })
  status?: TicketStatus[] | null;

  @Field(() => [Priority], { nullable: true, description: bilingual('属于这些优先级之一。', 'Of one of these priorities.') })
  priority?: Priority[] | null;

  @Field(() => String, { nullable: true, description: bilingual('负责人的企业微信 userid。', 'The assignee\'s WeCom userid.') })
  assignee?: string | null;

  @Field(() => ID, { nullable: true, description: bilingual('这位客户的工单（Customer.id）。', 'This customer\'s tickets (Customer.id).') })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('客户姓名（完全一致）。', 'The customer\'s name, exactly.') })
  customerName?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('客户姓名的开头（"张" 可找到张三、张三丰；不做模糊匹配）。', 'The start of the customer\'s name ("张" finds 张三 and 张三丰; no fuzzy matching).') })
  customerNamePrefix?: string | null;

  @Field(() => String, { nullable: true, description: bilingual('客户手机号（11 位大陆手机号，可带空格、横线或 +86）。', 'The customer\'s phone (11-digit mainland mobile; spaces, dashes and +86 are accepted).') })
  customerPhone?: string | null;

  @Field(() => Boolean, { nullable: true, description: bilingual('true：已超时的未结工单；false：其余工单。', 'true: open tickets past their deadline; false: all others.') })
  overdue?: boolean | null;

  @Field(() => String, { nullable: true, description: bilingual('标题或描述中包含的文字。', 'Text contained in the title or description.') })
  text?: string | null;
}
