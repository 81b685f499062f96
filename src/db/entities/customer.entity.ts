import { Collection, EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { CustomerRepository } from '../repositories/customer.repository.js';
import { Ticket } from './ticket.entity.js';

@Entity({ tableName: 'customers', repository: () => CustomerRepository })
@Index({ name: 'customers_name_trgm_idx', expression: 'create index "customers_name_trgm_idx" on "customers" using gin ("name" gin_trgm_ops)' })
// The start of a name (/查询工单 客户张): trigrams cannot serve a one- or two-character prefix, pattern order can.
@Index({ name: 'customers_name_prefix_idx', expression: 'create index "customers_name_prefix_idx" on "customers" ("name" varchar_pattern_ops)' })
export class Customer {
  [EntityRepositoryType]?: CustomerRepository;
  [OptionalProps]?: 'phone' | 'company';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 100, index: 'customers_name_idx' })
  name!: string;

  /** Unique when present (NULLs are distinct in a PostgreSQL unique constraint). */
  @Property({ type: 'string', length: 20, nullable: true, unique: 'customers_phone_unique' })
  phone: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  company: string | null = null;

  @OneToMany(() => Ticket, (ticket) => ticket.customer)
  tickets = new Collection<Ticket>(this);

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
