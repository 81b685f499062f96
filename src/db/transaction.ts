import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from './orm.js';

/**
 * Runs one use case as one transaction on a fresh unit of work: everything it changes
 * (the ticket, its events, a new customer) commits together or not at all.
 * A unique-constraint race (two requests creating the same customer) is retried once.
 */
export async function inTransaction<T>(orm: Orm, work: (em: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await orm.em.fork().transactional(work);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException && attempt === 1) continue;
      throw error;
    }
  }
}
