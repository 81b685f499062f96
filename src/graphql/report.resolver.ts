import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { customerReport } from '../customers/customer-report.js';
import { parseCustomerId } from '../domain/ids.js';
import { serviceStats } from '../tickets/service-stats.js';
import type { GraphQLContext } from './context.js';
import { CustomerReportArgs, ReportPeriodArgs } from './report.args.js';
import { CustomerReportNode, ServiceStatsNode } from './service-report.type.js';
import { bilingual } from './bilingual.js';

@Resolver()
export class ReportResolver {
  @Query(() => CustomerReportNode, {
    description: bilingual('客户服务报告：这位客户在统计周期内创建的工单及其处理情况（中国时间的日期，默认最近 30 天）。', 'The customer service report: the customer\'s tickets created in the period and how they were handled (China dates; the last 30 days by default).'),
  })
  async customerReport(@Args(() => CustomerReportArgs) { customerId, from, to }: CustomerReportArgs, @Ctx() { em, clock }: GraphQLContext): Promise<CustomerReportNode> {
    return CustomerReportNode.from(await customerReport(em, parseCustomerId(customerId), { from, to }, clock.now()));
  }

  @Query(() => ServiceStatsNode, {
    description: bilingual('团队服务数据：未结和超时工单（当前），统计周期内的解决用时、SLA 超时率和催促次数，总体、按负责人和未分配（中国时间的日期，默认最近 30 天）。', 'The team\'s figures: open and overdue tickets now; resolution times, SLA breach rate and reminders in the period; overall, per assignee and unassigned (China dates; the last 30 days by default).'),
  })
  async serviceStats(@Args(() => ReportPeriodArgs) { from, to }: ReportPeriodArgs, @Ctx() { em, clock }: GraphQLContext): Promise<ServiceStatsNode> {
    return ServiceStatsNode.from(await serviceStats(em, { from, to }, clock.now()));
  }
}
