import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseCustomerId, parseTicketId } from '../domain/ids.js';
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

@Resolver(() => TicketNode)
export class TicketResolver {
  @Query(() => TicketNode, { description: 'One ticket by its number.' })
  async ticket(@Arg('id', () => ID) id: string, @Ctx() { records, prepared, clock }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<TicketNode> {
    return TicketNode.from(await getTicketFields(records, parseTicketId(id), recordKeysFor(selectedFields(info)), prepared), clock.now());
  }

  @Query(() => TicketConnection, { description: 'Tickets matching the filter, newest first.' })
  async tickets(@Args(() => TicketsArgs) { filter, ...request }: TicketsArgs, @Ctx() { em, clock }: GraphQLContext): Promise<TicketConnection> {
    const customerId = filter?.customerId ? parseCustomerId(filter.customerId) : undefined;
    const now = clock.now();
    const page = await findTickets(em, { ...filter, customerId }, request, now);
    return toConnection(page, (t) => TicketNode.from(t, now));
  }

  @Query(() => TicketStatsNode, { description: 'Ticket counts by status and priority, and how many are overdue.' })
  async ticketStats(@Ctx() { em, clock }: GraphQLContext): Promise<TicketStatsNode> {
    return Object.assign(new TicketStatsNode(), await ticketStats(em, clock.now()));
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode)
  async createTicket(@Arg('input', () => CreateTicketInput) input: CreateTicketInput, @Ctx() context: GraphQLContext): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.createTicket(actorOf(context), {
      customerName: input.customerName ?? undefined,
      customerPhone: input.customerPhone ?? undefined,
      company: input.company ?? undefined,
      title: input.title ?? undefined,
      description: input.description,
      product: input.product ?? undefined,
      priority: input.priority ?? undefined,
      deadline: input.deadline ?? undefined,
    });
    return TicketNode.from(ticket, context.clock.now());
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode, { description: 'Gives the ticket an owner; a pending ticket becomes ASSIGNED.' })
  async assignTicket(@Args(() => AssignTicketArgs) { id, assignee, note }: AssignTicketArgs, @Ctx() context: GraphQLContext): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.assignTicket(actorOf(context), parseTicketId(id), assignee, note);
    return TicketNode.from(ticket, context.clock.now());
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode, { description: 'Moves a ticket along its status machine; progress follows status unless given.' })
  async updateTicketStatus(
    @Args(() => UpdateTicketStatusArgs) { id, status, note, progress }: UpdateTicketStatusArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.changeStatus(actorOf(context), parseTicketId(id), { status, note, progress });
    return TicketNode.from(ticket, context.clock.now());
  }

  @Authorized(StaffRole.AGENT)
  @Mutation(() => TicketNode, { description: 'Moves the deadline of an open ticket (to a time in the next year); its reminders follow the new deadline.' })
  async changeTicketDeadline(@Args(() => ChangeTicketDeadlineArgs) { id, deadline, note }: ChangeTicketDeadlineArgs, @Ctx() context: GraphQLContext): Promise<TicketNode> {
    const { ticket } = await context.services.tickets.changeDeadline(actorOf(context), parseTicketId(id), deadline, note);
    return TicketNode.from(ticket, context.clock.now());
  }

  @FieldResolver(() => CustomerNode)
  async customer(@Root() ticket: TicketNode, @Ctx() { loaders }: GraphQLContext): Promise<CustomerNode> {
    return CustomerNode.from((await loaders.customer.load(ticket.customerId))!);
  }

  @FieldResolver(() => [TicketEventNode], { description: 'The audit trail, oldest first.' })
  async events(@Root() ticket: TicketNode, @Ctx() { loaders }: GraphQLContext): Promise<TicketEventNode[]> {
    return (await loaders.ticketEvents.load(Number(ticket.id))).map(TicketEventNode.from);
  }

  @FieldResolver(() => [ReminderNode], { description: 'Deadline reminders sent, in order.' })
  async reminders(@Root() ticket: TicketNode, @Ctx() { loaders }: GraphQLContext): Promise<ReminderNode[]> {
    return (await loaders.ticketReminders.load(Number(ticket.id))).map(ReminderNode.from);
  }
}
