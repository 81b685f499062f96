import type { EntityClass } from '@mikro-orm/core';
import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import type { PreparedStatements } from '../prepared-statements.js';

/**
 * Column names come from the entity metadata, so the entities stay the one description of the
 * schema even where a repository writes its SQL by hand.
 */
export class EntitySql<R extends object> {
  private cache?: { columns: Record<string, string>; select: string; table: string; dateKeys: string[]; arrayTypes: Record<string, string>; jsonKeys: Set<string> };
  private readonly partialSelects = new Map<string, string>();

  /** `fields` maps each record key to the entity property that stores it. */
  constructor(
    private readonly entity: () => EntityClass<object>,
    private readonly fields: Readonly<Record<keyof R & string, string>>,
  ) {}

  private resolve(em: EntityManager) {
    if (this.cache) return this.cache;
    const meta = em.getMetadata().get(this.entity());
    const property = (prop: string) => (meta.properties as Record<string, { fieldNames: string[]; runtimeType: string; columnTypes?: string[] }>)[prop]!;
    const fields = Object.entries<string>(this.fields);
    const columns = Object.fromEntries(fields.map(([key, prop]) => [key, `"${property(prop).fieldNames[0]}"`]));
    const select = Object.entries(columns).map(([key, column]) => `${column} as "${key}"`).join(', ');
    // MikroORM leaves timestamps to its hydrator, so raw rows carry them as strings.
    const dateKeys = fields.filter(([, prop]) => property(prop).runtimeType === 'Date').map(([key]) => key);
    // MikroORM inlines an array parameter as a list of values, so array columns take `array[?]::type`.
    const arrayTypes = Object.fromEntries(
      fields.flatMap(([key, prop]) => {
        const type = property(prop).columnTypes?.[0];
        return type?.endsWith('[]') ? [[key, type]] : [];
      }),
    );
    // A JSON value goes in as its text, cast (`?::jsonb`), as the event log's ticket_after does.
    const jsonKeys = new Set(fields.filter(([, prop]) => property(prop).columnTypes?.[0]?.startsWith('json')).map(([key]) => key));
    this.cache = { columns, select, table: `"${meta.tableName}"`, dateKeys, arrayTypes, jsonKeys };
    return this.cache;
  }

  table(em: EntityManager): string {
    return this.resolve(em).table;
  }

  /** The select list that yields rows shaped as records (only `keys`, when given). */
  select(em: EntityManager, keys?: readonly (keyof R & string)[]): string {
    const { select, columns } = this.resolve(em);
    if (!keys) return select;
    const id = keys.join();
    let partial = this.partialSelects.get(id);
    if (partial === undefined) {
      partial = keys.map((key) => `${columns[key]} as "${key}"`).join(', ');
      this.partialSelects.set(id, partial);
    }
    return partial;
  }

  column(em: EntityManager, key: keyof R & string): string {
    return this.resolve(em).columns[key]!;
  }

  /**
   * Runs a statement and returns its rows as records: in the em's transaction, or as a prepared
   * statement when `prepared` is given (for statements that stand alone).
   */
  async many(em: EntityManager, sql: string, params: readonly unknown[], prepared?: PreparedStatements): Promise<R[]> {
    const rows = prepared ? await prepared.rows(sql, params) : await em.execute<Record<string, unknown>[]>(sql, [...params]);
    for (const row of rows) this.revive(em, row);
    return rows as R[];
  }

  /** A record from a row or JSON object keyed by record keys, its timestamps made Dates. */
  revive(em: EntityManager, row: Record<string, unknown>): R {
    for (const key of this.resolve(em).dateKeys) if (typeof row[key] === 'string') row[key] = new Date(row[key]);
    return row as R;
  }

  async one(em: EntityManager, sql: string, params: readonly unknown[], prepared?: PreparedStatements): Promise<R | null> {
    return (await this.many(em, sql, params, prepared))[0] ?? null;
  }

  /** A placeholder for a value of `key` in a statement run through MikroORM. */
  placeholder(em: EntityManager, key: keyof R & string): string {
    const { arrayTypes, jsonKeys } = this.resolve(em);
    const arrayType = arrayTypes[key];
    if (arrayType) return `array[?]::${arrayType}`;
    return jsonKeys.has(key) ? '?::jsonb' : '?';
  }

  /** A value of `key` as a statement's parameter. */
  private parameter(em: EntityManager, key: keyof R & string, value: unknown): unknown {
    return this.resolve(em).jsonKeys.has(key) && value !== null && value !== undefined ? JSON.stringify(value) : value;
  }

  /**
   * `insert … returning <record>` for the given values (keys of the record); with `skipConflictOn`,
   * a row that would duplicate that unique column is skipped (and not returned).
   */
  insert(em: EntityManager, rows: readonly Partial<R>[], options: { skipConflictOn?: readonly (keyof R & string)[] } = {}): { sql: string; params: unknown[] } {
    const keys = Object.keys(rows[0]!) as (keyof R & string)[];
    const tuple = `(${keys.map((k) => this.placeholder(em, k)).join(', ')})`;
    const unique = options.skipConflictOn?.map((k) => this.column(em, k)).join(', ');
    const conflict = unique ? ` on conflict (${unique}) do nothing` : '';
    return {
      sql: `insert into ${this.table(em)} (${keys.map((k) => this.column(em, k)).join(', ')}) values ${rows.map(() => tuple).join(', ')}${conflict} returning ${this.select(em)}`,
      params: rows.flatMap((row) => keys.map((k) => this.parameter(em, k, row[k]))),
    };
  }
}
