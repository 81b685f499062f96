import { Migration } from '@mikro-orm/migrations';
import { problemTerms } from '../../domain/problem-terms.js';
import { termsVector } from '../repositories/ticket.repository.js';

const BATCH = 5000;

/**
 * Similar-ticket search: each ticket's problem terms (domain/problem-terms, cut by ICU's word
 * segmenter, so computed here rather than in SQL), their index, and how many tickets use each term.
 */
export class Migration20261204040000 extends Migration {

  override name = 'Migration20261204040000';

  override async up(): Promise<void> {
    await this.execute(`alter table "tickets" add column "problem_terms" tsvector null;`);
    for (let after = 0; ;) {
      const rows = await this.execute(`select "id", "title", "description" from "tickets" where "id" > ? order by "id" limit ?`, [after, BATCH]);
      if (rows.length === 0) break;
      const ids = rows.map((row) => Number(row.id));
      const vectors = rows.map((row) => termsVector(problemTerms(`${String(row.title)} ${String(row.description)}`)));
      await this.execute(
        `update "tickets" set "problem_terms" = v."terms"::tsvector from (select unnest(?::int[]) as "id", unnest(?::text[]) as "terms") v where "tickets"."id" = v."id"`,
        [`{${ids.join(',')}}`, toArrayLiteral(vectors)],
      );
      after = ids.at(-1)!;
    }
    await this.execute(`create index "tickets_problem_terms_idx" on "tickets" using gin ("problem_terms");`);
    await this.execute(`create table "problem_term_counts" ("term" text not null, "tickets" int not null, constraint "problem_term_counts_pkey" primary key ("term"));`);
    await this.execute(
      `insert into "problem_term_counts" ("term", "tickets")
       select "term", count(*) from "tickets", unnest(tsvector_to_array("problem_terms")) as "term" group by 1
       union all select '', count(*) from "tickets";`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "problem_term_counts" cascade;`);
    this.addSql(`drop index "tickets_problem_terms_idx";`);
    this.addSql(`alter table "tickets" drop column "problem_terms";`);
  }

}

/** A text[] literal of the given strings (each quoted; tsvector texts hold single quotes, no double quotes or backslashes). */
const toArrayLiteral = (values: readonly string[]) => `{${values.map((value) => `"${value}"`).join(',')}}`;
