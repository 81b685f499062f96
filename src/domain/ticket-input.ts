import { z } from 'zod';
import { optionalPhone, optionalText, parseInput, requiredText } from './input-validation.js';
import { Priority } from './priority.js';

export const TEXT_LIMITS = {
  customerName: 100,
  company: 200,
  title: 200,
  description: 5000,
  product: 200,
  note: 2000,
} as const;

/** A title that fits a card line when the user gave none: the first line of the description. */
const TITLE_FROM_DESCRIPTION_CHARS = 40;

const newTicketSchema = z
  .object({
    customerName: optionalText(TEXT_LIMITS.customerName),
    customerPhone: optionalPhone,
    company: optionalText(TEXT_LIMITS.company),
    title: optionalText(TEXT_LIMITS.title),
    description: requiredText(TEXT_LIMITS.description),
    product: optionalText(TEXT_LIMITS.product),
    priority: z.enum(Priority).optional(),
    deadline: z.date().optional(),
  })
  .refine((t) => t.customerName !== undefined || t.customerPhone !== undefined, {
    message: '请提供客户姓名或手机号',
    params: { en: 'Give the customer name or phone number' },
    path: ['customerName'],
  });

export type NewTicketInput = z.input<typeof newTicketSchema>;
export type NewTicket = z.output<typeof newTicketSchema> & { title: string };

export function titleFromDescription(description: string): string {
  const firstLine = description.split('\n', 1)[0]!.trim();
  return firstLine.length > TITLE_FROM_DESCRIPTION_CHARS ? `${firstLine.slice(0, TITLE_FROM_DESCRIPTION_CHARS)}…` : firstLine;
}

export function validateNewTicket(input: NewTicketInput): NewTicket {
  const ticket = parseInput(newTicketSchema, input);
  return { ...ticket, title: ticket.title ?? titleFromDescription(ticket.description) };
}

export const noteSchema = optionalText(TEXT_LIMITS.note);
export const validateNote = (note: string | null | undefined): string | undefined => parseInput(z.object({ note: noteSchema }), { note: note ?? undefined }).note;
