import { ArgsType, Field, ID } from 'type-graphql';
import { bilingual } from './bilingual.js';

/** A period of China calendar days, both included; each may be left out. */
@ArgsType()
export class ReportPeriodArgs {
  @Field(() => String, {
    nullable: true,
    description: bilingual('第一天（含），中国时间的日期，如 2026-12-01；省略时为 to 之前的第 29 天（共 30 天）。', 'The first day (included), a China date such as 2026-12-01; by default 29 days before to (30 days in all).'),
  })
  from?: string | null;

  @Field(() => String, {
    nullable: true,
    description: bilingual('最后一天（含），中国时间的日期，如 2026-12-31；省略时为中国时间的今天。不能早于 from，整个周期最长 366 天。', 'The last day (included), a China date such as 2026-12-31; by default today in China. Not before from; a period covers at most 366 days.'),
  })
  to?: string | null;
}

@ArgsType()
export class CustomerReportArgs extends ReportPeriodArgs {
  @Field(() => ID, { description: bilingual('客户编号（Customer.id）。', 'The customer\'s id (Customer.id).') })
  customerId!: string;
}
