import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The version of a ticket's customer status link (domain/status-link): links of an earlier
 * version are revoked. No row: version 1, never revoked.
 */
@Entity({ tableName: 'customer_status_links' })
export class CustomerStatusLink {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  ticketId!: number;

  @Property({ type: 'integer' })
  version!: number;

  /** WeCom userid of who revoked the last link. */
  @Property({ type: 'string', length: 64 })
  revokedBy!: string;

  @Property({ type: 'datetime' })
  revokedAt!: Date;
}
