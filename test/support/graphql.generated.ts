/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/**
 * 评论给谁看。
 * Who may read a comment.
 */
export type CommentVisibility =
  /**
   * 内部备注：只有员工能看到，客户永远看不到。
   * An internal note: staff only, never shown to the customer.
   */
  | 'INTERNAL'
  /**
   * 回复客户：客户在工单状态页能看到。
   * A reply to the customer: shown on their status page.
   */
  | 'PUBLIC';

/**
 * 新工单。客户先按手机号查找，再按完整姓名查找，都找不到就新建。
 * A new ticket. The customer is found by phone, then by exact name, else created.
 */
export type CreateTicketInput = {
  /**
   * 客户的公司；只补充空白，不覆盖已有的值。
   * The customer's company; fills a blank, never overwrites.
   */
  company?: string | null | undefined;
  /**
   * 客户姓名；手机号属于已知客户时可省略。
   * The customer's name; needed unless the phone belongs to a known customer.
   */
  customerName?: string | null | undefined;
  /**
   * 客户的中国大陆手机号（以 1 开头的 11 位数字）。
   * The customer's mainland mobile number (11 digits starting with 1).
   */
  customerPhone?: string | null | undefined;
  /**
   * 截止时间；默认为创建后的配置时长（24 小时）。
   * The deadline; defaults to the configured window (24 h) after creation.
   */
  deadline?: string | null | undefined;
  /**
   * 问题描述（必填）。
   * The problem (required).
   */
  description: string;
  /**
   * 优先级；省略时从描述推断（紧急/严重 → URGENT，高优先级 → HIGH）。
   * The priority; derived from the text when omitted (紧急/严重 → URGENT, 高优先级 → HIGH).
   */
  priority?: Priority | null | undefined;
  /**
   * 涉及的产品或项目。
   * The product or project concerned.
   */
  product?: string | null | undefined;
  /**
   * 标题；默认取问题描述的第一行。
   * The title; defaults to the first line of the description.
   */
  title?: string | null | undefined;
};

/**
 * 消息的送达渠道。
 * How a message reached people.
 */
export type DeliveryChannel =
  /**
   * 企业微信自建应用消息。
   * A WeCom self-built app message.
   */
  | 'APP_MESSAGE'
  /**
   * 开发渠道：由服务记录和保存（在配置企业微信之前使用）。
   * Development channel: logged and kept by the service (until WeCom is configured).
   */
  | 'DEV'
  /**
   * 企业微信群机器人（Webhook）。
   * The WeCom group robot webhook.
   */
  | 'GROUP_WEBHOOK'
  /**
   * 企业微信智能机器人。
   * The WeCom smart robot.
   */
  | 'SMART_ROBOT';

/**
 * 筛选发件箱消息：给出的条件必须同时满足。
 * Which outbox messages to list; all given criteria must hold.
 */
export type NotificationFilterInput = {
  /**
   * 只看这些类别的消息，例如 [ESCALATION]。
   * Only messages of these kinds, e.g. [ESCALATION].
   */
  kind?: Array<NotificationKind> | null | undefined;
  /**
   * 处于这些投递状态之一，例如 [DEAD] 查看发送失败的消息。
   * In one of these delivery states, e.g. [DEAD] for the dead letters.
   */
  status?: Array<NotificationStatus> | null | undefined;
  /**
   * 与这个工单相关的消息。
   * Messages about this ticket.
   */
  ticketId?: string | null | undefined;
};

/**
 * 消息的内容类别。
 * What a message for people is about.
 */
export type NotificationKind =
  /**
   * 分配通知：工单分配给某人后，私信告知此人（自建应用）。
   * Assignment: the new assignee is told in private (self-built app).
   */
  | 'ASSIGNMENT'
  /**
   * 工单即将超时：配置了提前提醒时，在截止时间前发送。
   * Deadline warning: sent before the deadline when an early warning is configured.
   */
  | 'DEADLINE_WARNING'
  /**
   * 工单已升级：多次催促后工单升级，通知主管。
   * Escalation: repeated reminders escalated the ticket; the leads are told.
   */
  | 'ESCALATION'
  /**
   * 新工单提醒：新工单的卡片，发到工单所在的群。
   * New ticket: the card sent to the ticket's group when it is created.
   */
  | 'NEW_TICKET'
  /**
   * 工单超时提醒：工单未解决且已过截止时间。
   * Reminder: the ticket is open and past its deadline.
   */
  | 'REMINDER'
  /**
   * 工单动态：工单被分配、改状态或改进度后，发到群里的一行说明。
   * Ticket update: the one-line note the ticket's group receives when it is assigned or its status or progress changes.
   */
  | 'TICKET_UPDATE';

/**
 * 消息的投递进度。
 * Where a message is on its way to people.
 */
export type NotificationStatus =
  /**
   * 已取消：发送前工单已解决、关闭或取消。
   * Cancelled: not sent, as its ticket was resolved, closed or cancelled first.
   */
  | 'CANCELLED'
  /**
   * 发送失败：所有重试都失败了；管理员可以重发（resendNotification）。
   * Dead: every attempt failed; an ADMIN can resend it (resendNotification).
   */
  | 'DEAD'
  /**
   * 待发送：等待投递，或失败后等待下一次重试。
   * Pending: waiting for delivery, or for its next attempt after a failure.
   */
  | 'PENDING'
  /**
   * 已发送。
   * Sent: delivered.
   */
  | 'SENT';

/**
 * 优先级。未指定时从问题描述推断：含“紧急”“严重”为 URGENT，“高优先级”为 HIGH，“低优先级”为 LOW，其余为 NORMAL。
 * Priority. When not given it is derived from the text: 紧急/严重 → URGENT, 高优先级 → HIGH, 低优先级 → LOW, otherwise NORMAL.
 */
export type Priority =
  /**
   * 高：尽快处理（卡片图标 ⬆️）。
   * High: to be handled soon (card icon ⬆️).
   */
  | 'HIGH'
  /**
   * 低：可以排在其他工单之后。
   * Low: may wait behind other tickets.
   */
  | 'LOW'
  /**
   * 普通：默认优先级（卡片图标 ➡️）。
   * Normal: the default (card icon ➡️).
   */
  | 'NORMAL'
  /**
   * 紧急：卡片和催促会 @所有人（卡片图标 🚨）。
   * Urgent: its card and reminders @-mention everyone (card icon 🚨).
   */
  | 'URGENT';

/**
 * 员工资料，按 userid 新建或更新。
 * A staff member's details, created or updated by userid.
 */
export type StaffInput = {
  /**
   * 别名：同事 @ 这位员工时用的其他名字。
   * Other names people use to @-mention them.
   */
  aliases?: Array<string> | null | undefined;
  /**
   * 显示名，与企业微信一致。
   * The display name, as in WeCom.
   */
  name: string;
  /**
   * 角色；新员工默认为 AGENT，更新时省略则保持不变。
   * The role; AGENT for a new member, unchanged on update when omitted.
   */
  role?: StaffRole | null | undefined;
  /**
   * 企业微信 userid。
   * The WeCom userid.
   */
  userId: string;
};

/**
 * 员工角色，逐级包含：主管可做客服能做的一切，管理员可做主管能做的一切。
 * Staff roles, ordered: LEAD may do what AGENT may, ADMIN what LEAD may.
 */
export type StaffRole =
  /**
   * 管理员：另外可以管理员工、重发消息、手动触发超时检查。
   * Admin: also manages staff, resends messages and runs the overdue check.
   */
  | 'ADMIN'
  /**
   * 客服：可以创建、分配、处理工单。
   * Agent: creates, assigns and works on tickets.
   */
  | 'AGENT'
  /**
   * 主管：另外会收到工单升级通知。
   * Lead: also notified when a ticket is escalated.
   */
  | 'LEAD';

/**
 * 客户在网站上提交的工单。客户按手机号查找，找不到就新建。
 * A ticket a customer submits on the website. The customer is found by phone, else created.
 */
export type SubmitTicketInput = {
  /**
   * 公司（可选）。
   * The company (optional).
   */
  company?: string | null | undefined;
  /**
   * 客户姓名（必填，最多 100 字）。
   * The customer's name (required, at most 100 characters).
   */
  name: string;
  /**
   * 中国大陆手机号（必填，以 1 开头的 11 位数字）。
   * A mainland mobile number (required, 11 digits starting with 1).
   */
  phone: string;
  /**
   * 问题描述（必填，最多 5000 字）。
   * The problem (required, at most 5000 characters).
   */
  problem: string;
  /**
   * 涉及的产品（可选）。
   * The product concerned (optional).
   */
  product?: string | null | undefined;
  /**
   * 防机器人字段：表单中隐藏，必须留空；填写了则拒绝提交。
   * Anti-bot field: hidden on the form, must stay empty; a submission that fills it is refused.
   */
  website?: string | null | undefined;
};

/**
 * 工单事件的类型（审计记录中的一条）。
 * The kind of an entry in a ticket's audit trail.
 */
export type TicketEventType =
  /**
   * 分配或转交：from 和 to 为原负责人和新负责人的 userid。
   * Assigned or handed over: from and to are the old and new assignee's userid.
   */
  | 'ASSIGNED'
  /**
   * 评论：to 为可见范围（PUBLIC 回复客户，INTERNAL 内部备注），note 为内容；工单本身不变（见 Ticket.comments）。
   * A comment: to is its visibility (PUBLIC, a reply to the customer; INTERNAL, a note among staff), note its body; the ticket itself is unchanged (see Ticket.comments).
   */
  | 'COMMENTED'
  /**
   * 创建工单。
   * The ticket was created.
   */
  | 'CREATED'
  /**
   * 客户补充说明：客户在工单状态页写下的补充（actorId 为 "customer"），note 为内容。
   * The customer added to their problem on their status page (actorId "customer"); note is what they wrote.
   */
  | 'CUSTOMER_NOTE'
  /**
   * 处理期限变更：from 和 to 为原截止时间和新截止时间（ISO 8601）。
   * Deadline changed: from and to are the old and new deadline (ISO 8601).
   */
  | 'DEADLINE_CHANGED'
  /**
   * 已超时：截止时间到了，工单仍未解决。
   * Deadline passed: the ticket was still open when its deadline passed.
   */
  | 'DEADLINE_PASSED'
  /**
   * 升级处理：有人升级，或多次催促后自动升级。
   * Escalated: by someone, or automatically after repeated reminders.
   */
  | 'ESCALATED'
  /**
   * 进度变更：from 和 to 为原进度和新进度（0–100）。
   * Progress changed: from and to are the old and new progress (0–100).
   */
  | 'PROGRESS_CHANGED'
  /**
   * 客户评价：to 为满意度 1–5，note 为评语；每次解决只能评价一次。
   * The customer rated the resolution: to is the score, 1–5, note their comment; once per resolution.
   */
  | 'RATED'
  /**
   * 超时催促：发出了一次超时提醒（见 Ticket.reminders）。
   * Reminded: a deadline reminder was issued (see Ticket.reminders).
   */
  | 'REMINDED'
  /**
   * 状态变更：from 和 to 为原状态和新状态。
   * Status changed: from and to are the old and new status.
   */
  | 'STATUS_CHANGED';

/**
 * 筛选工单：给出的条件必须同时满足。
 * Which tickets to list; all given criteria must hold.
 */
export type TicketFilter = {
  /**
   * 负责人的企业微信 userid。
   * The assignee's WeCom userid.
   */
  assignee?: string | null | undefined;
  /**
   * 这位客户的工单（Customer.id）。
   * This customer's tickets (Customer.id).
   */
  customerId?: string | null | undefined;
  /**
   * 客户姓名（完全一致）。
   * The customer's name, exactly.
   */
  customerName?: string | null | undefined;
  /**
   * 客户姓名的开头（"张" 可找到张三、张三丰；不做模糊匹配）。
   * The start of the customer's name ("张" finds 张三 and 张三丰; no fuzzy matching).
   */
  customerNamePrefix?: string | null | undefined;
  /**
   * 客户手机号（11 位大陆手机号，可带空格、横线或 +86）。
   * The customer's phone (11-digit mainland mobile; spaces, dashes and +86 are accepted).
   */
  customerPhone?: string | null | undefined;
  /**
   * true：已超时的未结工单；false：其余工单。
   * true: open tickets past their deadline; false: all others.
   */
  overdue?: boolean | null | undefined;
  /**
   * 属于这些优先级之一。
   * Of one of these priorities.
   */
  priority?: Array<Priority> | null | undefined;
  /**
   * 处于这些状态之一。
   * In one of these statuses.
   */
  status?: Array<TicketStatus> | null | undefined;
  /**
   * 标题或描述中包含的文字。
   * Text contained in the title or description.
   */
  text?: string | null | undefined;
};

/**
 * 工单状态。待分配 → 已分配 → 处理中 → 已解决 → 已关闭；任何未结状态都可升级或取消，已解决的工单可以重新打开。已关闭和已取消为终态。
 * A ticket's status. PENDING → ASSIGNED → PROCESSING → RESOLVED → CLOSED; any open status may be escalated or cancelled, and a resolved ticket may be reopened. CLOSED and CANCELLED are final.
 */
export type TicketStatus =
  /**
   * 已分配：有了负责人，尚未开始处理。
   * Assigned: it has an assignee who has not started on it yet.
   */
  | 'ASSIGNED'
  /**
   * 已取消：终态，不再处理。
   * Cancelled: final, it will not be worked on.
   */
  | 'CANCELLED'
  /**
   * 已关闭：终态，不能再修改。
   * Closed: final, no further changes.
   */
  | 'CLOSED'
  /**
   * 已升级：多次催促未处理，或有人升级处理；主管已收到通知。
   * Escalated: repeated reminders went unanswered, or someone escalated it; the leads have been told.
   */
  | 'ESCALATED'
  /**
   * 待分配：新建的工单，还没有负责人。
   * Pending: a new ticket that has no assignee yet.
   */
  | 'PENDING'
  /**
   * 处理中：负责人正在处理（聊天中回复“已处理”，进度 80%）。
   * Processing: the assignee is working on it (“已处理” in chat, progress 80%).
   */
  | 'PROCESSING'
  /**
   * 已解决：问题已解决，进度 100%；还可以关闭或重新打开。
   * Resolved: the problem is solved, progress 100%; it may still be closed or reopened.
   */
  | 'RESOLVED';

/**
 * 只关注哪些更新：给出的条件必须同时满足。状态和负责人也匹配离开它们的变化（从所关注的状态或负责人改走），这样“我的未结工单”视图能得知某个工单离开了它。
 * Which updates to follow; all given criteria must hold. Status and assignee also match a change away from them (from the followed status, or from the followed assignee), so a view of "my open tickets" learns when one leaves it.
 */
export type TicketSubscriptionFilter = {
  /**
   * 负责人的企业微信 userid。
   * The assignee's WeCom userid.
   */
  assignee?: string | null | undefined;
  /**
   * 只关注这位客户的工单。
   * Only this customer's tickets.
   */
  customerId?: string | null | undefined;
  /**
   * 属于这些优先级之一的工单。
   * Tickets of one of these priorities.
   */
  priority?: Array<Priority> | null | undefined;
  /**
   * 处于或离开这些状态之一的工单。
   * Tickets in, or leaving, one of these statuses.
   */
  status?: Array<TicketStatus> | null | undefined;
  /**
   * 只关注这个工单。
   * Only this ticket.
   */
  ticketId?: string | null | undefined;
  /**
   * 只关注这些类型的事件，例如 [CREATED] 只看新工单。
   * Only these kinds of event, e.g. [CREATED] for new tickets.
   */
  types?: Array<TicketEventType> | null | undefined;
};

export type AddTicketCommentMutationVariables = Exact<{
  id: string;
  body: string;
  visibility: CommentVisibility;
}>;


export type AddTicketCommentMutation = { addTicketComment: { id: string, ticketId: string, visibility: CommentVisibility, body: string, authorId: string, authorName: string | null, createdAt: string } };

export type TicketCommentsQueryVariables = Exact<{
  id: string;
}>;


export type TicketCommentsQuery = { ticket: { id: string, version: number, updatedAt: string, comments: Array<{ id: string, visibility: CommentVisibility, body: string, authorName: string | null }>, events: Array<{ type: TicketEventType, to: string | null, note: string | null }> } };

export type TicketStatusLinkQueryVariables = Exact<{
  id: string;
}>;


export type TicketStatusLinkQuery = { ticket: { id: string, statusLink: string } };

export type RevokeStatusLinkMutationVariables = Exact<{
  id: string;
}>;


export type RevokeStatusLinkMutation = { revokeStatusLink: string };

export type TicketEventLogQueryVariables = Exact<{
  id: string;
}>;


export type TicketEventLogQuery = { ticket: { events: Array<{ type: TicketEventType, actorId: string, actorName: string | null, to: string | null, note: string | null }> } };

export type TeamRatingsQueryVariables = Exact<{ [key: string]: never; }>;


export type TeamRatingsQuery = { serviceStats: { overall: { ratings: number, averageRating: number | null }, byAssignee: Array<{ userId: string, ratings: number, averageRating: number | null }> } };

export type CustomerQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
}>;


export type CustomerQuery = { customer: { id: string, name: string, phone: string | null, company: string | null, createdAt: string, tickets: Array<{ id: string, title: string, status: TicketStatus }> } };

export type CustomersQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CustomersQuery = { customers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, phone: string | null, company: string | null } }> } };

export type CustomerSummaryQueryVariables = Exact<{
  id: string;
}>;


export type CustomerSummaryQuery = { customer: { id: string, summary: { totalTickets: number, pendingTickets: number, resolvedTickets: number, products: Array<string>, customerSince: string, recentTickets: Array<{ id: string, status: TicketStatus }> } } };

export type TicketUpdatedSubscriptionVariables = Exact<{
  filter?: TicketSubscriptionFilter | null | undefined;
  afterEventId?: string | null | undefined;
}>;


export type TicketUpdatedSubscription = { ticketUpdated: { event: { id: string, type: TicketEventType, ticketId: string, from: string | null, to: string | null, actorId: string }, ticket: { id: string, status: TicketStatus, priority: Priority, assignedTo: string | null, version: number, customer: { name: string } } } };

export type TicketStatsQueryVariables = Exact<{ [key: string]: never; }>;


export type TicketStatsQuery = { ticketStats: { total: number, open: number, overdue: number, byStatus: Array<{ status: TicketStatus, count: number }>, byPriority: Array<{ priority: Priority, count: number }> } };

export type ChangeTicketDeadlineMutationVariables = Exact<{
  id: string;
  deadline: string;
  note?: string | null | undefined;
}>;


export type ChangeTicketDeadlineMutation = { changeTicketDeadline: { id: string, deadline: string, status: TicketStatus } };

export type RunRemindersMutationVariables = Exact<{ [key: string]: never; }>;


export type RunRemindersMutation = { runReminders: { overdueCount: number, remindersSent: number, jobsRepaired: number } };

export type NotificationsQueryVariables = Exact<{
  filter?: NotificationFilterInput | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type NotificationsQuery = { notifications: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, kind: NotificationKind, ticketId: string | null, conversation: string, text: string, mentionedUserIds: Array<string>, mentionAll: boolean, status: NotificationStatus, attempts: number, lastError: string | null, channel: DeliveryChannel | null, createdAt: string, sentAt: string | null } }> } };

export type ResendNotificationMutationVariables = Exact<{
  id: string;
}>;


export type ResendNotificationMutation = { resendNotification: { id: string, status: NotificationStatus, attempts: number } };

export type TicketRemindersQueryVariables = Exact<{
  id: string;
}>;


export type TicketRemindersQuery = { ticket: { id: string, status: TicketStatus, reminderCount: number, lastReminderAt: string | null, overdue: boolean, events: Array<{ type: TicketEventType, actorId: string, from: string | null, to: string | null, note: string | null }>, reminders: Array<{ sequence: number, sentAt: string, mentionedUserIds: Array<string>, mentionAll: boolean, notification: { id: string, kind: NotificationKind, status: NotificationStatus, channel: DeliveryChannel | null, text: string, mentionedUserIds: Array<string>, mentionAll: boolean } | null }> } };

export type DurationsFragment = { tickets: number, meanSeconds: number | null, p90Seconds: number | null };

type Figures_AssigneeServiceFigures_Fragment = { openTickets: number, overdueNow: number, resolvedLate: number, slaBreachRate: number | null, remindersSent: number, openByStatus: Array<{ status: TicketStatus, count: number }>, timeToResolve: { tickets: number, meanSeconds: number | null, p90Seconds: number | null } };

type Figures_TicketSetFigures_Fragment = { openTickets: number, overdueNow: number, resolvedLate: number, slaBreachRate: number | null, remindersSent: number, openByStatus: Array<{ status: TicketStatus, count: number }>, timeToResolve: { tickets: number, meanSeconds: number | null, p90Seconds: number | null } };

export type FiguresFragment =
  | Figures_AssigneeServiceFigures_Fragment
  | Figures_TicketSetFigures_Fragment
;

export type CustomerReportQueryVariables = Exact<{
  customerId: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type CustomerReportQuery = { customerReport: { totalTickets: number, overdueTickets: number, remindersSent: number, escalations: number, markdown: string, customer: { id: string, name: string }, period: { from: string, to: string, start: string, end: string, days: number }, byStatus: Array<{ status: TicketStatus, count: number }>, byPriority: Array<{ priority: Priority, count: number }>, timeToAssign: { tickets: number, meanSeconds: number | null, p90Seconds: number | null }, timeToResolve: { tickets: number, meanSeconds: number | null, p90Seconds: number | null }, products: Array<{ product: string, count: number }> } };

export type ServiceStatsQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type ServiceStatsQuery = { serviceStats: { period: { from: string, to: string, start: string, end: string, days: number }, overall: { openTickets: number, overdueNow: number, resolvedLate: number, slaBreachRate: number | null, remindersSent: number, openByStatus: Array<{ status: TicketStatus, count: number }>, timeToResolve: { tickets: number, meanSeconds: number | null, p90Seconds: number | null } }, unassigned: { openTickets: number, overdueNow: number, resolvedLate: number, slaBreachRate: number | null, remindersSent: number, openByStatus: Array<{ status: TicketStatus, count: number }>, timeToResolve: { tickets: number, meanSeconds: number | null, p90Seconds: number | null } }, byAssignee: Array<{ userId: string, name: string | null, openTickets: number, overdueNow: number, resolvedLate: number, slaBreachRate: number | null, remindersSent: number, openByStatus: Array<{ status: TicketStatus, count: number }>, timeToResolve: { tickets: number, meanSeconds: number | null, p90Seconds: number | null } }> } };

export type SimilarTicketsQueryVariables = Exact<{
  text: string;
  customerId?: string | null | undefined;
  limit?: number | null | undefined;
}>;


export type SimilarTicketsQuery = { similarTickets: Array<{ score: number, ticket: { id: string, title: string, status: TicketStatus }, resolution: { note: string, resolvedAt: string, resolvedBy: string } | null }> };

export type UpsertStaffMutationVariables = Exact<{
  input: StaffInput;
}>;


export type UpsertStaffMutation = { upsertStaff: { id: string, userId: string, name: string, aliases: Array<string>, role: StaffRole } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { userId: string, name: string, role: StaffRole } | null };

export type StaffMembersQueryVariables = Exact<{
  search?: string | null | undefined;
}>;


export type StaffMembersQuery = { staffMembers: Array<{ userId: string, name: string, aliases: Array<string>, role: StaffRole }> };

export type SubmitTicketMutationVariables = Exact<{
  input: SubmitTicketInput;
}>;


export type SubmitTicketMutation = { submitTicket: { id: string, status: TicketStatus, createdAt: string, duplicate: boolean, statusLink: string } };

export type TicketFieldsFragment = { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, overdue: boolean, createdBy: string | null, createdAt: string, updatedAt: string, resolvedAt: string | null, closedAt: string | null, version: number, customer: { id: string, name: string, phone: string | null, company: string | null } };

export type CreateTicketMutationVariables = Exact<{
  input: CreateTicketInput;
}>;


export type CreateTicketMutation = { createTicket: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, overdue: boolean, createdBy: string | null, createdAt: string, updatedAt: string, resolvedAt: string | null, closedAt: string | null, version: number, customer: { id: string, name: string, phone: string | null, company: string | null } } };

export type AssignTicketMutationVariables = Exact<{
  id: string;
  assignee: string;
  note?: string | null | undefined;
  expectedVersion?: number | null | undefined;
}>;


export type AssignTicketMutation = { assignTicket: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, overdue: boolean, createdBy: string | null, createdAt: string, updatedAt: string, resolvedAt: string | null, closedAt: string | null, version: number, customer: { id: string, name: string, phone: string | null, company: string | null } } };

export type UpdateTicketStatusMutationVariables = Exact<{
  id: string;
  status: TicketStatus;
  note?: string | null | undefined;
  progress?: number | null | undefined;
}>;


export type UpdateTicketStatusMutation = { updateTicketStatus: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, overdue: boolean, createdBy: string | null, createdAt: string, updatedAt: string, resolvedAt: string | null, closedAt: string | null, version: number, customer: { id: string, name: string, phone: string | null, company: string | null } } };

export type TicketQueryVariables = Exact<{
  id: string;
}>;


export type TicketQuery = { ticket: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, overdue: boolean, createdBy: string | null, createdAt: string, updatedAt: string, resolvedAt: string | null, closedAt: string | null, version: number, events: Array<{ id: string, ticketId: string, type: TicketEventType, actorId: string, actorName: string | null, from: string | null, to: string | null, note: string | null, createdAt: string }>, reminders: Array<{ id: string, sequence: number, sentAt: string, mentionedUserIds: Array<string>, mentionAll: boolean, notification: { id: string, status: NotificationStatus, channel: DeliveryChannel | null } | null }>, customer: { id: string, name: string, phone: string | null, company: string | null } } };

export type TicketsQueryVariables = Exact<{
  filter?: TicketFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type TicketsQuery = { tickets: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, title: string, status: TicketStatus, priority: Priority, assignedTo: string | null, overdue: boolean, customer: { id: string, name: string } } }> } };

export type TicketsWithEverythingQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type TicketsWithEverythingQuery = { tickets: { edges: Array<{ node: { id: string, customer: { id: string, name: string, tickets: Array<{ id: string }> }, events: Array<{ id: string, type: TicketEventType }>, reminders: Array<{ id: string }> } }> } };

export type GroupWebhooksQueryVariables = Exact<{ [key: string]: never; }>;


export type GroupWebhooksQuery = { groupWebhooks: Array<{ chatId: string | null, label: string, dead: boolean, deadAt: string | null, lastError: string | null, updatedAt: string }> };

export type SetGroupWebhookMutationVariables = Exact<{
  chatId?: string | null | undefined;
  url: string;
}>;


export type SetGroupWebhookMutation = { setGroupWebhook: { chatId: string | null, label: string, dead: boolean } };

export type RemoveGroupWebhookMutationVariables = Exact<{
  chatId?: string | null | undefined;
}>;


export type RemoveGroupWebhookMutation = { removeGroupWebhook: boolean };

export const DurationsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Durations"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DurationFigures"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"}},{"kind":"Field","name":{"kind":"Name","value":"meanSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"p90Seconds"}}]}}]} as unknown as DocumentNode<DurationsFragment, unknown>;
export const FiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Figures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceFigures"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openTickets"}},{"kind":"Field","name":{"kind":"Name","value":"openByStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"overdueNow"}},{"kind":"Field","name":{"kind":"Name","value":"timeToResolve"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Durations"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resolvedLate"}},{"kind":"Field","name":{"kind":"Name","value":"slaBreachRate"}},{"kind":"Field","name":{"kind":"Name","value":"remindersSent"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Durations"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DurationFigures"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"}},{"kind":"Field","name":{"kind":"Name","value":"meanSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"p90Seconds"}}]}}]} as unknown as DocumentNode<FiguresFragment, unknown>;
export const TicketFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TicketFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<TicketFieldsFragment, unknown>;
export const AddTicketCommentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddTicketComment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"body"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"visibility"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CommentVisibility"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addTicketComment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"body"},"value":{"kind":"Variable","name":{"kind":"Name","value":"body"}}},{"kind":"Argument","name":{"kind":"Name","value":"visibility"},"value":{"kind":"Variable","name":{"kind":"Name","value":"visibility"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"ticketId"}},{"kind":"Field","name":{"kind":"Name","value":"visibility"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"authorId"}},{"kind":"Field","name":{"kind":"Name","value":"authorName"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<AddTicketCommentMutation, AddTicketCommentMutationVariables>;
export const TicketCommentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketComments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"comments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"visibility"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"authorName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"note"}}]}}]}}]}}]} as unknown as DocumentNode<TicketCommentsQuery, TicketCommentsQueryVariables>;
export const TicketStatusLinkDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketStatusLink"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"statusLink"}}]}}]}}]} as unknown as DocumentNode<TicketStatusLinkQuery, TicketStatusLinkQueryVariables>;
export const RevokeStatusLinkDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeStatusLink"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeStatusLink"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RevokeStatusLinkMutation, RevokeStatusLinkMutationVariables>;
export const TicketEventLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketEventLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"actorName"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"note"}}]}}]}}]}}]} as unknown as DocumentNode<TicketEventLogQuery, TicketEventLogQueryVariables>;
export const TeamRatingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TeamRatings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"overall"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ratings"}},{"kind":"Field","name":{"kind":"Name","value":"averageRating"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byAssignee"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"ratings"}},{"kind":"Field","name":{"kind":"Name","value":"averageRating"}}]}}]}}]}}]} as unknown as DocumentNode<TeamRatingsQuery, TeamRatingsQueryVariables>;
export const CustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"tickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<CustomerQuery, CustomerQueryVariables>;
export const CustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CustomersQuery, CustomersQueryVariables>;
export const CustomerSummaryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerSummary"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"summary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalTickets"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTickets"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedTickets"}},{"kind":"Field","name":{"kind":"Name","value":"products"}},{"kind":"Field","name":{"kind":"Name","value":"customerSince"}},{"kind":"Field","name":{"kind":"Name","value":"recentTickets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CustomerSummaryQuery, CustomerSummaryQueryVariables>;
export const TicketUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TicketUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TicketSubscriptionFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterEventId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticketUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterEventId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterEventId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"event"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"ticketId"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ticket"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TicketUpdatedSubscription, TicketUpdatedSubscriptionVariables>;
export const TicketStatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticketStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"byStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byPriority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<TicketStatsQuery, TicketStatsQueryVariables>;
export const ChangeTicketDeadlineDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChangeTicketDeadline"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deadline"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"note"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeTicketDeadline"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"deadline"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deadline"}}},{"kind":"Argument","name":{"kind":"Name","value":"note"},"value":{"kind":"Variable","name":{"kind":"Name","value":"note"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<ChangeTicketDeadlineMutation, ChangeTicketDeadlineMutationVariables>;
export const RunRemindersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RunReminders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runReminders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"overdueCount"}},{"kind":"Field","name":{"kind":"Name","value":"remindersSent"}},{"kind":"Field","name":{"kind":"Name","value":"jobsRepaired"}}]}}]}}]} as unknown as DocumentNode<RunRemindersMutation, RunRemindersMutationVariables>;
export const NotificationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Notifications"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationFilterInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notifications"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"ticketId"}},{"kind":"Field","name":{"kind":"Name","value":"conversation"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"mentionedUserIds"}},{"kind":"Field","name":{"kind":"Name","value":"mentionAll"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"sentAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<NotificationsQuery, NotificationsQueryVariables>;
export const ResendNotificationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResendNotification"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resendNotification"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}}]}}]}}]} as unknown as DocumentNode<ResendNotificationMutation, ResendNotificationMutationVariables>;
export const TicketRemindersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketReminders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reminderCount"}},{"kind":"Field","name":{"kind":"Name","value":"lastReminderAt"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"note"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reminders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"sentAt"}},{"kind":"Field","name":{"kind":"Name","value":"mentionedUserIds"}},{"kind":"Field","name":{"kind":"Name","value":"mentionAll"}},{"kind":"Field","name":{"kind":"Name","value":"notification"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"mentionedUserIds"}},{"kind":"Field","name":{"kind":"Name","value":"mentionAll"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TicketRemindersQuery, TicketRemindersQueryVariables>;
export const CustomerReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"period"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"days"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalTickets"}},{"kind":"Field","name":{"kind":"Name","value":"byStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byPriority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"timeToAssign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Durations"}}]}},{"kind":"Field","name":{"kind":"Name","value":"timeToResolve"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Durations"}}]}},{"kind":"Field","name":{"kind":"Name","value":"overdueTickets"}},{"kind":"Field","name":{"kind":"Name","value":"remindersSent"}},{"kind":"Field","name":{"kind":"Name","value":"escalations"}},{"kind":"Field","name":{"kind":"Name","value":"products"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"markdown"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Durations"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DurationFigures"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"}},{"kind":"Field","name":{"kind":"Name","value":"meanSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"p90Seconds"}}]}}]} as unknown as DocumentNode<CustomerReportQuery, CustomerReportQueryVariables>;
export const ServiceStatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServiceStats"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"days"}}]}},{"kind":"Field","name":{"kind":"Name","value":"overall"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Figures"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unassigned"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Figures"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byAssignee"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"Figures"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Durations"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DurationFigures"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"}},{"kind":"Field","name":{"kind":"Name","value":"meanSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"p90Seconds"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Figures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceFigures"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openTickets"}},{"kind":"Field","name":{"kind":"Name","value":"openByStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"overdueNow"}},{"kind":"Field","name":{"kind":"Name","value":"timeToResolve"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Durations"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resolvedLate"}},{"kind":"Field","name":{"kind":"Name","value":"slaBreachRate"}},{"kind":"Field","name":{"kind":"Name","value":"remindersSent"}}]}}]} as unknown as DocumentNode<ServiceStatsQuery, ServiceStatsQueryVariables>;
export const SimilarTicketsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SimilarTickets"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"text"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"similarTickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"text"},"value":{"kind":"Variable","name":{"kind":"Name","value":"text"}}},{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"ticket"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resolution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"note"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedBy"}}]}}]}}]}}]} as unknown as DocumentNode<SimilarTicketsQuery, SimilarTicketsQueryVariables>;
export const UpsertStaffDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpsertStaff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StaffInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"upsertStaff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<UpsertStaffMutation, UpsertStaffMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const StaffMembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StaffMembers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"staffMembers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<StaffMembersQuery, StaffMembersQueryVariables>;
export const SubmitTicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SubmitTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SubmitTicketInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitTicket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"duplicate"}},{"kind":"Field","name":{"kind":"Name","value":"statusLink"}}]}}]}}]} as unknown as DocumentNode<SubmitTicketMutation, SubmitTicketMutationVariables>;
export const CreateTicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTicketInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTicket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TicketFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TicketFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<CreateTicketMutation, CreateTicketMutationVariables>;
export const AssignTicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AssignTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"assignee"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"note"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignTicket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"assignee"},"value":{"kind":"Variable","name":{"kind":"Name","value":"assignee"}}},{"kind":"Argument","name":{"kind":"Name","value":"note"},"value":{"kind":"Variable","name":{"kind":"Name","value":"note"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TicketFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TicketFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<AssignTicketMutation, AssignTicketMutationVariables>;
export const UpdateTicketStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateTicketStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TicketStatus"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"note"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"progress"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateTicketStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"note"},"value":{"kind":"Variable","name":{"kind":"Name","value":"note"}}},{"kind":"Argument","name":{"kind":"Name","value":"progress"},"value":{"kind":"Variable","name":{"kind":"Name","value":"progress"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TicketFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TicketFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<UpdateTicketStatusMutation, UpdateTicketStatusMutationVariables>;
export const TicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Ticket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TicketFields"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"ticketId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"actorName"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"note"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reminders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"sentAt"}},{"kind":"Field","name":{"kind":"Name","value":"mentionedUserIds"}},{"kind":"Field","name":{"kind":"Name","value":"mentionAll"}},{"kind":"Field","name":{"kind":"Name","value":"notification"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TicketFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<TicketQuery, TicketQueryVariables>;
export const TicketsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Tickets"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TicketFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TicketsQuery, TicketsQueryVariables>;
export const TicketsWithEverythingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketsWithEverything"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"3"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reminders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TicketsWithEverythingQuery, TicketsWithEverythingQueryVariables>;
export const GroupWebhooksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GroupWebhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groupWebhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"dead"}},{"kind":"Field","name":{"kind":"Name","value":"deadAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]} as unknown as DocumentNode<GroupWebhooksQuery, GroupWebhooksQueryVariables>;
export const SetGroupWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetGroupWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"chatId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"url"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setGroupWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"chatId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"chatId"}}},{"kind":"Argument","name":{"kind":"Name","value":"url"},"value":{"kind":"Variable","name":{"kind":"Name","value":"url"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"dead"}}]}}]}}]} as unknown as DocumentNode<SetGroupWebhookMutation, SetGroupWebhookMutationVariables>;
export const RemoveGroupWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveGroupWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"chatId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeGroupWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"chatId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"chatId"}}}]}]}}]} as unknown as DocumentNode<RemoveGroupWebhookMutation, RemoveGroupWebhookMutationVariables>;