import { ChatDialogue } from './chat-dialogue.entity.js';
import { ChatGroup } from './chat-group.entity.js';
import { Customer } from './customer.entity.js';
import { CustomerStatusLink } from './customer-status-link.entity.js';
import { DevChannelMessage } from './dev-channel-message.entity.js';
import { EventLogConsumer } from './event-log-consumer.entity.js';
import { GroupWebhook } from './group-webhook.entity.js';
import { InboundChatMessage } from './inbound-chat-message.entity.js';
import { Notification } from './notification.entity.js';
import { ProblemTermCount } from './problem-term-count.entity.js';
import { Reminder } from './reminder.entity.js';
import { Staff } from './staff.entity.js';
import { TicketEvent } from './ticket-event.entity.js';
import { Ticket } from './ticket.entity.js';

export { ChatDialogue, ChatGroup, Customer, CustomerStatusLink, DevChannelMessage, EventLogConsumer, GroupWebhook, InboundChatMessage, Notification, ProblemTermCount, Reminder, Staff, Ticket, TicketEvent };

export const ENTITIES = [Customer, Staff, Ticket, TicketEvent, Reminder, Notification, DevChannelMessage, EventLogConsumer, ChatGroup, ChatDialogue, InboundChatMessage, GroupWebhook, ProblemTermCount, CustomerStatusLink];
