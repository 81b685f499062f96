import { Field, Float, Int, InterfaceType, ObjectType } from 'type-graphql';
import { renderCustomerReport } from '../chat/service-report-markdown.js';
import type { ReportPeriod } from '../domain/report-period.js';
import type { CustomerReport, ServiceStats } from '../domain/service-report.js';
import { CustomerNode } from './customer.type.js';
import { PriorityCountNode, StatusCountNode } from './ticket-update.type.js';
import { bilingual } from './bilingual.js';

@ObjectType('ReportPeriod', {
  simpleResolvers: true,
  description: bilingual('统计周期：中国时间（UTC+8）的若干个自然日，首尾两天都包含。', 'A report\'s period: calendar days in China time (UTC+8), the first and the last included.'),
})
export class ReportPeriodNode {
  @Field({ description: bilingual('第一天，如 2026-12-01。', 'The first day, e.g. 2026-12-01.') })
  from!: string;

  @Field({ description: bilingual('最后一天，如 2026-12-31。', 'The last day, e.g. 2026-12-31.') })
  to!: string;

  @Field({ description: bilingual('周期开始的时刻：第一天中国时间 00:00（含）。', 'When the period starts: 00:00 China time on the first day (included).') })
  start!: Date;

  @Field({ description: bilingual('周期结束的时刻：最后一天的次日中国时间 00:00（不含）。', 'When the period ends: 00:00 China time on the day after the last (excluded).') })
  end!: Date;

  @Field(() => Int, { description: bilingual('周期的天数（1–366）。', 'How many days the period covers (1–366).') })
  days!: number;
}

@ObjectType('DurationFigures', {
  simpleResolvers: true,
  description: bilingual(
    '一组工单的处理用时（秒，精确到毫秒）。P90 采用最近秩法：把 n 个用时从小到大排列，取第 ⌈0.9 × n⌉ 个，所以它总是其中某个工单的实际用时。没有工单时平均值和 P90 为 null。',
    'How long a set of tickets took, in seconds (to the millisecond). P90 is the nearest rank: the n durations sorted ascending, the ⌈0.9 × n⌉-th one, so it is always one ticket\'s actual duration. Mean and P90 are null when no ticket contributed.',
  ),
})
export class DurationFiguresNode {
  @Field(() => Int, { description: bilingual('计入的工单数。', 'How many tickets contributed.') })
  tickets!: number;

  @Field(() => Float, { nullable: true, description: bilingual('平均用时（秒）。', 'The mean, in seconds.') })
  meanSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: bilingual('P90 用时（秒，最近秩法）。', 'The 90th percentile (nearest rank), in seconds.') })
  p90Seconds!: number | null;
}

@ObjectType('ProductCount', { simpleResolvers: true, description: bilingual('某个产品的工单数。', 'How many tickets are about one product.') })
export class ProductCountNode {
  @Field({ description: bilingual('产品/项目。', 'The product or project.') })
  product!: string;

  @Field(() => Int, { description: bilingual('涉及这个产品的工单数。', 'Tickets about this product.') })
  count!: number;
}

const periodNode = (period: ReportPeriod): ReportPeriodNode => Object.assign(new ReportPeriodNode(), period);

@ObjectType('CustomerReport', {
  simpleResolvers: true,
  description: bilingual(
    '客户服务报告：这位客户在统计周期内（按中国时间的创建日期）提交的工单，以及它们到目前为止的处理情况；用时取自工单事件记录。与 GET /api/customers/{id}/report 相同。',
    'The customer service report: the customer\'s tickets created in the period (by their China creation date) and how they have been handled so far; times come from the ticket events. As GET /api/customers/{id}/report.',
  ),
})
export class CustomerReportNode {
  @Field(() => CustomerNode, { description: bilingual('报告所属的客户。', 'The customer reported on.') })
  customer!: CustomerNode;

  @Field(() => ReportPeriodNode, { description: bilingual('统计周期。', 'The period.') })
  period!: ReportPeriodNode;

  @Field(() => Int, { description: bilingual('周期内创建的工单数（含已取消）。', 'Tickets created in the period, cancelled ones included.') })
  totalTickets!: number;

  @Field(() => [StatusCountNode], { description: bilingual('这些工单现在每个状态的数量，每个状态都列出，按状态机顺序。', 'Those tickets per status now: every status, in the order of the status machine.') })
  byStatus!: StatusCountNode[];

  @Field(() => [PriorityCountNode], { description: bilingual('这些工单每个优先级的数量，每个优先级都列出，最紧急的在前。', 'Those tickets per priority: every priority, most urgent first.') })
  byPriority!: PriorityCountNode[];

  @Field(() => DurationFiguresNode, { description: bilingual('从创建到首次分配（第一个 ASSIGNED 事件）的用时；没分配过的工单不计入。', 'Creation to first assignment (the first ASSIGNED event); tickets never assigned do not count.') })
  timeToAssign!: DurationFiguresNode;

  @Field(() => DurationFiguresNode, {
    description: bilingual('从创建到首次解决（第一个变为 RESOLVED 的 STATUS_CHANGED 事件）的用时；重新打开后再次解决的，按第一次计。', 'Creation to first resolution (the first STATUS_CHANGED to RESOLVED); a ticket reopened and resolved again counts its first.'),
  })
  timeToResolve!: DurationFiguresNode;

  @Field(() => Int, { description: bilingual('曾经超时的工单数（有 DEADLINE_PASSED 事件）。', 'Tickets that went past their deadline (a DEADLINE_PASSED event).') })
  overdueTickets!: number;

  @Field(() => Int, { description: bilingual('对这些工单发出的超时催促次数（REMINDED 事件）。', 'Deadline reminders sent about those tickets (REMINDED events).') })
  remindersSent!: number;

  @Field(() => Int, { description: bilingual('这些工单的升级次数（ESCALATED 事件）。', 'Escalations of those tickets (ESCALATED events).') })
  escalations!: number;

  @Field(() => [ProductCountNode], { description: bilingual('涉及的产品（去重，没填产品的工单不计），工单多的在前，同样多的按名称（拼音）排列。', 'The products involved (distinct; tickets without one are left out), most tickets first, then by name (pinyin).') })
  products!: ProductCountNode[];

  @Field({ description: bilingual('这份报告的企业微信 Markdown 文本，可直接粘贴到群聊（与 ?format=markdown 相同）。', 'The report as WeCom markdown, to paste into a chat (as ?format=markdown).') })
  markdown!: string;

  static from(report: CustomerReport): CustomerReportNode {
    return Object.assign(new CustomerReportNode(), report, {
      customer: CustomerNode.from(report.customer),
      period: periodNode(report.period),
      markdown: renderCustomerReport(report),
    });
  }
}

@InterfaceType('ServiceFigures', {
  description: bilingual(
    '一组工单的服务数据（全部、未分配或一位负责人的）。未结工单和超时数是当前的快照，与统计周期无关；解决用时、SLA 超时率和催促次数只看统计周期内发生的。',
    'Service figures of a set of tickets (everyone\'s, the unassigned or one assignee\'s). Open and overdue counts are a snapshot of now, whatever the period; resolution times, the SLA breach rate and reminders count what happened in the period.',
  ),
})
export abstract class ServiceFiguresInterface {
  @Field(() => Int, { description: bilingual('当前的未结工单数（待分配、已分配、处理中、已升级）。', 'Open tickets now (pending, assigned, processing, escalated).') })
  openTickets!: number;

  @Field(() => [StatusCountNode], { description: bilingual('当前每个未结状态的工单数，按状态机顺序。', 'Open tickets now per open status, in the order of the status machine.') })
  openByStatus!: StatusCountNode[];

  @Field(() => Int, { description: bilingual('当前已过截止时间的未结工单数。', 'Open tickets past their deadline now.') })
  overdueNow!: number;

  @Field(() => DurationFiguresNode, {
    description: bilingual('首次解决落在统计周期内的工单，从创建到首次解决的用时（重新打开后再次解决的不算新的解决）。', 'Creation to first resolution, of the tickets first resolved in the period (resolving a reopened ticket again is no new resolution).'),
  })
  timeToResolve!: DurationFiguresNode;

  @Field(() => Int, { description: bilingual('其中晚于当时截止时间解决的工单数（截止时间取解决事件 ticket_after 中的 deadline）。', 'Of those, the tickets resolved after the deadline in force at resolution (the resolution event\'s ticket_after.deadline).') })
  resolvedLate!: number;

  @Field(() => Float, { nullable: true, description: bilingual('SLA 超时率：resolvedLate ÷ 周期内解决的工单数，0–1；周期内没有解决的工单时为 null。', 'SLA breach rate: resolvedLate ÷ the tickets resolved in the period, 0–1; null when none was resolved.') })
  slaBreachRate!: number | null;

  @Field(() => Int, { description: bilingual('统计周期内发出的超时催促次数（REMINDED 事件）。', 'Deadline reminders sent in the period (REMINDED events).') })
  remindersSent!: number;

  @Field(() => Int, { description: bilingual('统计周期内客户给出的满意度评价数（RATED 事件，按评价时的负责人计）。', 'Satisfaction ratings customers gave in the period (RATED events, counted for the assignee at the time).') })
  ratings!: number;

  @Field(() => Float, { nullable: true, description: bilingual('这些评价的平均分（1–5）；没有评价时为 null。', 'Their mean score (1–5); null when there were none.') })
  averageRating!: number | null;
}

@ObjectType('TicketSetFigures', {
  implements: ServiceFiguresInterface,
  simpleResolvers: true,
  description: bilingual('全部工单或未分配工单的服务数据。', 'The service figures of every ticket, or of the unassigned ones.'),
})
export class TicketSetFiguresNode extends ServiceFiguresInterface {}

@ObjectType('AssigneeServiceFigures', {
  implements: ServiceFiguresInterface,
  simpleResolvers: true,
  description: bilingual('一位负责人的服务数据：ServiceFigures 的各项，加上是谁。', 'One assignee\'s service figures: those of ServiceFigures, and who.'),
})
export class AssigneeServiceFiguresNode extends ServiceFiguresInterface {
  @Field({ description: bilingual('负责人的企业微信 userid。', 'The assignee\'s WeCom userid.') })
  userId!: string;

  @Field(() => String, { nullable: true, description: bilingual('负责人的姓名，取工单上记录的最新一个。', 'The assignee\'s name, the latest recorded on their tickets.') })
  name!: string | null;
}

@ObjectType('ServiceStats', {
  simpleResolvers: true,
  description: bilingual(
    '团队服务数据：总体、每位负责人和未分配的。解决归属于解决事件 ticket_after 中的负责人，催促归属于催促事件 ticket_after 中的负责人，未结工单归属于当前负责人；没有负责人的计入 unassigned，也计入 overall。',
    'The team\'s service figures: overall, per assignee and unassigned. A resolution counts for the assignee in its event\'s ticket_after, a reminder for the assignee in its event\'s ticket_after, an open ticket for its assignee now; without an assignee they count in unassigned, and in overall too.',
  ),
})
export class ServiceStatsNode {
  @Field(() => ReportPeriodNode, { description: bilingual('统计周期。', 'The period.') })
  period!: ReportPeriodNode;

  @Field(() => TicketSetFiguresNode, { description: bilingual('全部工单，包括没有负责人的。', 'Every ticket, unassigned ones included.') })
  overall!: TicketSetFiguresNode;

  @Field(() => TicketSetFiguresNode, { description: bilingual('没有负责人的工单（解决时、催促时或当前没有负责人）。', 'Tickets nobody owned (at resolution, at the reminder, or now for open ones).') })
  unassigned!: TicketSetFiguresNode;

  @Field(() => [AssigneeServiceFiguresNode], {
    description: bilingual('每位负责人：当前有未结工单、或在周期内有解决或催促的，按 userid 排列。', 'Each assignee with an open ticket now, or a resolution or a reminder in the period, by userid.'),
  })
  byAssignee!: AssigneeServiceFiguresNode[];

  static from(stats: ServiceStats): ServiceStatsNode {
    return Object.assign(new ServiceStatsNode(), stats, { period: periodNode(stats.period) });
  }
}
