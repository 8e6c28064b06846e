import { sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import { connection, type Connection, type Page } from './pagination.ts';

/** Any Prisma client: only raw queries are needed. */
export interface RawQuerier {
  $queryRaw<T = unknown>(query: Sql): PromiseLike<T>;
}

/** Columns a ranked query adds to its rows; see `pagesByParent`. */
interface Ranked {
  _key: string;
  _parentTotal: number | null;
  _parent: string | null;
  _total: number | null;
  _rn: bigint | null;
}

/**
 * One page for each of many parents, with each parent's total, in one statement. `ranked` selects
 * the rows of all parents with `_parent` (the parent's key), `_total` (rows of that parent) and `_rn`
 * (the row's 1-based place among them, from `row_number() OVER (PARTITION BY …)`); parents without
 * rows on the page still get their total.
 */
export async function pagesByParent<R>(
  db: RawQuerier,
  keys: readonly string[],
  page: Page,
  ranked: Sql,
): Promise<Map<string, Connection<R>>> {
  const rows = await db.$queryRaw<(R & Ranked)[]>(sql`
    WITH ranked AS (${ranked})
    SELECT k.key AS "_key", t."_total" AS "_parentTotal", r.*
    FROM unnest(${[...keys]}::text[]) AS k(key)
    LEFT JOIN (SELECT DISTINCT "_parent", "_total" FROM ranked) t ON t."_parent" = k.key
    LEFT JOIN ranked r ON r."_parent" = k.key AND r."_rn" > ${page.offset} AND r."_rn" <= ${page.offset + page.limit}
    ORDER BY k.key, r."_rn"`);
  const byKey = new Map<string, { nodes: R[]; total: number }>();
  for (const { _key, _parentTotal, _parent, _total, _rn, ...node } of rows) {
    const entry = byKey.get(_key) ?? byKey.set(_key, { nodes: [], total: _parentTotal ?? 0 }).get(_key)!;
    if (_rn !== null) entry.nodes.push(node as unknown as R);
  }
  return new Map(keys.map((k) => [k, connection(byKey.get(k)?.nodes ?? [], page, byKey.get(k)?.total ?? 0)]));
}
