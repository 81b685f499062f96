import { Field, ID, ObjectType } from 'type-graphql';
import type { Staff } from '../db/entities/index.js';
import { StaffRole } from './enums.js';

@ObjectType('Staff', { simpleResolvers: true, description: '员工（企业微信成员）' })
export class StaffNode {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'WeCom userid.' })
  userId!: string;

  @Field({ description: 'Display name as in WeCom.' })
  name!: string;

  @Field(() => [String])
  aliases!: string[];

  @Field(() => StaffRole)
  role!: StaffRole;

  @Field()
  createdAt!: Date;

  static from(staff: Staff): StaffNode {
    const { userId, name, aliases, role, createdAt } = staff;
    return Object.assign(new StaffNode(), { id: String(staff.id), userId, name, aliases, role, createdAt });
  }
}
