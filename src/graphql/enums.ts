import { registerEnumType } from 'type-graphql';
import { DeliveryChannel, NotificationKind, NotificationStatus } from '../domain/notification.js';
import { Priority } from '../domain/priority.js';
import { StaffRole } from '../domain/staff-role.js';
import { TicketEventType } from '../domain/ticket-event.js';
import { TicketStatus } from '../domain/ticket-status.js';

registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  valuesConfig: {
    PENDING: { description: '待分配' },
    ASSIGNED: { description: '已分配' },
    PROCESSING: { description: '处理中' },
    RESOLVED: { description: '已解决' },
    CLOSED: { description: '已关闭' },
    ESCALATED: { description: '已升级' },
    CANCELLED: { description: '已取消' },
  },
});
registerEnumType(Priority, { name: 'Priority' });
registerEnumType(StaffRole, { name: 'StaffRole', description: 'Ordered: LEAD may do what AGENT may, ADMIN what LEAD may.' });
registerEnumType(TicketEventType, {
  name: 'TicketEventType',
  valuesConfig: {
    DEADLINE_PASSED: { description: '已超时: the ticket was still open when its deadline passed.' },
    DEADLINE_CHANGED: { description: '处理期限变更: from and to are the old and new deadline (ISO 8601).' },
    REMINDED: { description: '超时催促: a deadline reminder was issued (see Ticket.reminders).' },
  },
});
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a message for people is about.',
  valuesConfig: {
    DEADLINE_WARNING: { description: '工单即将超时: sent before the deadline when an early warning is configured.' },
    REMINDER: { description: '工单超时提醒: the ticket is open and past its deadline.' },
    ESCALATION: { description: '工单已升级: repeated reminders escalated the ticket; the leads are told.' },
  },
});
registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Where a message is on its way to people.',
  valuesConfig: {
    PENDING: { description: 'Waiting for delivery, or for its next attempt after a failure.' },
    SENT: { description: 'Delivered.' },
    DEAD: { description: 'Every attempt failed; an ADMIN can resend it (resendNotification).' },
    CANCELLED: { description: 'Not sent: its ticket was resolved, closed or cancelled first.' },
  },
});
registerEnumType(DeliveryChannel, {
  name: 'DeliveryChannel',
  description: 'How a message reached people.',
  valuesConfig: {
    DEV: { description: 'The development channel: logged and kept by the service (until WeCom is configured).' },
    SMART_ROBOT: { description: 'WeCom smart robot (智能机器人).' },
    GROUP_WEBHOOK: { description: 'WeCom group robot webhook (群机器人).' },
    APP_MESSAGE: { description: 'WeCom self-built app message (自建应用).' },
  },
});

export { DeliveryChannel, NotificationKind, NotificationStatus, Priority, StaffRole, TicketEventType, TicketStatus };
