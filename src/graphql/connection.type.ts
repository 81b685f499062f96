import { type ClassType, Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A Relay-style connection type for `Node` (`XConnection` with `XEdge`s). */
export function Connection<T extends object>(name: string, Node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => Node)
    node!: T;
  }

  // Never reachable from a resolver, so not emitted: the concrete `XConnection` subclass is the schema type.
  @ObjectType(`${name}ConnectionBase`, { simpleResolvers: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items matching the filter, across all pages.' })
    totalCount!: number;
  }
  return ConnectionType;
}

export function toConnection<E, T>(page: { items: readonly { node: E; cursor: string }[]; hasNextPage: boolean; endCursor: string | null; totalCount: number }, map: (e: E) => T): ConnectionShape<T> {
  return {
    edges: page.items.map(({ node, cursor }) => ({ cursor, node: map(node) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}
