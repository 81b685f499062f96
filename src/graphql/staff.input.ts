import { Field, InputType } from 'type-graphql';
import { StaffRole } from './enums.js';
import { bilingual } from './bilingual.js';

@InputType({ description: bilingual('员工资料，按 userid 新建或更新。', 'A staff member\'s details, created or updated by userid.') })
export class StaffInput {
  @Field({ description: bilingual('企业微信 userid。', 'The WeCom userid.') })
  userId!: string;

  @Field({ description: bilingual('显示名，与企业微信一致。', 'The display name, as in WeCom.') })
  name!: string;

  @Field(() => [String], { nullable: true, description: bilingual('别名：同事 @ 这位员工时用的其他名字。', 'Other names people use to @-mention them.') })
  aliases?: string[] | null;

  @Field(() => StaffRole, { nullable: true, description: bilingual('角色；新员工默认为 AGENT，更新时省略则保持不变。', 'The role; AGENT for a new member, unchanged on update when omitted.') })
  role?: StaffRole | null;
}
