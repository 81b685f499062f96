/**
 * What makes two problem descriptions alike. Chinese has no spaces between words, so a text is
 * cut into words by ICU's dictionary segmenter (Intl.Segmenter, built into Node); characters it
 * cannot place in a word (names it does not know: 路由器 → 路 由 器) are paired into bigrams, so
 * they still match. Latin words and numbers (VPN, E731) are terms as they are, in lower case.
 *
 * Searching weighs each term by how rare it is among all tickets (inverse document frequency):
 * 无法 or 客户 says little, 发票 or E731 a lot. Candidates come from the terms index (among many
 * tickets, those sharing two of the query's rarest terms); each is scored by the share of the
 * query's weight it contains.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const SINGLE_HAN = /^\p{Script=Han}$/u;
/** A term is letters and digits only, so it is always a valid text-search lexeme as it stands. */
const TERM_PARTS = /[\p{L}\p{N}]+/gu;

/** The distinct terms of a text, in the order they first appear. */
export function problemTerms(text: string): string[] {
  const terms = new Set<string>();
  let loneHan: string[] = [];
  const pairLoneHan = () => {
    for (let i = 0; i + 1 < loneHan.length; i++) terms.add(loneHan[i]! + loneHan[i + 1]!);
    loneHan = [];
  };
  for (const { segment, isWordLike } of segmenter.segment(text.toLowerCase())) {
    if (!isWordLike) {
      pairLoneHan();
      continue;
    }
    for (const part of segment.match(TERM_PARTS) ?? []) {
      if (SINGLE_HAN.test(part)) {
        loneHan.push(part);
        continue;
      }
      pairLoneHan();
      terms.add(part);
    }
  }
  pairLoneHan();
  return [...terms];
}

/** How many candidates are scored at most: enough to find the best among near-duplicates, few enough to stay fast. */
export const SIMILARITY_CANDIDATES = 300;
/** Candidates share two of this many of the query's rarest terms. */
const KEY_TERMS = 3;
/** A term in more than this share of tickets is too common to find candidates by (it still scores). */
const KEY_TERM_MAX_SHARE = 0.05;
/**
 * The index entries the candidate lookup may read, summed over its terms: the lookup's cost grows
 * with them (about 10 ms for 60,000 on the benchmark machine), and terms that always come together
 * (OA办公系统: oa and 办公) would otherwise make a pair as common as each of them.
 */
const KEY_TERM_POSTINGS = 60_000;

export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/** How a search runs: each query term's weight, and the text-search queries that find candidates. */
export interface SimilaritySearchPlan {
  readonly terms: readonly WeightedTerm[];
  /** The sum of the weights: a ticket containing every term scores 1. */
  readonly totalWeight: number;
  /**
   * Text-search queries (tsquery syntax), strictest first: the next runs only while the ones
   * before found fewer tickets than asked for. Empty when no term of the query is in any ticket.
   */
  readonly candidateQueries: readonly string[];
}

/**
 * `ticketsWith(term)` is how many tickets contain the term (0 if none or unknown yet), `tickets`
 * how many there are. A term no ticket contains cannot find candidates, but it still counts in
 * the total: a query that is mostly new words matches nothing well. While every ticket sharing a
 * term can be scored, all are; beyond that, candidates share two of the rarest terms, then one,
 * and only selective terms (or, without any, the rarest) find candidates.
 */
export function planSimilaritySearch(terms: readonly string[], ticketsWith: (term: string) => number, tickets: number): SimilaritySearchPlan {
  const corpus = Math.max(tickets, 1);
  const counted = terms.map((term) => ({ term, count: ticketsWith(term) }));
  const weighted = counted.map(({ term, count }) => ({ term, weight: Math.log(1 + corpus / Math.max(count, 1)) }));
  const totalWeight = weighted.reduce((sum, t) => sum + t.weight, 0);
  // Nothing was counted yet (a new deployment before the first count): any shared term will do.
  if (tickets === 0) return { terms: weighted, totalWeight, candidateQueries: terms.length ? [anyOf(terms)] : [] };
  const present = counted.filter((t) => t.count > 0).sort((a, b) => a.count - b.count);
  if (present.reduce((sum, t) => sum + t.count, 0) <= SIMILARITY_CANDIDATES) {
    return { terms: weighted, totalWeight, candidateQueries: present.length ? [anyOf(present.map((t) => t.term))] : [] };
  }
  const selective = present.filter((t) => t.count <= corpus * KEY_TERM_MAX_SHARE);
  // A common term pairs with anything (客户比较着急 in thousands of tickets): only the rarest one
  // finds candidates when no term is selective.
  const keys = (selective.length > 0 ? withinPostingBudget(selective) : present.slice(0, 1)).map((t) => t.term);
  return { terms: weighted, totalWeight, candidateQueries: keys.length > 1 ? [pairsOf(keys), anyOf(keys)] : [anyOf(keys)] };
}

/** The rarest terms, up to KEY_TERMS, while the index entries they read stay within budget (the first always). */
function withinPostingBudget(rarestFirst: readonly { term: string; count: number }[]): { term: string; count: number }[] {
  const keys: { term: string; count: number }[] = [];
  let postings = 0;
  for (const term of rarestFirst.slice(0, KEY_TERMS)) {
    if (keys.length > 0 && postings + term.count > KEY_TERM_POSTINGS) break;
    keys.push(term);
    postings += term.count;
  }
  return keys;
}

function pairsOf(keys: readonly string[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) pairs.push(`(${lexeme(keys[i]!)} & ${lexeme(keys[j]!)})`);
  return pairs.join(' | ');
}

const anyOf = (terms: readonly string[]) => terms.map(lexeme).join(' | ');

/** A text-search query matching a ticket that shares any term (a customer's own tickets are few); null for no terms. */
export function anyTermQuery(terms: readonly string[]): string | null {
  return terms.length === 0 ? null : anyOf(terms);
}

const lexeme = (term: string) => `'${term}'`;

/** Below this score an earlier ticket is not named on a new ticket's card: it shares too little. */
export const CARD_SIMILARITY_THRESHOLD = 0.6;
