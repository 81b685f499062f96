import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126073109 } from './Migration20261126073109_initial.js';
import { Migration20261126090050 } from './Migration20261126090050_one_text_index.js';
import { Migration20261126090455 } from './Migration20261126090455_partial_indexes.js';
import { Migration20261126100000 } from './Migration20261126100000_event_log_positions.js';
import { Migration20261202135639 } from './Migration20261202135639_reminders_outbox.js';
import { Migration20261202160000 } from './Migration20261202160000_tickets_room_for_updates.js';
import { Migration20261204004059 } from './Migration20261204004059_chat_state.js';
import { Migration20261204012652 } from './Migration20261204012652_group_webhooks.js';
import { Migration20261204013340 } from './Migration20261204013340_assignment_notices.js';
import { Migration20261204015211 } from './Migration20261204015211_ticket_cards.js';
import { Migration20261204022832 } from './Migration20261204022832_customer_name_prefix.js';
import { Migration20261204032552 } from './Migration20261204032552_report_indexes.js';
import { Migration20261204040000 } from './Migration20261204040000_similar_tickets.js';
import { Migration20261204043000 } from './Migration20261204043000_ticket_comments.js';
import { Migration20261204044500 } from './Migration20261204044500_customer_events_index.js';
import { Migration20261204050000 } from './Migration20261204050000_website_rate_limits.js';

/** Every migration, in order. `npm run migration:create` writes a new file; list it here. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261126073109', class: Migration20261126073109 },
  { name: 'Migration20261126090050', class: Migration20261126090050 },
  { name: 'Migration20261126090455', class: Migration20261126090455 },
  { name: 'Migration20261126100000', class: Migration20261126100000 },
  { name: 'Migration20261202135639', class: Migration20261202135639 },
  { name: 'Migration20261202160000', class: Migration20261202160000 },
  { name: 'Migration20261204004059', class: Migration20261204004059 },
  { name: 'Migration20261204012652', class: Migration20261204012652 },
  { name: 'Migration20261204013340', class: Migration20261204013340 },
  { name: 'Migration20261204015211', class: Migration20261204015211 },
  { name: 'Migration20261204022832', class: Migration20261204022832 },
  { name: 'Migration20261204032552', class: Migration20261204032552 },
  { name: 'Migration20261204040000', class: Migration20261204040000 },
  { name: 'Migration20261204043000', class: Migration20261204043000 },
  { name: 'Migration20261204044500', class: Migration20261204044500 },
  { name: 'Migration20261204050000', class: Migration20261204050000 },
];
