import { Field, ID, ObjectType } from 'type-graphql';
import type { Staff } from '../db/entities/index.js';
import { StaffRole } from './enums.js';
import { bilingual } from './bilingual.js';

@ObjectType('Staff', { simpleResolvers: true, description: bilingual('员工：企业微信成员，可以处理工单。', 'A staff member: a WeCom member who works on tickets.') })
export class StaffNode {
  @Field(() => ID, { description: bilingual('员工编号。', 'The staff member\'s id.') })
  id!: string;

  @Field({ description: bilingual('企业微信 userid。', 'The WeCom userid.') })
  userId!: string;

  @Field({ description: bilingual('显示名，与企业微信一致。', 'The display name, as in WeCom.') })
  name!: string;

  @Field(() => [String], { description: bilingual('别名：同事 @ 这位员工时用的其他名字。', 'Other names people use to @-mention them.') })
  aliases!: string[];

  @Field(() => StaffRole, { description: bilingual('角色，决定可以做什么。', 'The role, which decides what they may do.') })
  role!: StaffRole;

  @Field({ description: bilingual('加入员工名录的时间。', 'When they joined the staff directory.') })
  createdAt!: Date;

  static from(staff: Staff): StaffNode {
    const { userId, name, aliases, role, createdAt } = staff;
    return Object.assign(new StaffNode(), { id: String(staff.id), userId, name, aliases, role, createdAt });
  }
}
