/**
 * Keyset paging (docs/SEARCH.md): a cursor holds the sort values and the id of a row, and the next
 * page is "the rows after these values in this order". A row inserted or archived between two page
 * requests therefore shifts nothing: no duplicate, no skip (an offset would). Cursors are opaque to
 * clients; they also carry the order they were made for, so a cursor of another order is refused.
 *
 * `keysetPages` fetches one page for each of many parents in one statement: a LATERAL subquery per
 * parent key, ordered and limited, with each parent's total (honouring the same filters).
 */
import { createHash } from 'node:crypto';
import { sqltag as sql, join, raw, empty, type Sql } from '@prisma/client/runtime/client';
import { badUserInput } from './errors.ts';
import type { RawQuerier } from './paging-sql.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Connection } from './pagination.ts';
import { t } from './i18n/index.ts';

export type SortDirection = 'ASC' | 'DESC';
export type SortType = 'text' | 'int' | 'float' | 'timestamp' | 'date';

/** One sort key of a list: an SQL expression over the row (never null), its type and direction. */
export interface SortKey {
  /** Stable name, part of the cursor's order signature (e.g. NAME_TH). */
  name: string;
  expr: Sql;
  type: SortType;
  direction: SortDirection;
}

/** A GraphQL `orderBy` item: a field of the list's order enum and a direction. */
export interface OrderItem<F extends string> {
  field: F;
  direction?: SortDirection | null;
}

/**
 * The sort keys of an `orderBy` argument: each field's expression in its direction (ASC by
 * default), duplicates refused, then `defaults` for the fields not given, then the id (ties).
 */
export function sortKeys<F extends string>(
  orderBy: readonly OrderItem<F>[] | null | undefined,
  columns: Record<F, { expr: Sql; type: SortType }>,
  defaults: readonly OrderItem<F>[],
  id: Sql,
): SortKey[] {
  const seen = new Set<F>();
  const keys: SortKey[] = [];
  for (const item of orderBy ?? []) {
    if (seen.has(item.field)) throw badUserInput('orderBy', t('paging.orderTwice', { field: item.field }));
    seen.add(item.field);
    keys.push({ name: item.field, ...columns[item.field], direction: item.direction ?? 'ASC' });
  }
  for (const item of defaults)
    if (!seen.has(item.field)) keys.push({ name: item.field, ...columns[item.field], direction: item.direction ?? 'ASC' });
  keys.push({ name: 'ID', expr: id, type: 'text', direction: 'ASC' });
  return keys;
}

/** The sort keys every record type offers: when it was created and last updated (`alias`: the row). */
export function recordTimeKeys(alias: string): Record<'CREATED_AT' | 'UPDATED_AT', { expr: Sql; type: SortType }> {
  return {
    CREATED_AT: { expr: raw(`${alias}."createdAt"`), type: 'timestamp' },
    UPDATED_AT: { expr: raw(`${alias}."updatedAt"`), type: 'timestamp' },
  };
}

/** Relay paging arguments: `first`/`after` forward, `last`/`before` backward. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The arguments of a list under many parents (a `listLoader`'s): its validated filter, its order and paging. */
export interface ListArgs<Filter, Field extends string> extends ConnectionArgs {
  filter: Filter;
  orderBy?: readonly OrderItem<Field>[] | null;
}

/** A validated page request: how many, from which cursor, which way. */
export interface KeysetRequest {
  limit: number;
  /** True for `last`/`before`: the rows before the cursor, read backwards, returned in order. */
  backward: boolean;
  /** Decoded cursor (sort values, id last), or null from the start (or the end, backward). */
  cursor: unknown[] | null;
  hasCursor: boolean;
}

const CURSOR_PREFIX = 'k1:';

function signature(keys: readonly SortKey[]): string {
  return createHash('sha1')
    .update(keys.map((k) => `${k.name}:${k.direction}`).join(','))
    .digest('base64url')
    .slice(0, 8);
}

export function encodeKeysetCursor(keys: readonly SortKey[], values: readonly unknown[]): string {
  return Buffer.from(CURSOR_PREFIX + JSON.stringify([signature(keys), ...values])).toString('base64url');
}

function decodeKeysetCursor(keys: readonly SortKey[], cursor: string, field: string): unknown[] {
  const text = Buffer.from(cursor, 'base64url').toString();
  if (/^o:\d+$/.test(text)) {
    throw badUserInput(field, t('paging.offsetCursor', { field }));
  }
  let parsed: unknown;
  try {
    parsed = text.startsWith(CURSOR_PREFIX) ? JSON.parse(text.slice(CURSOR_PREFIX.length)) : null;
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== keys.length + 1) throw badUserInput(field, t('paging.badCursor', { field }));
  if (parsed[0] !== signature(keys)) {
    throw badUserInput(field, t('paging.otherCursor', { field }));
  }
  const values = parsed.slice(1);
  keys.forEach((k, i) => {
    const ok = k.type === 'int' || k.type === 'float' ? typeof values[i] === 'number' : typeof values[i] === 'string';
    if (!ok) throw badUserInput(field, t('paging.badCursor', { field }));
  });
  return values;
}

/** Validates `first`/`after`/`last`/`before` for the sort keys of the list. */
export function keysetRequest(args: ConnectionArgs, keys: readonly SortKey[]): KeysetRequest {
  const backward = args.last != null || args.before != null;
  if (args.after != null && args.before != null) throw badUserInput('before', t('paging.afterAndBefore'));
  if (args.last != null && args.after != null) throw badUserInput('last', t('paging.lastWithAfter'));
  const size = backward ? (args.last ?? args.first ?? DEFAULT_PAGE_SIZE) : (args.first ?? DEFAULT_PAGE_SIZE);
  const name = backward && args.last != null ? 'last' : 'first';
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE)
    throw badUserInput(name, t('input.between', { field: name, min: 0, max: MAX_PAGE_SIZE }));
  const raw = backward ? args.before : args.after;
  const field = backward ? 'before' : 'after';
  return { limit: size, backward, cursor: raw != null ? decodeKeysetCursor(keys, raw, field) : null, hasCursor: raw != null };
}

function typed(value: unknown, type: SortType): Sql {
  switch (type) {
    case 'int':
      return sql`${value}::int`;
    case 'float':
      return sql`${value}::float8`;
    case 'timestamp':
      return sql`${value}::timestamp(3)`;
    case 'date':
      return sql`${value}::date`;
    default:
      return sql`${value}::text COLLATE "C"`;
  }
}

/** Rows strictly after the cursor in the (possibly reversed) order of `keys`. */
function afterCursor(keys: readonly SortKey[], values: readonly unknown[], backward: boolean): Sql {
  const greater = (k: SortKey) => (k.direction === 'ASC') !== backward;
  // The columns of the subquery `s` (see keysetPages); the planner pushes the condition into it.
  const column = (i: number) => raw(keys[i]!.type === 'text' ? `s."_s${i}" COLLATE "C"` : `s."_s${i}"`);
  const terms: Sql[] = keys.map((k, i) => {
    const equal = keys.slice(0, i).map((p, j) => sql`${column(j)} = ${typed(values[j], p.type)}`);
    const step = sql`${column(i)} ${raw(greater(k) ? '>' : '<')} ${typed(values[i], k.type)}`;
    return sql`(${join([...equal, step], ' AND ')})`;
  });
  return sql`(${join(terms, ' OR ')})`;
}

function orderClause(keys: readonly SortKey[], backward: boolean, prefix = ''): Sql {
  return join(
    keys.map((k, i) => {
      const dir = (k.direction === 'ASC') !== backward ? 'ASC' : 'DESC';
      return raw(`${prefix}"_s${i}" ${k.type === 'text' ? 'COLLATE "C" ' : ''}${dir}`);
    }),
    ', ',
  );
}

export interface KeysetQuery {
  /** Selected columns of a row, e.g. a.* */
  select: Sql;
  /** FROM clause (table and alias, joins). */
  from: Sql;
  /** Filters (without the parent condition); `sql\`true\`` for none. */
  where: Sql;
  keys: readonly SortKey[];
  /** The parent column (e.g. a."provinceCode"); omitted for a single list. */
  parent?: Sql;
  /**
   * Every matching row is read for the order anyway (a search by relevance): sort only the id and
   * the sort values of the matching rows, then read the page's rows by id from `rowsFrom` (aliased
   * as in `select`, e.g. `"Agency" a`). The rows of a search are wide (their search columns);
   * sorting thousands of them whole spilled to disk.
   */
  sortsAllMatches?: boolean;
  rowsFrom?: {
    table: Sql;
    id: Sql;
    /** The id column of `from`, when `from` is another table than the rows' (a narrow search table). Default: `id`. */
    matchId?: Sql;
  };
}

function toValue(value: unknown, type: SortType): unknown {
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/**
 * One page for each parent key (or of the whole list when `query.parent` is omitted: pass one key,
 * e.g. ''), with each parent's total under the same filters, in one statement.
 */
export async function keysetPages<R>(
  db: RawQuerier,
  keys: readonly string[],
  request: KeysetRequest,
  query: KeysetQuery,
): Promise<Map<string, Connection<R>>> {
  const parentIs = query.parent ? sql`${query.parent} = k.key AND ` : empty;
  const sortColumns = join(
    query.keys.map((k, i) => sql`${k.expr} AS ${raw(`"_s${i}"`)}`),
    ', ',
  );
  const cursorCondition = request.cursor ? sql`WHERE ${afterCursor(query.keys, request.cursor, request.backward)}` : empty;
  const matching = sql`FROM ${query.from} WHERE ${parentIs}${query.where}`;
  const page = (from: Sql) => sql`${from}
          ${cursorCondition}
          ORDER BY ${orderClause(query.keys, request.backward)}
          LIMIT ${request.limit + 1}`;
  let lateral: Sql;
  let total: Sql;
  const late = query.sortsAllMatches ? query.rowsFrom : undefined;
  if (late) {
    // Every matching row is read and sorted anyway: they are kept narrow (id and sort values) in a
    // CTE that the page and the count both read, so the index and the table are scanned once. A
    // window `count(*) OVER ()` in the same scan was slower for a common word, a second scan for the
    // count slower for every selective search (side-by-side figures in bench/NOTES.md). A page after
    // the last row has no row to carry the count: then COALESCE counts apart.
    lateral = sql`
      WITH m AS (SELECT ${late.matchId ?? late.id} AS "_id", ${sortColumns} ${matching})
      SELECT ${query.select}, "_page".* FROM (
        SELECT q.*, row_number() OVER () AS "_n", (SELECT count(*)::int FROM m) AS "_count" FROM (
          ${page(sql`SELECT * FROM m s`)}
        ) q
      ) "_page" JOIN ${late.table} ON ${late.id} = "_page"."_id"`;
    total = sql`COALESCE(p."_count", (SELECT count(*)::int ${matching}))`;
  } else {
    // An index may give the page's rows in order: the count is its own scan.
    lateral = sql`
      SELECT "_page".* FROM (
        SELECT q.*, row_number() OVER () AS "_n" FROM (
          ${page(sql`SELECT * FROM (SELECT ${query.select}, ${sortColumns} ${matching}) s`)}
        ) q
      ) "_page"`;
    total = sql`(SELECT count(*)::int ${matching})`;
  }
  const rows = await db.$queryRaw<Record<string, unknown>[]>(sql`
    SELECT k.key AS "_parent", ${total} AS "_total", p.*
    FROM unnest(${[...keys]}::text[]) WITH ORDINALITY AS k(key, ord)
    LEFT JOIN LATERAL (${lateral}
    ) p ON true
    ORDER BY k.ord, p."_n"`);
  const byKey = new Map<string, { nodes: { node: R; values: unknown[] }[]; total: number }>();
  for (const row of rows) {
    const key = row._parent as string;
    const entry = byKey.get(key) ?? byKey.set(key, { nodes: [], total: Number(row._total ?? 0) }).get(key)!;
    if (row._n == null) continue;
    const values = query.keys.map((k, i) => toValue(row[`_s${i}`], k.type));
    const node: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) if (!column.startsWith('_')) node[column] = value;
    entry.nodes.push({ node: node as R, values });
  }
  return new Map(keys.map((key) => [key, keysetConnection(byKey.get(key) ?? { nodes: [], total: 0 }, request, query.keys)]));
}

function keysetConnection<R>(
  found: { nodes: { node: R; values: unknown[] }[]; total: number },
  request: KeysetRequest,
  keys: readonly SortKey[],
): Connection<R> {
  const more = found.nodes.length > request.limit;
  const page = found.nodes.slice(0, request.limit);
  if (request.backward) page.reverse();
  const edges = page.map(({ node, values }) => ({ cursor: encodeKeysetCursor(keys, values), node }));
  return {
    edges,
    pageInfo: {
      // Read forward: more rows after this page; a cursor means there were rows before it (and the
      // other way round backward).
      hasNextPage: request.backward ? request.hasCursor : more,
      hasPreviousPage: request.backward ? more : request.hasCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: found.total,
  };
}

/**
 * The end of a ranking statement over rows with `rank` and `code`: highest first (DESC, the default)
 * or lowest first (ASC; ranks unchanged, ties by code), the first N rows (all when `first` is omitted).
 */
export function rankingOrder(order: SortDirection | null | undefined, first: number | null | undefined, rank = 'rank', code = 'code'): Sql {
  if (first != null && (!Number.isInteger(first) || first < 0 || first > 77))
    throw badUserInput('first', t('input.between', { field: 'first', min: 0, max: 77 }));
  return sql`ORDER BY ${raw(rank)} ${raw(order === 'ASC' ? 'DESC' : 'ASC')}, ${raw(code)} LIMIT ${first ?? 77}`;
}
