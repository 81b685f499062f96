import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * How far a durable consumer of the ticket event log has got (see EventLogStore for positions).
 * A consumer that crashes resumes here, so nothing committed is ever skipped.
 */
@Entity({ tableName: 'event_log_consumers' })
export class EventLogConsumer {
  @PrimaryKey({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'string', columnType: 'xid8' })
  txId!: string;

  @Property({ type: 'bigint' })
  eventId!: string;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
