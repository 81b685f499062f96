import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AuthenticatedActor } from './auth/tokens.js';
import { ChatCommands } from './chat-adapter/chat-commands.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { detailLinkSecretFor } from './detail-link-secret.js';
import { StatusLinks } from './tickets/status-links.js';
import { DetailLinkSigner } from './domain/detail-link.js';
import { ChatStore } from './db/chat-store.js';
import { EventLogStore } from './db/event-log-store.js';
import { openDatabase, type Orm } from './db/orm.js';
import { PreparedStatements } from './db/prepared-statements.js';
import { InProcessGraphQL } from './graphql/in-process.js';
import { LocalWecom } from './local-wecom/local-wecom.js';
import { createContext, type LiveOperation, type RequestOrigin, type Services } from './graphql/context.js';
import { createResultFormatter } from './graphql/errors.js';
import { buildApiSchema } from './graphql/schema.js';
import { startHttpServer, type RunningHttpServer } from './http/server.js';
import { ChangeListener } from './live/change-listener.js';
import { ChangeNotifier } from './live/change-notifier.js';
import { EventLogFollower } from './live/event-log-follower.js';
import { SubscriptionHub } from './live/subscription-hub.js';
import type { Logger } from './logger.js';
import type { Channel } from './notifications/channel.js';
import { DevChannel } from './notifications/dev-channel.js';
import { OutboxDispatcher } from './notifications/dispatcher.js';
import { Outbox } from './notifications/outbox.js';
import { openJobBackend, type JobBackend } from './reminders/job-backend.js';
import { ReminderService } from './reminders/reminder-service.js';
import { ReminderSweep } from './reminders/reminder-sweep.js';
import { StaffDirectory } from './staff/staff-directory.js';
import { TicketService } from './tickets/ticket-service.js';
import { PostgresSubmissionCounter, WebsiteSubmissions } from './tickets/website-submission.js';
import { SenderIds } from './wecom/sender-ids.js';
import { SmartRobot, type SmartRobotOptions } from './wecom/smart-robot.js';
import { GroupWebhookChannel } from './wecom/group-webhook.js';
import { WeComAppClient } from './wecom/app-api.js';
import { AppMessageChannel, sendPrivateText } from './wecom/app-messages.js';
import { AppCallbackCrypto } from './wecom/app-callback.js';
import type { AppCallbackDeps } from './http/app-callback-routes.js';
import { syncStaffDirectory } from './wecom/directory-sync.js';
import { WebhookDirectory } from './wecom/webhook-directory.js';
import { routeMessage, type ChannelRoutes } from './notifications/channel-router.js';
import type { NotificationRecord } from './domain/records.js';
import { startWorker, type RunningWorker } from './worker.js';

export interface App extends Core {
  readonly http: RunningHttpServer;
  /** Live updates (instances that serve the API). */
  readonly hub: SubscriptionHub;
  /** The API's own operations run in process as a staff member (the chat adapter's way in). */
  readonly operations: InProcessGraphQL;
  /** Chat messages run as commands, whichever channel they came through. */
  readonly chat: ChatCommands;
  /** The local WeCom, when this instance runs one (development without a tenant). */
  readonly localWecom?: LocalWecom;
  /** Signs and checks the cards' 查看详情 links (none in production without DETAIL_LINK_SECRET). */
  readonly detailLinks: DetailLinkSigner;
}

export interface AppOptions {
  readonly config: Config;
  readonly databaseUrl: string;
  readonly jwtSecret: string;
  readonly logger: Logger;
  readonly onQuery?: (sql: string) => void;
  /** The time everything reads (tests move it). */
  readonly clock?: Clock;
  /** Where messages are delivered; the smart robot when configured, else the development channel, unless given. */
  readonly channel?: Channel;
  /** A smart robot to connect to other than the configured one (the local WeCom). */
  readonly smartRobot?: SmartRobotOptions;
}

/** Events read from the log per query by an instance's follower. */
const EVENT_LOG_BATCH = 500;
/** Outbox messages read per dispatcher round. */
const OUTBOX_BATCH = 200;
/** Conversations the dispatcher delivers to at once. */
const OUTBOX_CONCURRENCY = 16;
/** Connections for the website submissions' rate limits and per-phone locks. */
const SUBMISSION_POOL_MAX = 4;

/** The service without its edges: database, use cases, job store and outbox. The command-line tools use it too. */
export interface Core extends Omit<Services, 'statusLinks'> {
  readonly orm: Orm;
  readonly prepared: PreparedStatements;
  readonly log: EventLogStore;
  readonly jobs: JobBackend;
  readonly reminders: ReminderService;
  /** The main channel: the one given, else the smart robot, else the development channel (webhooks are routed beside it). */
  readonly channel: Channel;
  /** The smart robot's long connection, when there is one (held by the instance that delivers the outbox). */
  readonly smartRobot?: SmartRobot;
  /** The group robot webhooks, per group. */
  readonly webhooks: WebhookDirectory;
  /** The self-built app's API client, when the app is configured. */
  readonly wecomApp?: WeComAppClient;
  readonly dispatcher: OutboxDispatcher;
  readonly clock: Clock;
  /** This instance's mark on the notifications it sends. */
  readonly origin: string;
  /** Calls `wake` after every commit made here (other instances' commits arrive through LISTEN). */
  onCommit(wake: () => void): void;
  close(): Promise<void>;
}

export type CoreOptions = Omit<AppOptions, 'jwtSecret'>;

export async function openCore(options: CoreOptions): Promise<Core> {
  const { config, databaseUrl, logger } = options;
  const clock = options.clock ?? systemClock;
  const orm = await openDatabase({ url: databaseUrl, poolMax: config.database.poolMax, logger, onQuery: options.onQuery });
  const prepared = new PreparedStatements(databaseUrl, config.database.poolMax, logger);
  let jobs: JobBackend;
  try {
    jobs = await openJobBackend({ databaseUrl, mongodbUrl: config.reminders.mongodbUrl, poolMax: config.database.poolMax, ...config.reminders, logger });
  } catch (error) {
    await prepared.close();
    await orm.close();
    throw error;
  }
  const wakeups: (() => void)[] = [];
  const origin = randomUUID().slice(0, 8);
  const notifier = new ChangeNotifier((channel, payload) => prepared.rows('select pg_notify(?, ?)', [channel, payload]), () => wakeups.forEach((w) => w()), logger, origin);
  const staff = new StaffDirectory(orm, clock);
  const reminders = new ReminderService(orm, prepared, staff, config.reminders.policy, clock, notifier);
  const robotOptions = options.smartRobot ?? (config.smartRobot && { ...config.smartRobot, defaultChatId: config.chat.defaultChatId });
  const smartRobot = robotOptions ? new SmartRobot(robotOptions, clock, logger) : undefined;
  const webhooks = new WebhookDirectory(orm.em, clock, config.wecom.groupWebhookUrl, logger);
  try {
    await webhooks.start();
  } catch (error) {
    await jobs.close();
    await prepared.close();
    await orm.close();
    throw error;
  }
  const fallback = new DevChannel(orm.em, logger, clock, config.devChannel.ackDelayMs);
  const appClient = config.app ? new WeComAppClient(config.app, clock, logger) : undefined;
  const routes: ChannelRoutes = {
    smartRobot,
    app: appClient && new AppMessageChannel(appClient, clock, logger),
    webhook: { channel: new GroupWebhookChannel(webhooks, clock, logger), serves: (c) => webhooks.serves(c), has: (c) => webhooks.has(c) },
    webhookKinds: new Set(config.wecom.webhookKinds),
    fallback,
  };
  const given = options.channel;
  const channelFor = given ? () => given : (message: Pick<NotificationRecord, 'conversation' | 'kind'>) => routeMessage(routes, message);
  const channel = given ?? smartRobot ?? fallback;
  const submissionPool = new pg.Pool({ connectionString: databaseUrl, max: SUBMISSION_POOL_MAX });
  submissionPool.on('error', (error) => logger.warn({ err: { message: error.message } }, 'idle submission connection lost'));
  const tickets = new TicketService(orm, prepared, config.deadline, notifier, clock);
  const submissions = new WebsiteSubmissions({ tickets, em: orm.em, counter: new PostgresSubmissionCounter(submissionPool, config.support), lockPool: submissionPool, clock, logger });
  const dispatcher = new OutboxDispatcher(orm.em, channelFor, clock, { batchSize: OUTBOX_BATCH, concurrency: OUTBOX_CONCURRENCY, ...config.outbox }, logger);
  return {
    orm,
    prepared,
    log: new EventLogStore(orm.em, prepared),
    jobs,
    tickets,
    submissions,
    staff,
    reminders,
    sweep: new ReminderSweep(orm, reminders, jobs.jobs, config.reminders.policy, clock, logger),
    outbox: new Outbox(orm, clock, () => dispatcher.wake()),
    channel,
    smartRobot,
    webhooks,
    wecomApp: appClient,
    dispatcher,
    clock,
    origin,
    onCommit: (wake) => wakeups.push(wake),
    close: async () => {
      await dispatcher.stop();
      webhooks.stop();
      await jobs.close();
      await submissionPool.end();
      await prepared.close();
      await orm.close();
    },
  };
}

/** Composition root: the core, live updates, background work and the HTTP edge, wired once. */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, databaseUrl, logger } = options;
  const serveApi = config.role !== 'worker';
  const runJobs = config.role !== 'api';
  const detailLinkSecret = await detailLinkSecretFor(config, logger, options.jwtSecret);
  // The local WeCom stands in for a tenant in development (see Config.localWecom).
  const localWecom = config.localWecom && !options.smartRobot && !options.channel ? await LocalWecom.start() : undefined;
  let core: Core;
  try {
    // Its smart robot, and its group webhook and self-built app where none is configured.
    core = await openCore({ ...options, config: localWecom ? localWecom.fillIn(config) : config, smartRobot: options.smartRobot ?? localWecom?.robotOptions });
    await localWecom?.seed(core);
  } catch (error) {
    await localWecom?.close();
    throw error;
  }
  const { orm, prepared, log, jobs, sweep, clock } = core;
  const statusLinks = new StatusLinks(detailLinkSecret, config.appDomain);
  const services: Services = { tickets: core.tickets, submissions: core.submissions, staff: core.staff, sweep, outbox: core.outbox, webhooks: core.webhooks, statusLinks };

  const schema = await buildApiSchema();
  const contextDeps = { root: orm.em, prepared, services, clock };
  const contextFor = (actor: AuthenticatedActor, live?: LiveOperation, origin?: RequestOrigin) => createContext(contextDeps, actor, live, origin);
  const resultFormatter = createResultFormatter(logger);
  const hub = new SubscriptionHub(log, contextFor, resultFormatter.serialize, { replayLimit: config.live.replayLimit });
  const operations = new InProcessGraphQL(schema, (actor, origin) => createContext(contextDeps, actor, undefined, origin), resultFormatter);
  const chatStore = new ChatStore(orm.em);
  const chat = new ChatCommands(operations, chatStore, core.staff, clock, config.chat.botNames, logger);
  const detailLinks = new DetailLinkSigner({ secret: detailLinkSecret, baseUrl: config.appDomain, ttlMs: config.detailLinks.ttlMs }, () => clock.now());
  core.smartRobot?.answerWith(chat, { detailUrl: (ticketId) => detailLinks.urlFor(ticketId), senders: new SenderIds(core.wecomApp, logger) });
  const follower = new EventLogFollower(log, (updates, through, wanted) => hub.dispatch(updates, through, wanted), {
    batchSize: EVENT_LOG_BATCH,
    pollIntervalMs: config.live.pollIntervalMs,
    wanted: () => hub.wanted(),
  }, logger);
  // Every commit, here or on another instance (ChangeListener), wakes whatever follows the log.
  const wakeups: (() => void)[] = [];
  const wake = () => wakeups.forEach((w) => w());
  core.onCommit(wake);
  const listener = new ChangeListener(databaseUrl, wake, logger, core.origin);

  const started: { worker?: RunningWorker; http?: RunningHttpServer } = {};
  // Agenda's stop does not wait for a running job: shutdown waits for a directory sync itself.
  let directorySync: Promise<unknown> | undefined;
  try {
    if (serveApi) {
      hub.startAt(await follower.start());
      wakeups.push(() => follower.wake());
    }
    if (runJobs) {
      const worker = await startWorker({
        databaseUrl,
        em: orm.em,
        log,
        jobs,
        reminders: core.reminders,
        sweep,
        dispatcher: core.dispatcher,
        policy: config.reminders.policy,
        concurrency: config.reminders.concurrency,
        eventLogPollMs: config.live.pollIntervalMs,
        clock,
        logger,
        chatConnection: core.smartRobot,
        chatStore,
        syncDirectory: core.wecomApp && (() => (directorySync = syncStaffDirectory(core.wecomApp!, core.staff, logger))),
        leads: core.wecomApp && (async () => (await core.staff.leads(orm.em.fork())).map(({ userId, name }) => ({ userId, name }))),
        detailUrl: (ticketId) => detailLinks.urlFor(ticketId),
      });
      started.worker = worker;
      wakeups.push(() => worker.wake());
    }
    await listener.start();
    started.http = await startHttpServer(
      {
        orm,
        jwtSecret: options.jwtSecret,
        clock,
        logger,
        api: serveApi
          ? { schema, hub, contextFor, liveBufferLimitBytes: config.live.bufferLimitBytes, ide: config.graphqlIde, admin: { sweep, agenda: jobs.agenda }, chat, localWecom, detailLinks, statusPage: { links: statusLinks, tickets: core.tickets }, support: { submissions: core.submissions, statusLinkFor: (ticketId) => statusLinks.urlFor(orm.em.fork(), ticketId) } }
          : undefined,
        trustProxy: config.trustProxy,
        appCallback: serveApi ? appCallbackDeps(config, core.wecomApp, chat, clock, logger) : undefined,
      },
      { host: config.host, port: config.port },
    );
  } catch (error) {
    await shutdown();
    throw error;
  }

  async function shutdown(): Promise<void> {
    // Live updates and background work first: at shutdown the database may be going away too.
    await follower.stop();
    await started.worker?.close();
    await directorySync?.catch(() => undefined);
    await listener.close();
    await started.http?.close();
    await localWecom?.forgetWebhooks(core.webhooks);
    await core.close();
    await localWecom?.close();
  }

  return { ...core, ...services, http: started.http, hub, operations, chat, localWecom, detailLinks, close: shutdown };
}

/** The app's encrypted callback, when the app and its callback keys are configured. */
function appCallbackDeps(config: Config, client: WeComAppClient | undefined, chat: ChatCommands, clock: Clock, logger: Logger): AppCallbackDeps | undefined {
  const callback = config.app?.callback;
  if (!config.app || !callback || !client) return undefined;
  return {
    crypto: new AppCallbackCrypto({ ...callback, corpId: config.app.corpId }),
    chat,
    agentId: config.app.agentId,
    sendLater: (userId, text) => sendPrivateText(client, userId, text),
    clock,
    logger,
  };
}
