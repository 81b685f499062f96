import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { badInput } from '../domain/errors.js';
import { StaffRole } from '../domain/staff-role.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import type { AppCredentials } from '../wecom/app-api.js';
import type { SmartRobotOptions } from '../wecom/smart-robot.js';
import type { WebhookDirectory } from '../wecom/webhook-directory.js';
import { DEFAULT_DIRECTORY, FakeWeComHttpApi, type AppMessage, type FakeApiChange, type WebhookMessage } from './http-api-server.js';
import { FakeWeComLongConnection, type Conversation, type DeliveredCallback } from './long-connection-server.js';

/** The groups of the local WeCom; the first is the default group (tickets created outside a chat). */
export const LOCAL_GROUPS = [
  { chatId: 'wrLocalAfterSales', name: '售后服务群' },
  { chatId: 'wrLocalOps', name: '运维支持群' },
] as const;

/**
 * The staff of the local WeCom (the /dev/wecom page's identities), added to the staff directory at
 * start so "@李四" resolves and 赵主管 is a lead. Their names are those of the fake WeCom's directory
 * (DEFAULT_DIRECTORY), which the directory sync copies in too, with a second 李四 (`lisi2`, 运维) whom
 * nobody plays: once synced, "@李四" is ambiguous, as it would be in such a tenant.
 */
export const LOCAL_STAFF = [
  { userId: 'zhangsan', name: '张三', role: StaffRole.AGENT },
  { userId: 'lisi', name: '李四', role: StaffRole.AGENT },
  { userId: 'wangwu', name: '王五', role: StaffRole.AGENT },
  { userId: 'zhaozhuguan', name: '赵主管', role: StaffRole.LEAD },
] as const;

export const LOCAL_BOT_NAME = '工单助手';
/** The local WeCom's corp and its self-built app (工单应用), which sends people private messages. */
export const LOCAL_CORP_ID = 'ww-local-wecom';
export const LOCAL_APP = { agentId: 1000002, name: '工单应用' } as const;

/** A group robot webhook message, in the group whose robot sent it. */
export interface LocalWebhookMessage {
  /** `webhook:1`, `webhook:2`, … in the order received. */
  readonly id: string;
  readonly chatId: string;
  readonly msgtype: string;
  /** The text or markdown as sent (a template card: its JSON; other types: what the fake records). */
  readonly content: string;
  /** Whom it @-mentions (mentioned_list, mobiles and inline `<@userid>`), and whether it @-mentions everyone. */
  readonly mentionedUserIds: readonly string[];
  readonly mentionsAll: boolean;
  readonly at: Date;
}

/** A private message of the self-built app, as one member received it. */
export interface LocalAppMessage {
  /** `app:<msgid>:<userid>` (one send to several people is one message each). */
  readonly id: string;
  readonly userId: string;
  readonly msgtype: string;
  /** The text or markdown as sent (a template card: its JSON as currently shown; a textcard: title and description). */
  readonly content: string;
  readonly at: Date;
  /** Set when a template card was updated since. */
  readonly updatedAt?: Date;
}

export type LocalChannelMessage = { readonly type: 'webhook'; readonly message: LocalWebhookMessage } | { readonly type: 'app'; readonly message: LocalAppMessage };

/** A click on a button of a template card the bot sent (a group's by chatId, else the clicker's 1:1 chat's). */
export interface LocalCardClick {
  readonly chatId?: string;
  readonly userId: string;
  /** The card's task_id, as WeCom echoes it in the click (reference 1.11). */
  readonly taskId: string;
  /** The clicked button's key. */
  readonly eventKey: string;
}

export interface LocalMessage {
  /** A group's chatid; absent for a 1:1 chat with the bot. */
  readonly chatId?: string;
  readonly userId: string;
  readonly text: string;
  /** The text of the message quote-replied to. */
  readonly quote?: string;
}

/**
 * WeCom on this machine, for trying the chat without a tenant: the fake long-connection server the
 * smart robot connects to, the fake HTTP API behind the group robot webhook of the default group and
 * the self-built app (private messages, the directory), its groups and staff, and what the /dev/wecom
 * page needs to type into it and show what the bot, the webhook and the app send. Development only
 * (see Config.localWecom): it stands in only for what is not configured.
 */
export class LocalWecom {
  private readonly webhookLog: LocalWebhookMessage[] = [];
  private readonly appLog = new Map<string, LocalAppMessage>();
  private readonly listeners = new Set<(change: LocalChannelMessage) => void>();
  private readonly stopFollowing: () => void;
  /** Which of its channels the service uses (fillIn): none until then. */
  private uses = { webhook: false, app: false };

  private constructor(
    private readonly fake: FakeWeComLongConnection,
    private readonly secret: string,
    private readonly http: FakeWeComHttpApi,
    private readonly appSecret: string,
    private readonly webhookKey: string,
  ) {
    this.stopFollowing = http.onChange((change) => this.follow(change));
  }

  static async start(): Promise<LocalWecom> {
    const secret = randomUUID();
    const appSecret = randomUUID();
    const webhookKey = randomUUID();
    const fake = await FakeWeComLongConnection.start({ botId: 'local-wecom-bot', secret });
    let http: FakeWeComHttpApi;
    try {
      http = await FakeWeComHttpApi.start({ corpId: LOCAL_CORP_ID, apps: [{ agentId: LOCAL_APP.agentId, secret: appSecret }], webhookKeys: [webhookKey], directory: DEFAULT_DIRECTORY });
    } catch (error) {
      await fake.close();
      throw error;
    }
    return new LocalWecom(fake, secret, http, appSecret, webhookKey);
  }

  /** How the service's smart robot reaches this WeCom. */
  get robotOptions(): SmartRobotOptions {
    return { botId: 'local-wecom-bot', secret: this.secret, wsUrl: this.fake.url, defaultChatId: LOCAL_GROUPS[0].chatId };
  }

  /** The group robot webhook of the default group (售后服务群), as GROUP_WEBHOOK_URL would name it. */
  get groupWebhookUrl(): string {
    return this.http.webhookUrl(this.webhookKey);
  }

  /** The self-built app, as CORP_ID, CORP_SECRET, AGENT_ID and WECOM_API_BASE would name it. */
  get appCredentials(): AppCredentials {
    return { corpId: LOCAL_CORP_ID, secret: this.appSecret, agentId: LOCAL_APP.agentId, apiBase: this.http.url };
  }

  /**
   * `config` with this WeCom's group webhook and self-built app where none is configured (a real one
   * that is configured stays in use), as the service's core is to be opened with.
   */
  fillIn(config: Config): Config {
    this.uses = { webhook: !config.wecom.groupWebhookUrl, app: !config.app };
    return {
      ...config,
      wecom: { ...config.wecom, groupWebhookUrl: config.wecom.groupWebhookUrl ?? this.groupWebhookUrl },
      app: config.app ?? this.appCredentials,
    };
  }

  /** Which of this WeCom's channels the service uses (the smart robot always). */
  get channels(): { readonly webhook: boolean; readonly app: boolean } {
    return { ...this.uses };
  }

  get connected(): boolean {
    return this.fake.authenticatedConnections > 0;
  }

  /** The staff, and the default group's webhook for the group's own conversation too (its tickets' reminders go by webhook). */
  async seed(services: { readonly staff: StaffDirectory; readonly webhooks: WebhookDirectory }): Promise<void> {
    await this.seedStaff(services.staff);
    if (this.uses.webhook) await services.webhooks.set(`chat:${LOCAL_GROUPS[0].chatId}`, this.groupWebhookUrl);
  }

  async seedStaff(staff: StaffDirectory): Promise<void> {
    for (const member of LOCAL_STAFF) await staff.ensure(member.userId, { name: member.name, role: member.role });
  }

  /**
   * Removes the webhooks that point at this WeCom (kept in the database): a later start with a real
   * tenant must not send the default group's reminders to a local address that is gone. Best effort.
   */
  async forgetWebhooks(webhooks: WebhookDirectory): Promise<void> {
    try {
      for (const row of await webhooks.list()) if (row.url === this.groupWebhookUrl) await webhooks.remove(row.conversation);
    } catch {
      // The database is going away too; the next local start replaces the address anyway.
    }
  }

  /** A staff member sends a message (the bot sees it as WeCom would deliver it). */
  send(message: LocalMessage): DeliveredCallback {
    return this.fake.sendText({
      ...(message.chatId === undefined ? { chattype: 'single' as const } : { chatid: message.chatId, chattype: 'group' as const }),
      userid: message.userId,
      content: message.text,
      ...(message.quote === undefined ? {} : { quote: { msgtype: 'text' as const, text: { content: message.quote } } }),
    });
  }

  /**
   * A staff member clicks a button of a card the bot sent there: the `template_card_event` WeCom
   * delivers, its payload nested under the event's name (reference 1.7), with the card's type. Only a
   * card the conversation has (as currently shown) and one of its buttons: WeCom sends no other clicks.
   */
  clickCard(click: LocalCardClick): DeliveredCallback {
    const conversationId = click.chatId ?? click.userId;
    const card = this.fake
      .conversation(conversationId)
      ?.botMessages.filter((message) => message.msgtype === 'template_card')
      .map((message) => clickableCard(message.content))
      .find((candidate) => candidate?.taskId === click.taskId);
    if (!card) throw badInput('这个会话里没有这张卡片', 'No such card in this conversation', { taskId: click.taskId });
    if (!card.buttonKeys.includes(click.eventKey)) {
      throw badInput('这张卡片没有这个按钮', 'The card has no such button', { eventKey: click.eventKey });
    }
    return this.fake.sendEvent({
      eventtype: 'template_card_event',
      userid: click.userId,
      ...(click.chatId === undefined ? { chattype: 'single' as const } : { chatid: click.chatId, chattype: 'group' as const }),
      template_card_event: { card_type: card.cardType, event_key: click.eventKey, task_id: click.taskId },
    });
  }

  conversations(): Conversation[] {
    return this.fake.conversations();
  }

  /** What the group robot webhooks sent, oldest first. */
  webhookMessages(): LocalWebhookMessage[] {
    return [...this.webhookLog];
  }

  /** What the self-built app sent people in private (of one member, or everyone), oldest first. */
  appMessages(userId?: string): LocalAppMessage[] {
    return [...this.appLog.values()].filter((message) => userId === undefined || message.userId === userId);
  }

  /** The fake WeCom's directory (the staff the directory sync copies in): userid, name, alias. */
  directory(): { userId: string; name: string; alias: string }[] {
    return this.http.directory.map((member) => ({ userId: member.userid, name: member.name, alias: member.alias }));
  }

  /** Calls `listener` with each conversation that changes; returns the way to stop. */
  onChange(listener: (conversation: Conversation) => void): () => void {
    return this.fake.onChange(listener);
  }

  /** Calls `listener` with each webhook message and each app message received or updated; returns the way to stop. */
  onChannelMessage(listener: (change: LocalChannelMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.stopFollowing();
    this.listeners.clear();
    await Promise.all([this.fake.close(), this.http.close()]);
  }

  private follow(change: FakeApiChange): void {
    if (change.type === 'webhookMessage') {
      const message = this.webhookMessageOf(change.message);
      this.webhookLog.push(message);
      this.emit({ type: 'webhook', message });
    } else if (change.type === 'appMessage' || change.type === 'cardUpdated') {
      const message = appMessageOf(change.message);
      this.appLog.set(message.id, message);
      this.emit({ type: 'app', message });
    }
  }

  private webhookMessageOf(message: WebhookMessage): LocalWebhookMessage {
    return {
      id: `webhook:${this.webhookLog.length + 1}`,
      // The only key is the default group's.
      chatId: LOCAL_GROUPS[0].chatId,
      msgtype: message.msgtype,
      content: message.msgtype === 'template_card' ? JSON.stringify(message.payload) : message.content,
      mentionedUserIds: message.mentionedUserIds,
      mentionsAll: message.mentionsAll,
      at: message.at,
    };
  }

  private emit(change: LocalChannelMessage): void {
    for (const listener of this.listeners) listener(change);
  }
}

function appMessageOf(message: AppMessage): LocalAppMessage {
  return {
    id: `app:${message.msgid}:${message.userId}`,
    userId: message.userId,
    msgtype: message.msgtype,
    content: message.msgtype === 'template_card' ? JSON.stringify(message.payload) : message.content,
    at: message.at,
    ...(message.updatedAt === undefined ? {} : { updatedAt: message.updatedAt }),
  };
}

/** What a click needs of a recorded card (its JSON as the fake keeps it): type, task_id, button keys. */
interface ClickableCard {
  readonly cardType: string;
  readonly taskId: string;
  readonly buttonKeys: readonly string[];
}

function clickableCard(content: string): ClickableCard | undefined {
  let card: unknown;
  try {
    card = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (!isRecord(card) || typeof card.card_type !== 'string' || typeof card.task_id !== 'string') return undefined;
  const buttons = Array.isArray(card.button_list) ? card.button_list : [];
  const buttonKeys = buttons.flatMap((button: unknown) => (isRecord(button) && typeof button.key === 'string' ? [button.key] : []));
  return { cardType: card.card_type, taskId: card.task_id, buttonKeys };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
