import { Customer } from './customer.entity.js';
import { Reminder } from './reminder.entity.js';
import { Staff } from './staff.entity.js';
import { TicketEvent } from './ticket-event.entity.js';
import { Ticket } from './ticket.entity.js';

export { Customer, Reminder, Staff, Ticket, TicketEvent };

export const ENTITIES = [Customer, Staff, Ticket, TicketEvent, Reminder];
