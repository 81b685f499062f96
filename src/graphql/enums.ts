import { registerEnumType } from 'type-graphql';
import { ReminderChannel } from '../domain/reminder-channel.js';
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
registerEnumType(TicketEventType, { name: 'TicketEventType' });
registerEnumType(ReminderChannel, { name: 'ReminderChannel' });

export { Priority, ReminderChannel, StaffRole, TicketEventType, TicketStatus };
