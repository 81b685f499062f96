import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126073109 } from './Migration20261126073109_initial.js';

/** Every migration, in order. `npm run migration:create` writes a new file; list it here. */
export const MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261126073109', class: Migration20261126073109 }];
