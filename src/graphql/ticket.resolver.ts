import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../domain/errors.js';
import { parseCustomerId, parseTicketId } from '../domain/ids.js';
import { invalidPhoneText, normalizePhone } from '../domain/input-validation.js';
import { StaffRole } from '../domain/staff-role.js';
import { findTickets, getTicketFields, ticketStats } from '../tickets/ticket-queries.js';
import { selectedFields } from './selection.js';
import { actorOf, type GraphQLContext } from './context.js';
import { toConnection } from './connection.type.js';
import { CustomerNode } from './customer.type.js';
import { ReminderNode } from './reminder.type.js';
import { TicketEventNode } from './ticket-event.type.js';
import { AssignTicketArgs, ChangeTicketDeadlineArgs, TicketsArgs, UpdateTicketStatusArgs } from './ticket.args.js';
import { CreateTicketInput } from './ticket.input.js';
import { TicketStatsNode } from './ticket-update.type.js';
import { recordKeysFor, TicketConnection, TicketNode } from './ticket.type.js';
import { bilingual } from './bilingual.js';

function phoneFilter(raw: string): string {
  const phone = normalizePhone(raw);
  if (phone !== null) return phone;
  const text = invalidPhoneText(raw.slice(0, 20));
  throw badInput(text.zh, text.en, { field: 'filter.customerPhone' });
}

@Resolver(() => TicketNode)
export class TicketResolver {
  @Query(() => TicketNode, { description: bilingual('按工单号查询一个工单。', 'One ticket by its number.') })
  async ticket(@Arg('id', () => ID, { description: bilingual('工单号（123 或 #123）。', 'The ticket number (123 or #123).') }) id: string, @Ctx() { records, prepared, clock }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<TicketNode> {
    return TicketNode.from(await getTicketFields(records, parseTicketId(id), recordKeysFor(selectedFields(info)), prepared), clock.now());
  }

  @Query(() => TicketConnection, { description: bilingual('符合筛选条件的工单，最新的在前。', 'Tickets matching the filter, newest first.') })
  async tickets(@Args(() => TicketsArgs) { filter, ...request }: TicketsArgs, @Ctx() { em, clock }: GraphQLContext): Promise<TicketConnection> {
    const customerId = filter?.customerId ? parseCustomerId(filter.customerId) : undefined;
    const customerPhone = filter?.customerPhone ? phoneFilter(filter.customerPhone) : undefined;
    const now = clock.now();
    const page = await findTickets(em, { ...filter, customerId, customerPhone }, request, now);
    return toConnection(page, (t) => TicketNode.from(t, now));
  }

  @Query(() => TicketStatsNode, { description: bilingual('按状态和优先级统计的工单数，以及超时的数量。', 'Ticket counts by status and priority, and how many are overdue.') })
  async ticketStats(@Ctx() { em, clock }: GraphQLContext): Promise<TicketStatsNode> {
    return Object.assign(new TicketStatsNode(), await ticketStats(em, clock.now()));
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode, {
    description: bilingual('创建工单（客服及以上）：找到或新建客户，写入 CREATED 事件，并开始计时截止提醒。', 'Creates a ticket (AGENT and up): finds or creates the customer, records the CREATED event and starts its deadline reminders.'),
  })
  async createTicket(@Arg('input', () => CreateTicketInput, { description: bilingual('新工单的内容。', 'What the new ticket holds.') }) input: CreateTicketInput, @Ctx() context: GraphQLContext): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.createTicket(actorOf(context), {
      customerName: input.customerName ?? undefined,
      customerPhone: input.customerPhone ?? undefined,
      company: input.company ?? undefined,
      title: input.title ?? undefined,
      description: input.description,
      product: input.product ?? undefined,
      priority: input.priority ?? undefined,
      deadline: input.deadline ?? undefined,
      sourceChatId: context.origin?.chatId,
    });
    return TicketNode.from(ticket, context.clock.now());
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode, { description: bilingual('分配或转交工单（客服及以上）；待分配的工单变为已分配。', 'Gives the ticket an owner (AGENT and up); a pending ticket becomes ASSIGNED.') })
  async assignTicket(@Args(() => AssignTicketArgs) { id, assignee, note, expectedVersion }: AssignTicketArgs, @Ctx() context: GraphQLContext): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.assignTicket(actorOf(context), parseTicketId(id), assignee, note, expectedVersion);
    return TicketNode.from(ticket, context.clock.now());
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode, { description: bilingual('按状态机修改工单状态（客服及以上）；未给出进度时进度随状态变化。', 'Moves a ticket along its status machine (AGENT and up); progress follows the status unless given.') })
  async updateTicketStatus(
    @Args(() => UpdateTicketStatusArgs) { id, status, note, progress }: UpdateTicketStatusArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.changeStatus(actorOf(context), parseTicketId(id), { status, note, progress });
    return TicketNode.from(ticket, context.clock.now());
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode, { description: bilingual('调整未结工单的截止时间（一年以内，客服及以上）；催促随新的截止时间。', 'Moves the deadline of an open ticket (to a time in the next year; AGENT and up); its reminders follow the new deadline.') })
  async changeTicketDeadline(@Args(() => ChangeTicketDeadlineArgs) { id, deadline, note }: ChangeTicketDeadlineArgs, @Ctx() context: GraphQLContext): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.changeDeadline(actorOf(context), parseTicketId(id), deadline, note);
    return TicketNode.from(ticket, context.clock.now());
  }

  @FieldResolver(() => CustomerNode, { description: bilingual('报告这个问题的客户。', 'The customer who reported the problem.') })
  async customer(@Root() ticket: TicketNode, @Ctx() { loaders }: GraphQLContext): Promise<CustomerNode> {
    return CustomerNode.from((await loaders.customer.load(ticket.customerId))!);
  }

  @FieldResolver(() => [TicketEventNode], { description: bilingual('审计记录，最早的在前。', 'The audit trail, oldest first.') })
  async events(@Root() ticket: TicketNode, @Ctx() { loaders }: GraphQLContext): Promise<TicketEventNode[]> {
    return (await loaders.ticketEvents.load(Number(ticket.id))).map(TicketEventNode.from);
  }

  @FieldResolver(() => [ReminderNode], { description: bilingual('已发出的超时催促，按顺序。', 'The deadline reminders issued, in order.') })
  async reminders(@Root() ticket: TicketNode, @Ctx() { loaders }: GraphQLContext): Promise<ReminderNode[]> {
    return (await loaders.ticketReminders.load(Number(ticket.id))).map(ReminderNode.from);
  }
}
