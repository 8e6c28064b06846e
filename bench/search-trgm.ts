/**
 * The measurement behind docs/SEARCH.md's "Why full-text search and not pg_trgm": the agency queries of
 * the search test set, answered by pg_trgm's word_similarity (default threshold, `<%`) over the same
 * names (the Ayutthaya demo agencies and the set's records), judged like the test. `--expand` writes the
 * abbreviations out in the query first. Needs PostgreSQL (BENCH_DATABASE_URL, default the `test` database).
 *
 *   npx tsx bench/search-trgm.ts [--expand]
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { AGENCIES } from '../packages/common/src/demo/index.ts';
import { expandAbbreviations } from '../packages/common/src/search.ts';
const EXPAND = process.argv.includes('--expand');
const fx = JSON.parse(readFileSync('tests/fixtures/search/agencies.json', 'utf8'));
const rows = [...AGENCIES.map((a: any) => [a.nameTh, a.nameEn]), ...fx.agencies.map((a: any) => [a.nameTh, a.nameEn])];
const c = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' });
await c.connect();
await c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
await c.query('CREATE TEMP TABLE t (nameTh text, nameEn text)');
for (const [th, en] of rows) await c.query('INSERT INTO t VALUES ($1, $2)', [th, en]);
const names = rows.map((r) => r[0]);
const m = (n: string, ps: string[]) => ps.some((p) => (p.endsWith('*') ? n.startsWith(p.slice(0, -1)) : n === p));
let sum = 0,
  bad = 0,
  none = 0;
for (const q of fx.agencyQueries) {
  const r = await c.query(
    `SELECT nameTh FROM t WHERE $1 <% nameTh OR $1 <% coalesce(nameEn,'') ORDER BY greatest(word_similarity($1, nameTh), word_similarity($1, coalesce(nameEn,''))) DESC, nameTh LIMIT 20`,
    [EXPAND ? expandAbbreviations(q.query) : q.query],
  );
  const got = r.rows.map((x: any) => x.nameth);
  const rel = names.filter((n) => m(n, q.relevant));
  const p = got.slice(0, 5).filter((n: string) => rel.includes(n)).length / Math.min(5, rel.length);
  sum += p;
  if (got.some((n: string) => m(n, q.mustNotAppear))) {
    bad++;
    console.log('unwanted', q.query, got.filter((n: string) => m(n, q.mustNotAppear)).slice(0, 3));
  }
  if (!got.length) none++;
  if (p < 1) console.log(p.toFixed(2), q.query, '→', got.slice(0, 3).join(' | '));
}
console.log(
  `pg_trgm word_similarity: ${fx.agencyQueries.length} agency queries, precision@5 ${(sum / fx.agencyQueries.length).toFixed(3)}, queries with unwanted records ${bad}, with no answer ${none}`,
);
await c.end();
