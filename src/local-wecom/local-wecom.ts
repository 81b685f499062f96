import { randomUUID } from 'node:crypto';
import { StaffRole } from '../domain/staff-role.js';
import type { StaffDirectory } from '../staff/staff-directory.js';
import type { SmartRobotOptions } from '../wecom/smart-robot.js';
import { FakeWeComLongConnection, type Conversation, type DeliveredCallback } from './long-connection-server.js';

/** The groups of the local WeCom; the first is the default group (tickets created outside a chat). */
export const LOCAL_GROUPS = [
  { chatId: 'wrLocalAfterSales', name: '售后服务群' },
  { chatId: 'wrLocalOps', name: '运维支持群' },
] as const;

/** The staff of the local WeCom, added to the staff directory at start so "@李四" resolves. */
export const LOCAL_STAFF = [
  { userId: 'zhangsan', name: '张三', role: StaffRole.AGENT },
  { userId: 'lisi', name: '李四', role: StaffRole.AGENT },
  { userId: 'wangwu', name: '王五', role: StaffRole.AGENT },
  { userId: 'zhaozhuguan', name: '赵主管', role: StaffRole.LEAD },
] as const;

export const LOCAL_BOT_NAME = '工单助手';

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
 * smart robot connects to, its groups and staff, and what the /dev/wecom page needs to type into
 * it and show what the bot answers. Development only (see Config.localWecom).
 */
export class LocalWecom {
  private constructor(
    private readonly fake: FakeWeComLongConnection,
    private readonly secret: string,
  ) {}

  static async start(): Promise<LocalWecom> {
    const secret = randomUUID();
    return new LocalWecom(await FakeWeComLongConnection.start({ botId: 'local-wecom-bot', secret }), secret);
  }

  /** How the service's smart robot reaches this WeCom. */
  get robotOptions(): SmartRobotOptions {
    return { botId: 'local-wecom-bot', secret: this.secret, wsUrl: this.fake.url, defaultChatId: LOCAL_GROUPS[0].chatId };
  }

  get connected(): boolean {
    return this.fake.authenticatedConnections > 0;
  }

  async seedStaff(staff: StaffDirectory): Promise<void> {
    for (const member of LOCAL_STAFF) await staff.ensure(member.userId, { name: member.name, role: member.role });
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

  conversations(): Conversation[] {
    return this.fake.conversations();
  }

  /** Calls `listener` with each conversation that changes; returns the way to stop. */
  onChange(listener: (conversation: Conversation) => void): () => void {
    return this.fake.onChange(listener);
  }

  close(): Promise<void> {
    return this.fake.close();
  }
}
