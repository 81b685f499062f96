import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { AuthenticatedActor } from '../auth/tokens.js';
import { isAfter, type EventLogStore, type EventSelection, type LoggedUpdate, type LogPosition } from '../db/event-log-store.js';
import { badInput, notFound } from '../domain/errors.js';
import { matchesSubscription, type TicketSubscriptionFilter } from '../domain/ticket-subscription.js';
import type { LiveConnection } from './live-connection.js';
import { TicketSubscriber } from './ticket-subscriber.js';

/** An operation as graphql-js executes it, less the root value and context the hub supplies. */
export interface SubscriptionExecution {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variableValues?: Readonly<Record<string, unknown>> | null;
}

export interface FollowRequest {
  readonly connection: LiveConnection;
  readonly operationId: string;
  /** The document as the client sent it: identical text, identical subscription. */
  readonly query: string;
  readonly execution: SubscriptionExecution;
  /** The variable holding afterEventId, if any: it only says where to start, not what to render. */
  readonly resumeVariable?: string;
  readonly filter: TicketSubscriptionFilter;
  readonly afterEventId?: string;
}

export interface HubOptions {
  /** The most missed events a reconnecting subscriber may ask to replay. */
  readonly replayLimit: number;
}

/** Runs an execution result through the API's error formatting into the JSON sent to clients. */
export type ResultSerializer = (result: ExecutionResult) => string;

/** Builds the context an execution for a subscriber of this identity runs with. */
export type ContextFactory = (actor: AuthenticatedActor) => object;

/** A batch is at most the follower's batch size; this bounds a re-read of one. */
const REREAD_LIMIT = 10_000;

/** Subscriptions with the same key render every update identically: same document, variables and role. */
function groupKey({ connection, query, execution, resumeVariable }: FollowRequest): string {
  const variables = Object.entries(execution.variableValues ?? {})
    .filter(([name]) => name !== resumeVariable)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([connection.actor.role, execution.operationName ?? null, query, variables]);
}

/** Subscriptions that render identically, and the identity (role) they are rendered with. */
class SubscriptionGroup {
  readonly subscribers = new Set<TicketSubscriber>();

  constructor(
    readonly key: string,
    readonly execution: SubscriptionExecution,
    readonly filter: TicketSubscriptionFilter,
    readonly actor: AuthenticatedActor,
  ) {}
}

/**
 * Fans committed ticket updates out to this instance's subscribers. Plain graphql-ws executes a
 * subscription once per subscriber per event; dashboards mostly hold identical subscriptions,
 * so the hub executes each update once per group of identical ones and sends the same rendered
 * bytes to every member. Updates arrive in log order (EventLogFollower) and each is handed to a
 * subscriber at most once: new subscribers join between batches, and one resuming after an
 * event replays the log up to the batch it joined at before receiving live updates.
 */
export class SubscriptionHub {
  private readonly groups = new Map<string, SubscriptionGroup>();
  private delivered: LogPosition | undefined;
  private dispatching: Promise<void> | undefined;

  constructor(
    private readonly store: EventLogStore,
    private readonly contextFor: ContextFactory,
    private readonly serialize: ResultSerializer,
    private readonly options: HubOptions,
  ) {}

  /** Updates after `position` are the hub's to deliver. */
  startAt(position: LogPosition): void {
    this.delivered = position;
  }

  get subscriberCount(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.subscribers.size;
    return count;
  }

  async follow(request: FollowRequest): Promise<TicketSubscriber> {
    const resumeAfter = request.afterEventId === undefined ? undefined : await this.positionOf(request.afterEventId);
    while (this.dispatching) await this.dispatching;
    const group = this.groupFor(request);
    const subscriber = new TicketSubscriber(request.connection, request.operationId, resumeAfter, (ended) => this.leave(group, ended));
    group.subscribers.add(subscriber);
    if (resumeAfter && this.delivered && isAfter(this.delivered, resumeAfter)) {
      subscriber.holdLiveUpdates();
      void this.replay(group, subscriber, resumeAfter, this.delivered);
    }
    return subscriber;
  }

  /** While nobody subscribes, the log is passed over without reading the tickets. */
  wanted(): EventSelection {
    return this.groups.size > 0 ? 'all' : 'none';
  }

  /**
   * Delivers one batch of updates, in log order, to every subscriber whose filter they match; the
   * log was read up to `through`. A batch passed over while nobody subscribed is read again whole
   * if somebody joined meanwhile (one resuming from before it must not miss it).
   */
  async dispatch(read: readonly LoggedUpdate[], through: LogPosition, wanted: EventSelection = 'all'): Promise<void> {
    const run = (async () => {
      const skipped = wanted === 'none' && this.groups.size > 0 && this.delivered;
      return this.render(skipped ? await this.store.readRange(this.delivered!, through, REREAD_LIMIT) : read);
    })();
    this.dispatching = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      const rendered = await run;
      for (const [group, messages] of rendered) {
        for (const [position, payload] of messages) for (const subscriber of group.subscribers) subscriber.deliver(position, payload);
      }
      this.delivered = through;
    } finally {
      this.dispatching = undefined;
    }
  }

  private async render(updates: readonly LoggedUpdate[]): Promise<[SubscriptionGroup, [LogPosition, Buffer][]][]> {
    const contexts = new Map<string, object>();
    const contextFor = (actor: AuthenticatedActor): object => {
      let context = contexts.get(actor.role);
      if (!context) contexts.set(actor.role, (context = this.contextFor(actor)));
      return context;
    };
    return Promise.all(
      // Every execution starts in the same tick, so the DataLoaders batch what they look up
      // (customers) into one query per batch rather than one per update.
      [...this.groups.values()].map(async (group): Promise<[SubscriptionGroup, [LogPosition, Buffer][]]> => {
        const matching = updates.filter((update) => matchesSubscription(group.filter, update));
        const payloads = await Promise.all(matching.map((update) => this.renderOne(group, update, contextFor(group.actor))));
        return [group, matching.map((update, i) => [update.position, payloads[i]!])];
      }),
    );
  }

  private async renderOne(group: SubscriptionGroup, update: LoggedUpdate, contextValue: object): Promise<Buffer> {
    try {
      const result = await execute({ ...group.execution, rootValue: update, contextValue });
      return Buffer.from(`${this.serialize(result)}}`);
    } catch (error) {
      const failure = new GraphQLError('could not render a ticket update', { originalError: error instanceof Error ? error : new Error(String(error)) });
      return Buffer.from(`${this.serialize({ data: null, errors: [failure] })}}`);
    }
  }

  private async replay(group: SubscriptionGroup, subscriber: TicketSubscriber, after: LogPosition, through: LogPosition): Promise<void> {
    try {
      const missed = await this.store.readRange(after, through, this.options.replayLimit + 1);
      if (missed.length > this.options.replayLimit) {
        throw badInput(
          `断线期间的更新超过 ${this.options.replayLimit} 条，无法补发：请重新加载数据后再订阅（不带 afterEventId）`,
          `More than ${this.options.replayLimit} updates were missed; reload the current state and subscribe without afterEventId`,
          { field: 'afterEventId' },
        );
      }
      const context = this.contextFor(group.actor);
      const matching = missed.filter((update) => matchesSubscription(group.filter, update));
      for (const payload of await Promise.all(matching.map((update) => this.renderOne(group, update, context)))) subscriber.deliverMissed(payload);
      subscriber.releaseLiveUpdates();
    } catch (error) {
      subscriber.abort(error);
    }
  }

  private async positionOf(eventId: string): Promise<LogPosition> {
    if (!/^\d{1,19}$/.test(eventId)) throw badInput(`事件编号格式不正确：「${eventId}」`, `Invalid event id "${eventId}"`, { field: 'afterEventId' });
    const position = await this.store.positionOf(eventId);
    if (!position) throw notFound(`找不到事件 ${eventId}，无法从它之后续传`, `No event ${eventId} to resume after`, { field: 'afterEventId' });
    return position;
  }

  private groupFor(request: FollowRequest): SubscriptionGroup {
    const key = groupKey(request);
    let group = this.groups.get(key);
    if (!group) {
      group = new SubscriptionGroup(key, request.execution, request.filter, request.connection.actor);
      this.groups.set(key, group);
    }
    return group;
  }

  private leave(group: SubscriptionGroup, subscriber: TicketSubscriber): void {
    group.subscribers.delete(subscriber);
    if (group.subscribers.size === 0 && this.groups.get(group.key) === group) this.groups.delete(group.key);
  }
}
