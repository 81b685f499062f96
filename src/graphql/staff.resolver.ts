import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { StaffRole } from '../domain/staff-role.js';
import type { GraphQLContext } from './context.js';
import { StaffInput } from './staff.input.js';
import { StaffNode } from './staff.type.js';
import { bilingual } from './bilingual.js';

@Resolver(() => StaffNode)
export class StaffResolver {
  @Query(() => StaffNode, { nullable: true, description: bilingual('调用者本人的员工资料；不在员工名录中时为 null。', 'The caller\'s staff record; null if they are not in the directory.') })
  async me(@Ctx() { em, actor, services }: GraphQLContext): Promise<StaffNode | null> {
    const staff = await services.staff.findByUserId(em, actor.userId);
    return staff ? StaffNode.from(staff) : null;
  }

  @Query(() => [StaffNode], { description: bilingual('姓名、userid 或别名匹配的员工，按姓名排序。', 'Staff whose name, userid or alias matches, by name.') })
  async staffMembers(
    @Ctx() { em, services }: GraphQLContext,
    @Arg('search', () => String, { nullable: true, description: bilingual('姓名、userid 或别名中的文字；省略时列出全部。', 'Text of a name, userid or alias; everyone when absent.') }) search?: string | null,
    @Arg('first', () => Int, { nullable: true, description: bilingual('最多多少位（默认 20，最多 100）。', 'How many at most (default 20, at most 100).') }) first?: number | null,
  ): Promise<StaffNode[]> {
    return (await services.staff.search(em, search, first)).map(StaffNode.from);
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => StaffNode, { description: bilingual('按 userid 新建或更新员工（仅管理员）。', 'Creates or updates a staff member by userid (ADMIN only).') })
  async upsertStaff(@Arg('input', () => StaffInput, { description: bilingual('员工资料。', 'The staff member\'s details.') }) input: StaffInput, @Ctx() { services }: GraphQLContext): Promise<StaffNode> {
    const staff = await services.staff.upsert({ userId: input.userId, name: input.name, aliases: input.aliases ?? undefined, role: input.role ?? undefined });
    return StaffNode.from(staff);
  }
}
