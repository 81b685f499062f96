import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { StaffRole } from '../domain/staff-role.js';
import type { GraphQLContext } from './context.js';
import { StaffInput } from './staff.input.js';
import { StaffNode } from './staff.type.js';

@Resolver(() => StaffNode)
export class StaffResolver {
  @Query(() => StaffNode, { nullable: true, description: 'The staff record of the caller, if there is one.' })
  async me(@Ctx() { em, actor, services }: GraphQLContext): Promise<StaffNode | null> {
    const staff = await services.staff.findByUserId(em, actor.userId);
    return staff ? StaffNode.from(staff) : null;
  }

  @Query(() => [StaffNode], { description: 'Staff whose name, userid or alias matches, by name.' })
  async staffMembers(
    @Ctx() { em, services }: GraphQLContext,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
  ): Promise<StaffNode[]> {
    return (await services.staff.search(em, search, first)).map(StaffNode.from);
  }

  @Authorized(StaffRole.ADMIN)
  @Mutation(() => StaffNode, { description: 'Creates or updates a staff member by userid (ADMIN only).' })
  async upsertStaff(@Arg('input', () => StaffInput) input: StaffInput, @Ctx() { services }: GraphQLContext): Promise<StaffNode> {
    const staff = await services.staff.upsert({ userId: input.userId, name: input.name, aliases: input.aliases ?? undefined, role: input.role ?? undefined });
    return StaffNode.from(staff);
  }
}
