import { Field, ID, ObjectType } from 'type-graphql';
import type { TicketEventRecord } from '../domain/records.js';
import { TicketEventType } from './enums.js';
import { bilingual } from './bilingual.js';

@ObjectType('TicketEvent', { simpleResolvers: true, description: bilingual('工单审计记录中的一条（只追加，不修改）。', 'One entry of a ticket\'s append-only audit trail.') })
export class TicketEventNode {
  @Field(() => ID, { description: bilingual('事件编号，随记录顺序递增。', 'Increases with every event recorded.') })
  id!: string;

  @Field(() => ID, { description: bilingual('所属工单号。', 'The ticket it belongs to.') })
  ticketId!: string;

  @Field(() => TicketEventType, { description: bilingual('发生了什么。', 'What happened.') })
  type!: TicketEventType;

  @Field({ description: bilingual('做出修改的人的企业微信 userid，系统自动修改时为 "system"。', 'WeCom userid of who made the change, or "system".') })
  actorId!: string;

  @Field(() => String, { nullable: true, description: bilingual('做出修改的人的显示名。', 'The display name of who made the change.') })
  actorName!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('修改前的值（状态、负责人 userid 或进度）。', 'Value before the change (status, assignee userid or progress).') })
  from!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('修改后的值。', 'Value after the change.') })
  to!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('备注，例如聊天中关键字之后的文字。', 'A note, such as the text after the keyword in chat.') })
  note!: string | null;

  @Field({ description: bilingual('发生的时间。', 'When it happened.') })
  createdAt!: Date;

  static from(event: TicketEventRecord): TicketEventNode {
    const { id, type, actorId, actorName, note, createdAt } = event;
    return Object.assign(new TicketEventNode(), {
      id,
      ticketId: String(event.ticketId),
      type,
      actorId,
      actorName,
      from: event.fromValue,
      to: event.toValue,
      note,
      createdAt,
    });
  }
}
