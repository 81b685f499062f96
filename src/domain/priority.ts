export enum Priority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}

/** The order lists and counts show priorities in. */
export const PRIORITIES_MOST_URGENT_FIRST: readonly Priority[] = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW];

export const PRIORITY_ICON: Readonly<Record<Priority, string>> = {
  [Priority.LOW]: '⬇️',
  [Priority.NORMAL]: '➡️',
  [Priority.HIGH]: '⬆️',
  [Priority.URGENT]: '🚨',
};

export const PRIORITY_LABEL: Readonly<Record<Priority, string>> = {
  [Priority.LOW]: '低',
  [Priority.NORMAL]: '普通',
  [Priority.HIGH]: '高',
  [Priority.URGENT]: '紧急',
};

/** Checked in order; the first rule whose keyword appears (not negated by 不/非) wins. */
const KEYWORD_RULES: ReadonlyArray<{ keywords: readonly string[]; priority: Priority }> = [
  { keywords: ['紧急', '严重'], priority: Priority.URGENT },
  { keywords: ['高优先级'], priority: Priority.HIGH },
  { keywords: ['低优先级'], priority: Priority.LOW },
];

const NEGATIONS = ['不', '非', '没有', '并不'];

function mentionsAffirmatively(text: string, keyword: string): boolean {
  for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) {
    const before = text.slice(Math.max(0, at - 2), at);
    if (!NEGATIONS.some((negation) => before.endsWith(negation))) return true;
  }
  return false;
}

/** A word that only sets the priority ("紧急", "不紧急"): commands drop it from the problem text. */
export function isPriorityKeyword(word: string): boolean {
  const keyword = NEGATIONS.reduce((w, negation) => (w.startsWith(negation) ? w.slice(negation.length) : w), word);
  return KEYWORD_RULES.some((rule) => rule.keywords.includes(keyword));
}

/** 紧急/严重 → URGENT, 高优先级 → HIGH, 低优先级 → LOW, otherwise NORMAL ("不紧急" does not count). */
export function derivePriority(...texts: ReadonlyArray<string | null | undefined>): Priority {
  const text = texts.filter(Boolean).join('\n');
  const rule = KEYWORD_RULES.find((r) => r.keywords.some((k) => mentionsAffirmatively(text, k)));
  return rule?.priority ?? Priority.NORMAL;
}
