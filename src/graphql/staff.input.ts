import { Field, InputType } from 'type-graphql';
import { StaffRole } from './enums.js';

@InputType()
export class StaffInput {
  @Field({ description: 'WeCom userid.' })
  userId!: string;

  @Field({ description: 'Display name as in WeCom.' })
  name!: string;

  @Field(() => [String], { nullable: true, description: 'Other names people use to @-mention them.' })
  aliases?: string[] | null;

  @Field(() => StaffRole, { nullable: true })
  role?: StaffRole | null;
}
