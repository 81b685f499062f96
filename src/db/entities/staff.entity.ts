import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { StaffRole } from '../../domain/staff-role.js';

/** A WeCom member who can be mentioned, assigned tickets and call the API. */
@Entity({ tableName: 'staff' })
@Index({ name: 'staff_aliases_idx', expression: 'create index "staff_aliases_idx" on "staff" using gin ("aliases")' })
export class Staff {
  [OptionalProps]?: 'aliases' | 'role';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  /** WeCom userid, e.g. "lisi". */
  @Property({ type: 'string', length: 64, unique: 'staff_user_id_unique' })
  userId!: string;

  /** Display name as shown in WeCom, e.g. "李四". */
  @Property({ type: 'string', length: 100, index: 'staff_name_idx' })
  name!: string;

  @Property({ type: 'text[]' })
  aliases: string[] = [];

  @Enum({ items: () => StaffRole, nativeEnumName: 'staff_role' })
  role: StaffRole = StaffRole.AGENT;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
