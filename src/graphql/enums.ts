import { registerEnumType } from 'type-graphql';
import { DeliveryChannel, NotificationKind, NotificationStatus } from '../domain/notification.js';
import { Priority } from '../domain/priority.js';
import { StaffRole } from '../domain/staff-role.js';
import { CommentVisibility } from '../domain/ticket-comment.js';
import { TicketEventType } from '../domain/ticket-event.js';
import { TicketStatus } from '../domain/ticket-status.js';
import { bilingual } from './bilingual.js';

const value = (zh: string, en: string) => ({ description: bilingual(zh, en) });

registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  description:
    bilingual('工单状态。待分配 → 已分配 → 处理中 → 已解决 → 已关闭；任何未结状态都可升级或取消，已解决的工单可以重新打开。已关闭和已取消为终态。', 'A ticket\'s status. PENDING → ASSIGNED → PROCESSING → RESOLVED → CLOSED; any open status may be escalated or cancelled, and a resolved ticket may be reopened. CLOSED and CANCELLED are final.'),
  valuesConfig: {
    PENDING: value('待分配：新建的工单，还没有负责人。', 'Pending: a new ticket that has no assignee yet.'),
    ASSIGNED: value('已分配：有了负责人，尚未开始处理。', 'Assigned: it has an assignee who has not started on it yet.'),
    PROCESSING: value('处理中：负责人正在处理（聊天中回复“已处理”，进度 80%）。', 'Processing: the assignee is working on it (“已处理” in chat, progress 80%).'),
    RESOLVED: value('已解决：问题已解决，进度 100%；还可以关闭或重新打开。', 'Resolved: the problem is solved, progress 100%; it may still be closed or reopened.'),
    CLOSED: value('已关闭：终态，不能再修改。', 'Closed: final, no further changes.'),
    ESCALATED: value('已升级：多次催促未处理，或有人升级处理；主管已收到通知。', 'Escalated: repeated reminders went unanswered, or someone escalated it; the leads have been told.'),
    CANCELLED: value('已取消：终态，不再处理。', 'Cancelled: final, it will not be worked on.'),
  },
});

registerEnumType(Priority, {
  name: 'Priority',
  description:
    bilingual('优先级。未指定时从问题描述推断：含“紧急”“严重”为 URGENT，“高优先级”为 HIGH，“低优先级”为 LOW，其余为 NORMAL。', 'Priority. When not given it is derived from the text: 紧急/严重 → URGENT, 高优先级 → HIGH, 低优先级 → LOW, otherwise NORMAL.'),
  valuesConfig: {
    LOW: value('低：可以排在其他工单之后。', 'Low: may wait behind other tickets.'),
    NORMAL: value('普通：默认优先级（卡片图标 ➡️）。', 'Normal: the default (card icon ➡️).'),
    HIGH: value('高：尽快处理（卡片图标 ⬆️）。', 'High: to be handled soon (card icon ⬆️).'),
    URGENT: value('紧急：卡片和催促会 @所有人（卡片图标 🚨）。', 'Urgent: its card and reminders @-mention everyone (card icon 🚨).'),
  },
});

registerEnumType(StaffRole, {
  name: 'StaffRole',
  description: bilingual('员工角色，逐级包含：主管可做客服能做的一切，管理员可做主管能做的一切。', 'Staff roles, ordered: LEAD may do what AGENT may, ADMIN what LEAD may.'),
  valuesConfig: {
    AGENT: value('客服：可以创建、分配、处理工单。', 'Agent: creates, assigns and works on tickets.'),
    LEAD: value('主管：另外会收到工单升级通知。', 'Lead: also notified when a ticket is escalated.'),
    ADMIN: value('管理员：另外可以管理员工、重发消息、手动触发超时检查。', 'Admin: also manages staff, resends messages and runs the overdue check.'),
  },
});

registerEnumType(TicketEventType, {
  name: 'TicketEventType',
  description: bilingual('工单事件的类型（审计记录中的一条）。', 'The kind of an entry in a ticket\'s audit trail.'),
  valuesConfig: {
    CREATED: value('创建工单。', 'The ticket was created.'),
    ASSIGNED: value('分配或转交：from 和 to 为原负责人和新负责人的 userid。', 'Assigned or handed over: from and to are the old and new assignee\'s userid.'),
    STATUS_CHANGED: value('状态变更：from 和 to 为原状态和新状态。', 'Status changed: from and to are the old and new status.'),
    PROGRESS_CHANGED: value('进度变更：from 和 to 为原进度和新进度（0–100）。', 'Progress changed: from and to are the old and new progress (0–100).'),
    ESCALATED: value('升级处理：有人升级，或多次催促后自动升级。', 'Escalated: by someone, or automatically after repeated reminders.'),
    REMINDED: value('超时催促：发出了一次超时提醒（见 Ticket.reminders）。', 'Reminded: a deadline reminder was issued (see Ticket.reminders).'),
    DEADLINE_PASSED: value('已超时：截止时间到了，工单仍未解决。', 'Deadline passed: the ticket was still open when its deadline passed.'),
    DEADLINE_CHANGED: value('处理期限变更：from 和 to 为原截止时间和新截止时间（ISO 8601）。', 'Deadline changed: from and to are the old and new deadline (ISO 8601).'),
    COMMENTED: value('评论：to 为可见范围（PUBLIC 回复客户，INTERNAL 内部备注），note 为内容；工单本身不变（见 Ticket.comments）。', 'A comment: to is its visibility (PUBLIC, a reply to the customer; INTERNAL, a note among staff), note its body; the ticket itself is unchanged (see Ticket.comments).'),
    CUSTOMER_NOTE: value('客户补充说明：客户在工单状态页写下的补充（actorId 为 "customer"），note 为内容。', 'The customer added to their problem on their status page (actorId "customer"); note is what they wrote.'),
    RATED: value('客户评价：to 为满意度 1–5，note 为评语；每次解决只能评价一次。', 'The customer rated the resolution: to is the score, 1–5, note their comment; once per resolution.'),
  },
});

registerEnumType(CommentVisibility, {
  name: 'CommentVisibility',
  description: bilingual('评论给谁看。', 'Who may read a comment.'),
  valuesConfig: {
    PUBLIC: value('回复客户：客户在工单状态页能看到。', 'A reply to the customer: shown on their status page.'),
    INTERNAL: value('内部备注：只有员工能看到，客户永远看不到。', 'An internal note: staff only, never shown to the customer.'),
  },
});

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: bilingual('消息的内容类别。', 'What a message for people is about.'),
  valuesConfig: {
    DEADLINE_WARNING: value('工单即将超时：配置了提前提醒时，在截止时间前发送。', 'Deadline warning: sent before the deadline when an early warning is configured.'),
    REMINDER: value('工单超时提醒：工单未解决且已过截止时间。', 'Reminder: the ticket is open and past its deadline.'),
    ESCALATION: value('工单已升级：多次催促后工单升级，通知主管。', 'Escalation: repeated reminders escalated the ticket; the leads are told.'),
    NEW_TICKET: value('新工单提醒：新工单的卡片，发到工单所在的群。', 'New ticket: the card sent to the ticket\'s group when it is created.'),
    ASSIGNMENT: value('分配通知：工单分配给某人后，私信告知此人（自建应用）。', 'Assignment: the new assignee is told in private (self-built app).'),
    TICKET_UPDATE: value('工单动态：工单被分配、改状态或改进度后，发到群里的一行说明。', 'Ticket update: the one-line note the ticket\'s group receives when it is assigned or its status or progress changes.'),
  },
});

registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: bilingual('消息的投递进度。', 'Where a message is on its way to people.'),
  valuesConfig: {
    PENDING: value('待发送：等待投递，或失败后等待下一次重试。', 'Pending: waiting for delivery, or for its next attempt after a failure.'),
    SENT: value('已发送。', 'Sent: delivered.'),
    DEAD: value('发送失败：所有重试都失败了；管理员可以重发（resendNotification）。', 'Dead: every attempt failed; an ADMIN can resend it (resendNotification).'),
    CANCELLED: value('已取消：发送前工单已解决、关闭或取消。', 'Cancelled: not sent, as its ticket was resolved, closed or cancelled first.'),
  },
});

registerEnumType(DeliveryChannel, {
  name: 'DeliveryChannel',
  description: bilingual('消息的送达渠道。', 'How a message reached people.'),
  valuesConfig: {
    DEV: value('开发渠道：由服务记录和保存（在配置企业微信之前使用）。', 'Development channel: logged and kept by the service (until WeCom is configured).'),
    SMART_ROBOT: value('企业微信智能机器人。', 'The WeCom smart robot.'),
    GROUP_WEBHOOK: value('企业微信群机器人（Webhook）。', 'The WeCom group robot webhook.'),
    APP_MESSAGE: value('企业微信自建应用消息。', 'A WeCom self-built app message.'),
  },
});

export { CommentVisibility, DeliveryChannel, NotificationKind, NotificationStatus, Priority, StaffRole, TicketEventType, TicketStatus };
