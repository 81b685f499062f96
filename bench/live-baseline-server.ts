/**
 * The live-updates baseline: a bare graphql-ws server (`useServer` from graphql-ws/use/ws) with a
 * type-graphql schema of the same shape as the service's `ticketUpdated`, fed by the ordinary
 * in-memory pubsub: every subscriber holds its own async iterator, and graphql-js executes the
 * subscription once per subscriber per event. Payloads are in memory (no database), so what is
 * measured is the fan-out alone.
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTimeResolver } from 'graphql-scalars';
import { useServer } from 'graphql-ws/use/ws';
import { Field, ID, Int, ObjectType, Query, registerEnumType, Resolver, Root, Subscription, buildSchema, type PubSub } from 'type-graphql';
import { WebSocketServer } from 'ws';
import { Priority } from '../src/domain/priority.js';
import { TicketEventType } from '../src/domain/ticket-event.js';
import { TicketStatus } from '../src/domain/ticket-status.js';

registerEnumType(TicketStatus, { name: 'TicketStatus' });
registerEnumType(Priority, { name: 'Priority' });
registerEnumType(TicketEventType, { name: 'TicketEventType' });

export const TICKET_UPDATED = 'TICKET_UPDATED';

@ObjectType('Customer', { simpleResolvers: true })
export class BareCustomer {
  @Field() name!: string;
}

@ObjectType('Ticket', { simpleResolvers: true })
export class BareTicket {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => TicketStatus) status!: TicketStatus;
  @Field(() => Priority) priority!: Priority;
  @Field(() => String, { nullable: true }) assignedTo!: string | null;
  @Field(() => String, { nullable: true }) assignedToName!: string | null;
  @Field() deadline!: Date;
  @Field() overdue!: boolean;
  @Field(() => Int) version!: number;
  @Field(() => BareCustomer) customer!: BareCustomer;
}

@ObjectType('TicketEvent', { simpleResolvers: true })
export class BareTicketEvent {
  @Field(() => ID) id!: string;
  @Field(() => TicketEventType) type!: TicketEventType;
  @Field(() => String, { nullable: true }) from!: string | null;
  @Field(() => String, { nullable: true }) to!: string | null;
  @Field() actorId!: string;
  @Field() createdAt!: Date;
}

@ObjectType('TicketUpdate', { simpleResolvers: true })
export class BareTicketUpdate {
  @Field(() => BareTicketEvent) event!: BareTicketEvent;
  @Field(() => BareTicket) ticket!: BareTicket;
}

/** One subscriber's queue of published payloads, as an async iterator graphql-js pulls from. */
class TopicQueue implements AsyncIterableIterator<unknown> {
  private readonly queued: unknown[] = [];
  private waiting: ((result: IteratorResult<unknown>) => void) | undefined;
  private done = false;

  constructor(private readonly leave: (queue: TopicQueue) => void) {}

  push(payload: unknown): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting({ value: payload, done: false });
    else this.queued.push(payload);
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.queued.length > 0) return Promise.resolve({ value: this.queued.shift(), done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<unknown>> {
    this.done = true;
    this.queued.length = 0;
    this.leave(this);
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<unknown>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The in-memory pubsub of most graphql-ws tutorials: publish pushes into every subscriber's queue. */
export class InMemoryPubSub implements PubSub {
  private readonly topics = new Map<string, Set<TopicQueue>>();

  publish(topic: string, payload: unknown): void {
    for (const queue of this.topics.get(topic) ?? []) queue.push(payload);
  }

  subscribe(topic: string): AsyncIterable<unknown> {
    let queues = this.topics.get(topic);
    if (!queues) this.topics.set(topic, (queues = new Set()));
    const queue = new TopicQueue((q) => queues.delete(q));
    queues.add(queue);
    return queue;
  }

  subscribers(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }
}

@Resolver()
class BareUpdatesResolver {
  @Query(() => Int, { description: 'graphql-js needs a query type.' })
  answer(): number {
    return 42;
  }

  @Subscription(() => BareTicketUpdate, { topics: TICKET_UPDATED })
  ticketUpdated(@Root() update: BareTicketUpdate): BareTicketUpdate {
    return update;
  }
}

export interface BareLiveServer {
  /** ws:// URL of the graphql-ws endpoint. */
  readonly url: string;
  readonly pubSub: InMemoryPubSub;
  close(): Promise<void>;
}

export async function startBareLiveServer(): Promise<BareLiveServer> {
  const pubSub = new InMemoryPubSub();
  const schema = await buildSchema({ resolvers: [BareUpdatesResolver], pubSub, scalarsMap: [{ type: Date, scalar: DateTimeResolver }], validate: false });
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 256 * 1024 });
  const graphqlWs = useServer({ schema }, wss);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    pubSub,
    close: async () => {
      await graphqlWs.dispose();
      server.close();
    },
  };
}
