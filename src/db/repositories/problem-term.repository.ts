import { EntityRepository } from '@mikro-orm/postgresql';
import { ProblemTermCount } from '../entities/problem-term-count.entity.js';
import { Ticket } from '../entities/ticket.entity.js';
import { PROBLEM_TERMS_COLUMN } from './ticket.repository.js';

/** The row of problem_term_counts that holds how many tickets were counted (no text yields the empty term). */
export const CORPUS_SIZE_TERM = '';

/** How many tickets use each problem term: the weights of similar-ticket search. */
export class ProblemTermRepository extends EntityRepository<ProblemTermCount> {
  private get table(): string {
    return `"${this.em.getMetadata().get(ProblemTermCount).tableName}"`;
  }

  /** The counts of these terms (absent: no ticket had them at the last count) and how many tickets were counted. */
  async countsOf(terms: readonly string[]): Promise<{ counts: Map<string, number>; tickets: number }> {
    const rows = await this.em.execute<{ term: string; tickets: number }[]>(
      `select "term", "tickets" from ${this.table} where "term" in (${[CORPUS_SIZE_TERM, ...terms].map(() => '?').join(', ')})`,
      [CORPUS_SIZE_TERM, ...terms],
    );
    const counts = new Map(rows.map((row) => [row.term, Number(row.tickets)]));
    const tickets = counts.get(CORPUS_SIZE_TERM) ?? 0;
    counts.delete(CORPUS_SIZE_TERM);
    return { counts, tickets };
  }

  /** Counts every ticket's terms afresh, replacing the counts in one transaction (readers see the old ones until it commits). */
  async recount(): Promise<{ terms: number; tickets: number }> {
    const tickets = `"${this.em.getMetadata().get(Ticket).tableName}"`;
    return this.em.transactional(async (tx) => {
      await tx.execute(`delete from ${this.table}`);
      await tx.execute(
        `insert into ${this.table} ("term", "tickets")
         select "term", count(*) from ${tickets}, unnest(tsvector_to_array(${PROBLEM_TERMS_COLUMN})) as "term" group by 1
         union all select ?, count(*) from ${tickets}`,
        [CORPUS_SIZE_TERM],
      );
      const [row] = await tx.execute<{ terms: string; tickets: string }[]>(
        `select count(*) - 1 as "terms", max("tickets") filter (where "term" = ?) as "tickets" from ${this.table}`,
        [CORPUS_SIZE_TERM],
      );
      return { terms: Number(row?.terms ?? 0), tickets: Number(row?.tickets ?? 0) };
    });
  }
}
