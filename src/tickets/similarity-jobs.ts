import type { Agenda } from 'agenda';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProblemTermCount } from '../db/entities/index.js';
import type { Logger } from '../logger.js';

/** Recounts how many tickets use each problem term (the weights of similar-ticket search), hourly. */
export const RECOUNT_PROBLEM_TERMS_JOB = 'recount-problem-terms';
const RECOUNT_SCHEDULE = '23 * * * *';

export async function startSimilarityJobs(agenda: Agenda, deps: { readonly em: EntityManager; readonly logger: Logger }): Promise<void> {
  agenda.define(
    RECOUNT_PROBLEM_TERMS_JOB,
    async () => {
      const started = performance.now();
      const counted = await deps.em.fork().getRepository(ProblemTermCount).recount();
      deps.logger.info({ ...counted, ms: Math.round(performance.now() - started) }, 'problem terms recounted');
    },
    { concurrency: 1, lockLifetime: 10 * 60_000 },
  );
  await agenda.every(RECOUNT_SCHEDULE, RECOUNT_PROBLEM_TERMS_JOB);
}
