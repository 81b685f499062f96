import { Customer } from './customer.entity.js';
import { DevChannelMessage } from './dev-channel-message.entity.js';
import { EventLogConsumer } from './event-log-consumer.entity.js';
import { Notification } from './notification.entity.js';
import { Reminder } from './reminder.entity.js';
import { Staff } from './staff.entity.js';
import { TicketEvent } from './ticket-event.entity.js';
import { Ticket } from './ticket.entity.js';

export { Customer, DevChannelMessage, EventLogConsumer, Notification, Reminder, Staff, Ticket, TicketEvent };

export const ENTITIES = [Customer, Staff, Ticket, TicketEvent, Reminder, Notification, DevChannelMessage, EventLogConsumer];
