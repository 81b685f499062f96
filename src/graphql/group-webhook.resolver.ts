import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import { DEFAULT_CONVERSATION } from '../domain/notification.js';
import { parseInput } from '../domain/input-validation.js';
import { StaffRole } from '../domain/staff-role.js';
import type { GroupWebhook } from '../db/entities/index.js';
import { webhookLabel } from '../wecom/group-webhook.js';
import type { GraphQLContext } from './context.js';
import { bilingual } from './bilingual.js';

@ObjectType('GroupWebhook', {
  simpleResolvers: true,
  description: bilingual(
    '群机器人（webhook）：服务向某个群推送消息（默认只推送超时提醒，@ 提醒可靠）的渠道。webhook 地址中的 key 即凭证，这里只显示末尾几位。',
    'A group robot webhook: how the service posts to a group (by default only the reminders, whose @-mentions it delivers reliably). Its key is its credential, so only its last characters are shown.',
  ),
})
export class GroupWebhookNode {
  @Field(() => String, { nullable: true, description: bilingual('群的企业微信 chatid；默认群（GROUP_WEBHOOK_URL）为 null。', 'The group\'s WeCom chatid; null for the default group (GROUP_WEBHOOK_URL).') })
  chatId!: string | null;

  @Field({ description: bilingual('webhook 的标识（只含 key 的末尾几位）。', 'Which webhook (only the last characters of its key).') })
  label!: string;

  @Field({ description: bilingual('企业微信已判定此 key 失效（93000/93004：机器人被移出群或被停用）；需更换。', 'WeCom declared the key gone (93000/93004: the robot was removed or disabled); replace it.') })
  dead!: boolean;

  @Field(() => Date, { nullable: true, description: bilingual('判定失效的时间。', 'When it was declared gone.') })
  deadAt!: Date | null;

  @Field(() => String, { nullable: true, description: bilingual('企业微信最后一次的错误答复。', 'WeCom\'s last error answer.') })
  lastError!: string | null;

  @Field({ description: bilingual('最后修改时间。', 'When it last changed.') })
  updatedAt!: Date;

  static from(row: GroupWebhook): GroupWebhookNode {
    return Object.assign(new GroupWebhookNode(), {
      chatId: row.conversation === DEFAULT_CONVERSATION ? null : row.conversation.slice('chat:'.length),
      label: webhookLabel(row.url),
      dead: row.deadAt !== null,
      deadAt: row.deadAt,
      lastError: row.lastError,
      updatedAt: row.updatedAt,
    });
  }
}

const WEBHOOK_URL = z
  .string()
  .trim()
  .url()
  .refine((url) => /^https?:$/.test(new URL(url).protocol) && (new URL(url).searchParams.get('key') ?? '') !== '', {
    message: 'webhook 地址应为 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… 这样带 key 的地址',
    params: { en: 'The webhook URL must look like https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' },
  });
const CHAT_ID = z.string().trim().min(1).max(128);

const conversationOf = (chatId: string | null | undefined): string => (chatId ? `chat:${parseInput(CHAT_ID, chatId)}` : DEFAULT_CONVERSATION);

@Resolver()
export class GroupWebhookResolver {
  @Authorized(StaffRole.ADMIN)
  @Query(() => [GroupWebhookNode], { description: bilingual('所有群机器人及其状态，含已失效的（仅管理员）。', 'Every group robot webhook and its state, the dead ones included (ADMIN only).') })
  async groupWebhooks(@Ctx() { services }: GraphQLContext): Promise<GroupWebhookNode[]> {
    return (await services.webhooks.list()).map(GroupWebhookNode.from);
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => GroupWebhookNode, { description: bilingual('设置或更换一个群的群机器人 webhook，并清除失效标记（仅管理员）。', 'Sets or replaces a group\'s robot webhook and clears its dead mark (ADMIN only).') })
  async setGroupWebhook(
    @Arg('url', () => String, { description: bilingual('群机器人的 webhook 地址（含 key）。', 'The robot\'s webhook URL (with its key).') }) url: string,
    @Arg('chatId', () => String, { nullable: true, description: bilingual('群的企业微信 chatid；省略时为默认群。', 'The group\'s WeCom chatid; the default group when absent.') }) chatId: string | null | undefined,
    @Ctx() { services }: GraphQLContext,
  ): Promise<GroupWebhookNode> {
    const conversation = conversationOf(chatId);
    await services.webhooks.set(conversation, parseInput(WEBHOOK_URL, url));
    return GroupWebhookNode.from((await services.webhooks.list()).find((row) => row.conversation === conversation)!);
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => Boolean, { description: bilingual('移除一个群的群机器人；此后该群的消息由智能机器人发送（仅管理员）。返回是否有被移除的。', 'Removes a group\'s robot webhook; the smart robot then carries its messages (ADMIN only). Whether there was one.') })
  async removeGroupWebhook(
    @Arg('chatId', () => String, { nullable: true, description: bilingual('群的企业微信 chatid；省略时为默认群。', 'The group\'s WeCom chatid; the default group when absent.') }) chatId: string | null | undefined,
    @Ctx() { services }: GraphQLContext,
  ): Promise<boolean> {
    return services.webhooks.remove(conversationOf(chatId));
  }
}
