/**
 * Thai-aware search and sorting (docs/SEARCH.md). Thai is written without spaces between words, so a
 * substring match finds "วัด" inside "วัฒนธรรม…จังหวัด". Instead, names are cut into words with the
 * ICU word segmenter of Node (`Intl.Segmenter('th')`) when they are written, and the query is cut the
 * same way: every query word must be a word, or the start of a word, of the name.
 *
 * The service keeps two derived columns per searchable name (see `searchColumns`):
 * - `<field>Words`: the name's words, lower case, abbreviations expanded, separated by single spaces;
 *   a trigger turns the words of a row into its `search` tsvector (`array_to_tsvector`, no text
 *   parser involved, so PGlite and PostgreSQL see exactly the same lexemes whatever their locale),
 *   indexed with GIN.
 * - `<field>Sort` (Thai names): a key that sorts in Thai dictionary order under the "C" collation,
 *   numbers as numbers. PGlite has no ICU collations and the server's default collation is C.UTF-8,
 *   so the order is computed here once, the same on both databases.
 */
import { SUBGRAPHS, type ServiceName } from './subgraphs.ts';
import { sqltag as sql, join, raw, type Sql } from '@prisma/client/runtime/client';
import { badUserInput } from './errors.ts';
import { t } from './i18n/index.ts';

/**
 * Abbreviations people type in Thai names, expanded in names and queries alike (so "รร.บ้านนา" finds
 * โรงเรียนบ้านนา and a record written "รร.บ้านนา" is found by "โรงเรียน"). Longest first where one
 * is the start of another (มรภ. before ม.). Documented in docs/SEARCH.md.
 */
export const ABBREVIATIONS: readonly { abbreviation: string; expansion: string; en: string }[] = [
  { abbreviation: 'มรภ.', expansion: 'มหาวิทยาลัยราชภัฏ', en: 'Rajabhat University' },
  { abbreviation: 'มทร.', expansion: 'มหาวิทยาลัยเทคโนโลยีราชมงคล', en: 'Rajamangala University of Technology' },
  { abbreviation: 'รร.', expansion: 'โรงเรียน', en: 'school' },
  { abbreviation: 'ม.', expansion: 'มหาวิทยาลัย', en: 'university' },
  { abbreviation: 'อบต.', expansion: 'องค์การบริหารส่วนตำบล', en: 'subdistrict administrative organization' },
  { abbreviation: 'อบจ.', expansion: 'องค์การบริหารส่วนจังหวัด', en: 'provincial administrative organization' },
  { abbreviation: 'ทต.', expansion: 'เทศบาลตำบล', en: 'subdistrict municipality' },
  { abbreviation: 'ทม.', expansion: 'เทศบาลเมือง', en: 'town municipality' },
  { abbreviation: 'ทน.', expansion: 'เทศบาลนคร', en: 'city municipality' },
  { abbreviation: 'สนง.', expansion: 'สำนักงาน', en: 'office' },
  { abbreviation: 'จ.', expansion: 'จังหวัด', en: 'province' },
  { abbreviation: 'อ.', expansion: 'อำเภอ', en: 'district' },
  { abbreviation: 'ต.', expansion: 'ตำบล', en: 'subdistrict' },
  { abbreviation: 'กศน.', expansion: 'ศูนย์การศึกษานอกระบบและการศึกษาตามอัธยาศัย', en: 'non-formal education centre' },
  { abbreviation: 'รพ.สต.', expansion: 'โรงพยาบาลส่งเสริมสุขภาพตำบล', en: 'subdistrict health promoting hospital' },
  { abbreviation: 'รพ.', expansion: 'โรงพยาบาล', en: 'hospital' },
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// An abbreviation starts a word: not preceded by a Thai or Latin letter or digit. The dot may be
// followed by spaces ("ม. ราชภัฏ"), which go with it. Longest alternatives first.
const ABBREVIATION_PATTERN = new RegExp(
  `(?<![\\u0E00-\\u0E7FA-Za-z0-9])(${[...ABBREVIATIONS]
    .sort((a, b) => b.abbreviation.length - a.abbreviation.length)
    .map((a) => escapeRegExp(a.abbreviation))
    .join('|')})\\s*`,
  'g',
);
const EXPANSION = new Map(ABBREVIATIONS.map((a) => [a.abbreviation, a.expansion]));

/** NFC, Thai digits as Arabic digits, lower case, whitespace collapsed. */
function normalized(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - 0x0e50))
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text with the abbreviations of ABBREVIATIONS written out. */
export function expandAbbreviations(text: string): string {
  return text.replace(ABBREVIATION_PATTERN, (_m, abbreviation: string) => EXPANSION.get(abbreviation)!);
}

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/** The words of a text (lower case, abbreviations expanded), in order; punctuation and spaces dropped. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const s of segmenter.segment(expandAbbreviations(normalized(text)))) if (s.isWordLike) words.push(s.segment);
  return words;
}

/**
 * The value of a `<field>Words` column, lexemes separated by single spaces; null for no text: the
 * words, and the rest of the name from each word on, run together ("เทศบาลเมืองอโยธยา",
 * "เมืองอโยธยา"). The segmenter cuts names with words it does not know into odd pieces
 * ("เทศบาล|เมือ|งอ|โยธ|ยา") and a query differently from the same letters in a name; matching the
 * query's letters against the start of these runs finds the name whenever the query starts where a
 * word of the name starts (never inside a word: "วัด" still does not find "จังหวัด").
 */
export function searchWords(text: string | null | undefined): string | null {
  if (text == null) return null;
  const words = wordsOf(text);
  const runs = words.slice(0, -1).map((_, i) => run(words, i));
  return [...new Set([...words, ...runs])].join(' ') || null;
}

/** Letters a run holds at most (whole words): longer than a query part, short enough to keep the index small. */
export const RUN_LENGTH = 30;

function run(words: readonly string[], from: number): string {
  let text = '';
  for (let i = from; i < words.length && text.length < RUN_LENGTH; i++) text += words[i];
  return text;
}

// Sort key: see the file comment. Characters are mapped so that codepoint order (the "C" collation)
// is the order of a Thai dictionary: spaces and punctuation, then digits, then Thai, then Latin.
const LEADING_VOWEL = /([\u0E40-\u0E44])([\u0E01-\u0E2E])/g; // เ แ โ ใ ไ are sorted after the consonant they precede
const MARKS = /[\u0E47-\u0E4E]/g; // tone marks, ไม้ไต่คู้, การันต์ …: they only break ties
const DIGITS = /\d+/g;

/** A key that sorts like Thai dictionary order under COLLATE "C"; numbers compare as numbers. */
export function sortKey(text: string): string {
  const base = normalized(text).replace(DIGITS, (d) => {
    const n = d.replace(/^0+(?=\d)/, '');
    // Length first: 17 (2 digits) before 1352 (4 digits); at most 35 digits ('0' + 35 = 'S').
    return String.fromCharCode(0x30 + Math.min(n.length, 35)) + n;
  });
  const primary = base
    .replace(LEADING_VOWEL, '$2$1')
    .replace(MARKS, '')
    .replace(/[a-z]/g, (c) => String.fromCharCode(0x2100 + c.charCodeAt(0)));
  // Ties (same letters, different marks) are broken by the marks, then by the text as written.
  return `${primary}\u0001${base.replace(LEADING_VOWEL, '$2$1')}`;
}

/** The derived columns of one searchable name field. */
export interface SearchField {
  /** The name field, e.g. nameTh. */
  field: string;
  /** Column of its words, e.g. nameThWords. */
  words: string;
  /** Column of its sort key, if the field is sorted on (Thai names). */
  sort?: string;
}

/**
 * The derived values of a row's data for a create or update: for each field present in `data`, its
 * words and sort key. Fields absent from `data` (an update that does not change them) are left alone.
 */
export function searchColumns(fields: readonly SearchField[], data: Record<string, unknown>): Record<string, string | null> {
  const derived: Record<string, string | null> = {};
  for (const f of fields) {
    if (!(f.field in data)) continue;
    const value = data[f.field] as string | null | undefined | { set?: string | null };
    const text = value !== null && typeof value === 'object' ? (value.set ?? null) : (value ?? null);
    derived[f.words] = searchWords(text);
    if (f.sort) derived[f.sort] = text == null ? null : sortKey(text);
  }
  return derived;
}

/** Escapes LIKE's wildcards: `%`, `_` and the escape character `\` itself stand for themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A tsquery lexeme, quoted: the input syntax of tsquery takes it verbatim (no parser, no stemming). */
function lexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export const MAX_SEARCH_LENGTH = 200;

/** A parsed search: what the SQL of `searchCondition` and `relevance` needs. */
export interface SearchQuery {
  /** As typed (normalized, lower case) and with abbreviations expanded. */
  texts: string[];
  /** Every word, or the start of a word (AND over the parts of the query). Null: no word in the query. */
  prefix: string | null;
  /** The same with whole words only (for relevance). */
  whole: string | null;
}

/**
 * Parses a search argument. Each space-separated part of the query must match: its words as words
 * or word starts, or the whole part as the start of one word (the segmenter cuts a fragment such as
 * "สรรเพ" differently from the full word it begins). A query with no word (only "%" or "_") matches
 * names that contain it literally. Empty: null (no search).
 */
export function parseSearch(input: string | null | undefined, field = 'search'): SearchQuery | null {
  if (input == null) return null;
  if (input.length > MAX_SEARCH_LENGTH) throw badUserInput(field, t('input.searchTooLong', { field, max: MAX_SEARCH_LENGTH }));
  const typed = normalized(input);
  if (!typed) return null;
  const expanded = expandAbbreviations(typed);
  const prefixParts: string[] = [];
  const wholeParts: string[] = [];
  for (const part of expanded.split(' ')) {
    const words = wordsOf(part);
    if (words.length === 0) continue;
    const joined = words.join('');
    const all = (suffix: string) => words.map((w) => lexeme(w) + suffix).join(' & ');
    prefixParts.push(words.length > 1 ? `((${all(':*')}) | ${lexeme(joined)}:*)` : `${lexeme(joined)}:*`);
    wholeParts.push(words.length > 1 ? `((${all('')}) | ${lexeme(joined)})` : lexeme(joined));
  }
  return {
    texts: [...new Set([typed, expanded, expanded.replace(/ /g, '')])],
    prefix: prefixParts.length ? prefixParts.join(' & ') : null,
    whole: wholeParts.length ? wholeParts.join(' & ') : null,
  };
}

/**
 * The tsvector of a row: its `search` column, kept by a trigger from the words columns
 * (`array_to_tsvector`, see the search migrations) and indexed with GIN.
 */
export function searchVector(alias: string): Sql {
  return raw(`${alias}."search"`);
}

/** How `searchCondition` and `relevance` read the names: as stored, or already lower case (`lower(name)` under "C"). */
export interface NameColumns {
  columns: readonly Sql[];
  lowered?: boolean;
}

/** The Thai and English name columns of a table's row (`alias`), as `searchCondition` and `relevance` read them. */
export function searchableNames(alias: string, th: string, en: string, lowered?: true): NameColumns {
  return { columns: [raw(`${alias}."${th}"`), raw(`${alias}."${en}"`)], ...(lowered ? { lowered } : {}) };
}

const lowerCase = (names: NameColumns) => (names.lowered ? names.columns : names.columns.map(lowered));

/**
 * The WHERE condition of a search over the names (their words in `vector`): every part of the query
 * matches; a query with no word matches names that contain it literally.
 */
export function searchCondition(query: SearchQuery, vector: Sql, names: NameColumns): Sql {
  if (query.prefix) return sql`${vector} @@ ${query.prefix}::tsquery`;
  const pattern = `%${escapeLike(query.texts[0]!)}%`;
  return sql`(${join(
    lowerCase(names).map((c) => sql`${c} LIKE ${pattern}`),
    ' OR ',
  )})`;
}

/**
 * A name in lower case, as the query is (`normalized`). Under "C" PostgreSQL lowers ASCII letters
 * only, which is all a Thai name has to lower (Thai has no case), and it is cheap: under the Thai
 * names' ICU collation `lower()` converts every name to UTF-16 and back, which made the relevance of
 * a common word's 8,805 matches cost 15–30 ms more at scale 10 (bench/NOTES.md). The same on PGlite.
 */
function lowered(column: Sql): Sql {
  return sql`lower(${column} COLLATE "C")`;
}

/**
 * Relevance of a matching row, best first: 0 a name is the query, 1 a name starts with it, 2 every
 * part matches whole words, 3 some part matches only the start of a word.
 */
export function relevance(query: SearchQuery, vector: Sql, names: NameColumns): Sql {
  const texts = query.texts;
  const patterns = texts.map((t) => `${escapeLike(t)}%`);
  const any = (f: (c: Sql) => Sql) => join(lowerCase(names).map(f), ' OR ');
  return sql`(CASE
    WHEN ${any((c) => sql`${c} = ANY(${texts}::text[])`)} THEN 0
    WHEN ${any((c) => sql`${c} LIKE ANY(${patterns}::text[])`)} THEN 1
    WHEN ${query.whole ? sql`${vector} @@ ${query.whole}::tsquery` : sql`false`} THEN 2
    ELSE 3 END)`;
}

/** A table with searchable names: the Prisma model, its table and the names' derived columns. */
export interface SearchTable {
  model: string;
  fields: readonly SearchField[];
}

/** A subgraph's searchable tables, from the subgraph registry (subgraphs.ts). */
export function searchTablesOf(service: ServiceName): readonly SearchTable[] {
  return SUBGRAPHS[service].search.map(({ model, thai, other }) => ({
    model,
    fields: [
      { field: thai, words: `${thai}Words`, sort: `${thai}Sort` },
      { field: other, words: `${other}Words` },
    ],
  }));
}

/** Every derived column name (`nameThWords`, `nameThSort`, …): not data of the record (audit trails leave them out). */
export const DERIVED_SEARCH_COLUMNS: ReadonlySet<string> = new Set(
  (Object.keys(SUBGRAPHS) as ServiceName[]).flatMap((service) =>
    searchTablesOf(service).flatMap((t) => t.fields.flatMap((f) => [f.words, f.sort ?? []].flat())),
  ),
);

function withSearchColumns(fields: readonly SearchField[], data: unknown): unknown {
  if (Array.isArray(data)) return data.map((row) => withSearchColumns(fields, row));
  if (data === null || typeof data !== 'object') return data;
  return { ...data, ...searchColumns(fields, data as Record<string, unknown>) };
}

/**
 * A Prisma Client query extension that fills the derived search columns on every write of a
 * searchable model (create, createMany, update, updateMany, upsert), whatever the write path
 * (mutations, imports, seeds). createSubgraphServer adds it to the client of every subgraph whose
 * registry entry lists searchable models: `client.$extends(searchExtension(searchTablesOf(name)))`.
 */
export function searchExtension(tables: readonly SearchTable[]) {
  const byModel = new Map(tables.map((t) => [t.model, t.fields]));
  return {
    query: {
      $allModels: {
        async $allOperations({
          model,
          operation,
          args,
          query,
        }: {
          model: string;
          operation: string;
          args: Record<string, unknown>;
          query: (args: unknown) => Promise<unknown>;
        }) {
          const fields = byModel.get(model);
          if (!fields) return query(args);
          if (operation === 'upsert') {
            return query({ ...args, create: withSearchColumns(fields, args.create), update: withSearchColumns(fields, args.update) });
          }
          if (/^(create|update)/.test(operation) && 'data' in args) return query({ ...args, data: withSearchColumns(fields, args.data) });
          return query(args);
        },
      },
    },
  };
}

type RawQuery = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * Fills the derived columns of rows written before they existed (a migration adds them empty; SQL
 * cannot segment Thai), in batches; run after migrations, a no-op once every row has them.
 * Returns the number of rows filled.
 */
export async function backfillSearch(rawQuery: RawQuery, tables: readonly SearchTable[], batch = 5000): Promise<number> {
  let filled = 0;
  for (const { model, fields } of tables) {
    const marker = fields.find((f) => f.sort)!.sort!;
    for (;;) {
      const rows = await rawQuery<Record<string, string | null>>(
        `SELECT id, ${fields.map((f) => `"${f.field}"`).join(', ')} FROM "${model}" WHERE "${marker}" IS NULL LIMIT ${batch}`,
      );
      if (rows.length === 0) break;
      const derived = rows.map((row) => searchColumns(fields, row));
      const columns = Object.keys(derived[0]!);
      await rawQuery(
        `UPDATE "${model}" t SET ${columns.map((c) => `"${c}" = d."${c}"`).join(', ')}
         FROM unnest($1::text[], ${columns.map((_, i) => `$${i + 2}::text[]`).join(', ')}) AS d(id, ${columns.map((c) => `"${c}"`).join(', ')})
         WHERE t.id = d.id`,
        [rows.map((r) => r.id), ...columns.map((c) => derived.map((d) => d[c]))],
      );
      filled += rows.length;
    }
  }
  return filled;
}
