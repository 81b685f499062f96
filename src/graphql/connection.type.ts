import { type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Page } from '../db/pagination.js';
import { bilingual } from './bilingual.js';

/** Where a page sits in the whole list (Relay's PageInfo). */
@ObjectType({
  simpleResolvers: true,
  description: bilingual('分页信息：本页在整个列表中的位置（Relay 规范）。', 'Where this page sits in the whole list (the Relay PageInfo).'),
})
export class PageInfo {
  @Field({
    description:
      bilingual('之后是否还有（更早的）条目：为 true 时以 endCursor 作为 after 取下一页。向前翻页（last/before）时，给了 before 即为 true。', 'Whether more (older) items follow: if true, pass endCursor as after for the next page. When paging backward (last/before), true whenever before was given.'),
  })
  hasNextPage!: boolean;

  @Field({
    description:
      bilingual('之前是否还有（更新的）条目：为 true 时以 startCursor 作为 before、配合 last 取上一页。向后翻页（first/after）时，给了 after 即为 true。', 'Whether more (newer) items come before: if true, pass startCursor as before, with last, for the previous page. When paging forward (first/after), true whenever after was given.'),
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: bilingual('本页第一条的游标；本页为空时为 null。', 'The cursor of the first edge of this page; null when the page is empty.') })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('本页最后一条的游标；本页为空时为 null。', 'The cursor of the last edge of this page; null when the page is empty.') })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** What a connection lists, in both languages, for its descriptions: { zh: '工单', en: 'ticket' }. */
export interface ConnectionNoun {
  readonly zh: string;
  readonly en: string;
}

/** A Relay connection type for `Node` (`XConnection` with `XEdge`s), newest first. */
export function Connection<T extends object>(name: string, Node: ClassType<T>, noun: ConnectionNoun) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: bilingual(`列表中的一条${noun.zh}及其游标。`, `One ${noun.en} in a list, with its cursor.`) })
  class Edge {
    @Field({ description: bilingual(`这一条的不透明游标：作为 after 或 before 传入，从这里接着翻页。`, `An opaque cursor for this ${noun.en}: pass it as after or before to page on from here.`) })
    cursor!: string;

    @Field(() => Node, { description: bilingual(`这一条${noun.zh}。`, `The ${noun.en} itself.`) })
    node!: T;
  }

  // Never reachable from a resolver, so not emitted: the concrete `XConnection` subclass is the schema type.
  @ObjectType(`${name}ConnectionBase`, { simpleResolvers: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge], { description: bilingual(`本页的${noun.zh}，最新的在前（无论向哪个方向翻页）。`, `This page's ${noun.en}s, newest first (whichever way you page).`) })
    edges!: Edge[];

    @Field(() => PageInfo, { description: bilingual('本页的位置，以及如何翻到下一页或上一页。', 'Where this page is, and how to reach the next or previous one.') })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: bilingual(`符合条件的${noun.zh}总数（所有页合计）。`, `Number of ${noun.en}s matching the filter, across all pages.`) })
    totalCount!: number;
  }
  return ConnectionType;
}

export function toConnection<E, T>(page: Page<E>, map: (e: E) => T): ConnectionShape<T> {
  const { hasNextPage, hasPreviousPage, startCursor, endCursor } = page;
  return {
    edges: page.items.map(({ node, cursor }) => ({ cursor, node: map(node) })),
    pageInfo: { hasNextPage, hasPreviousPage, startCursor, endCursor },
    totalCount: page.totalCount,
  };
}
