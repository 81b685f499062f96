import { Cursor, CursorError, type EntityClass, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../domain/errors.js';

/** A Relay page request: forward with first/after, or backward with last/before. */
export interface PageRequest {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

/** A page of items, newest first whichever way it was requested, with Relay's PageInfo fields. */
export interface Page<T> {
  readonly items: readonly { node: T; cursor: string }[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

export const PAGE_SIZE = { default: 20, max: 100 } as const;
const MAX_SEARCH_CHARS = 100;

export function pageSize(size: number | null | undefined, field: 'first' | 'last' = 'first'): number {
  if (size === null || size === undefined) return PAGE_SIZE.default;
  if (!Number.isInteger(size) || size < 1 || size > PAGE_SIZE.max) {
    throw badInput(`每页数量（${field}）必须在 1 到 ${PAGE_SIZE.max} 之间，收到 ${size}`, `${field} must be between 1 and ${PAGE_SIZE.max}, got ${size}`, { field });
  }
  return size;
}

export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function searchTerm(text: string | null | undefined, field: string): string | undefined {
  const term = text?.trim();
  if (!term) return undefined;
  if (term.length > MAX_SEARCH_CHARS) {
    throw badInput(`搜索内容不能超过 ${MAX_SEARCH_CHARS} 个字`, `Search text must be at most ${MAX_SEARCH_CHARS} characters`, { field });
  }
  return escapeLike(term);
}

/** A `%…%` pattern for a user's search text (escaped), or undefined when there is none. */
export function containsPattern(text: string | null | undefined, field = 'text'): string | undefined {
  const term = searchTerm(text, field);
  return term === undefined ? undefined : `%${term}%`;
}

/** A `…%` pattern: what starts with the user's text (escaped), or undefined when there is none. */
export function prefixPattern(text: string | null | undefined, field = 'text'): string | undefined {
  const term = searchTerm(text, field);
  return term === undefined ? undefined : `${term}%`;
}

const invalidCursor = (field: 'after' | 'before') => badInput(`分页游标（${field}）无效`, `The page cursor (${field}) is invalid`, { field });

/** A cursor this API issued: MikroORM's encoding of the one ordering key, the id. */
function checkedCursor(value: string | null | undefined, field: 'after' | 'before'): string | undefined {
  if (!value) return undefined;
  let values: unknown[];
  try {
    values = Cursor.decode(value);
  } catch {
    throw invalidCursor(field);
  }
  const id = Array.isArray(values) && values.length === 1 ? values[0] : undefined;
  // Integer ids, or bigint ids (which arrive as digit strings).
  if (!Number.isInteger(id) && !(typeof id === 'string' && /^\d{1,19}$/.test(id))) throw invalidCursor(field);
  return value;
}

/**
 * MikroORM's cursor options for a Relay request. Relay lets a client send first and last
 * together, with results that are hard to reason about; like most servers, this one refuses.
 */
function cursorOptions(page: PageRequest) {
  const after = checkedCursor(page.after, 'after');
  const before = checkedCursor(page.before, 'before');
  const backward = page.last != null;
  if (backward && page.first != null) {
    throw badInput('first 与 last 只能二选一：向后翻页用 first/after，向前翻页用 last/before', 'Send first or last, not both: first/after pages forward, last/before backward', { field: 'last' });
  }
  return backward ? { last: pageSize(page.last, 'last'), after, before } : { first: pageSize(page.first), after, before };
}

/** Newest first, keyset-paginated with MikroORM's opaque cursors, forward or backward. */
export async function paginate<T extends { id: number | string }>(em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>, page: PageRequest): Promise<Page<T>> {
  const options = cursorOptions(page);
  try {
    const cursor = await em.findByCursor(entity, { where, ...options, orderBy: { id: 'desc' } } as never);
    const items = cursor.items as T[];
    return {
      items: items.map((node) => ({ node, cursor: cursor.from(node as never) })),
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
      totalCount: cursor.totalCount,
    };
  } catch (error) {
    if (error instanceof CursorError) throw invalidCursor(options.before ? 'before' : 'after');
    throw error;
  }
}
