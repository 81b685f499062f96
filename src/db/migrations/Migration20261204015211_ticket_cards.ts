import { Migration } from '@mikro-orm/migrations';

/** The interactive card an outbox message carries beside its text (the new-ticket card with 认领 and 已解决). */
export class Migration20261204015211 extends Migration {

  override name = 'Migration20261204015211';

  override up(): void | Promise<void> {
    this.addSql(`alter table "notifications" add "card" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notifications" drop column "card";`);
  }

}
