import { Cursor, CursorError, type EntityClass, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../domain/errors.js';

export interface PageRequest {
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Page<T> {
  readonly items: readonly { node: T; cursor: string }[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

export const PAGE_SIZE = { default: 20, max: 100 } as const;
const MAX_SEARCH_CHARS = 100;

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return PAGE_SIZE.default;
  if (!Number.isInteger(first) || first < 1 || first > PAGE_SIZE.max) {
    throw badInput(`每页数量必须在 1 到 ${PAGE_SIZE.max} 之间，收到 ${first}`, `first must be between 1 and ${PAGE_SIZE.max}, got ${first}`, { field: 'first' });
  }
  return first;
}

export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A `%…%` pattern for a user's search text (escaped), or undefined when there is none. */
export function containsPattern(text: string | null | undefined, field = 'text'): string | undefined {
  const term = text?.trim();
  if (!term) return undefined;
  if (term.length > MAX_SEARCH_CHARS) {
    throw badInput(`搜索内容不能超过 ${MAX_SEARCH_CHARS} 个字`, `Search text must be at most ${MAX_SEARCH_CHARS} characters`, { field });
  }
  return `%${escapeLike(term)}%`;
}

const invalidCursor = () => badInput('分页游标无效', 'The page cursor is invalid', { field: 'after' });

/** A cursor this API issued: MikroORM's encoding of the one ordering key, the id. */
function checkedCursor(after: string | null | undefined): string | undefined {
  if (!after) return undefined;
  let values: unknown[];
  try {
    values = Cursor.decode(after);
  } catch {
    throw invalidCursor();
  }
  const id = Array.isArray(values) && values.length === 1 ? values[0] : undefined;
  // Integer ids, or bigint ids (which arrive as digit strings).
  if (!Number.isInteger(id) && !(typeof id === 'string' && /^\d{1,19}$/.test(id))) throw invalidCursor();
  return after;
}

/** Newest first, keyset-paginated with MikroORM's opaque cursors. */
export async function paginate<T extends { id: number | string }>(em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>, page: PageRequest): Promise<Page<T>> {
  const after = checkedCursor(page.after);
  try {
    const cursor = await em.findByCursor(entity, { where, first: pageSize(page.first), after, orderBy: { id: 'desc' } } as never);
    const items = cursor.items as T[];
    return {
      items: items.map((node) => ({ node, cursor: cursor.from(node as never) })),
      hasNextPage: cursor.hasNextPage,
      endCursor: cursor.endCursor,
      totalCount: cursor.totalCount,
    };
  } catch (error) {
    if (error instanceof CursorError) throw invalidCursor();
    throw error;
  }
}
