import { EntityRepositoryType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ProblemTermRepository } from '../repositories/problem-term.repository.js';

/**
 * How many tickets use each problem term (see domain/problem-terms): what similar-ticket search
 * weighs terms by. Recounted from the tickets hourly; the row with the empty term, which no text
 * yields, holds how many tickets were counted.
 */
@Entity({ tableName: 'problem_term_counts', repository: () => ProblemTermRepository })
export class ProblemTermCount {
  [EntityRepositoryType]?: ProblemTermRepository;

  @PrimaryKey({ type: 'text' })
  term!: string;

  @Property({ type: 'integer' })
  tickets!: number;
}
