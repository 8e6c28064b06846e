/**
 * Province (and district) statistics, once for every subgraph: a subgraph declares its metrics as data
 * (a name, as in its ranking enum, and an SQL aggregate over rows it supplies) and this module writes
 * the one statement that computes every metric for every area compared (zeros included), ranks it with
 * window functions (`rank()`: equal values share a rank; 1 = highest), takes the average and the
 * percentile (share of the areas with a strictly lower value), and on fiscal-year stats the previous
 * year's value and the change, and maps the rows to the shared GraphQL types (schema/shared/stats.graphql).
 *
 * Provinces are compared with the 77 provinces, districts with the districts of their province (the
 * window functions are partitioned by province), regions and the nation with nothing (totals only).
 * Rankings and trends read the same metric definitions, so the three cannot disagree.
 */
import DataLoader from 'dataloader';
import { sqltag as sql, join, raw, empty, type Sql } from '@prisma/client/runtime/client';
import { rankingOrder, type SortDirection } from './keyset.ts';
import type { RawQuerier } from './paging-sql.ts';
import type { FiscalYearRange } from './fiscal-year.ts';
import { loaderByArg } from './loaders.ts';
import { DISTRICT_CODES_BY_PROVINCE, PROVINCE_CODES, provinceOfDistrict, provincesOf } from './reference/index.ts';

/** One metric of a stats object, declared as data. */
export interface MetricDefinition {
  /**
   * An aggregate over the source rows of one area (and one fiscal year), e.g. sql`count(*)` or
   * sql`sum(n) FILTER (WHERE measure = 'activities')`. Areas without rows count as zero.
   */
  value: Sql;
  /** The stats object's own field that shows this value (e.g. `total`), if it has one. */
  field?: string;
  /** Fiscal-year stats: the field that shows the previous year's value (e.g. `previousTotal`). */
  previousField?: string;
}

/**
 * A subgraph's metrics, keyed by their name in its ranking enum (the GraphQL enum type, so the
 * compiler refuses an enum value without a definition). Declaration order is the order of
 * `comparisons`; the first is the headline metric that the stats object's own nationalRank,
 * nationalAverage, percentile (and previous value and change) describe.
 */
export type Metrics<M extends string = string> = Readonly<Record<M, MetricDefinition>>;

/** How a value compares: with the 77 provinces (a province) or with its province's districts (a district). */
export interface Comparison {
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  provinceRank: number | null;
  provinceAverage: number | null;
  provincePercentile: number | null;
}

/** The shared `MetricComparison` type: one metric of a stats object. */
export interface MetricComparisonValue<M extends string = string> extends Comparison {
  metric: M;
  value: number;
  /** Fiscal-year stats only (null otherwise). */
  previousValue: number | null;
  change: number | null;
}

/** The shared `ProvinceRank` type: one row of a ranking. */
export interface ProvinceRankValue<P extends { code: string } = { code: string }> {
  rank: number;
  value: number;
  province: P;
}

type FieldNames<D, K extends 'field' | 'previousField'> = {
  [N in keyof D]: D[N] extends Record<K, infer F extends string> ? F : never;
}[keyof D];

/** The fields that show a metric's value (and its previous value), declared by `field` and `previousField`. */
export type MetricFields<D> = Record<FieldNames<D, 'field'>, number>;
export type PreviousFields<D> = Record<FieldNames<D, 'previousField'>, number>;

/** A stats object without fiscal years (agencies, networks): the headline's comparison, the metric fields, `comparisons`. */
export type StatsValue<D extends Metrics> = Comparison & MetricFields<D> & { comparisons: MetricComparisonValue<keyof D & string>[] };

/** A fiscal-year stats object: the same with the year, the previous values and the headline's change. */
export type FiscalStatsValue<D extends Metrics> = StatsValue<D> & PreviousFields<D> & { fiscalYear: number; change: number };

/** Provinces (compared nationally), districts (compared within their province) or groups of provinces (not compared). */
export type StatsLevel = 'province' | 'district' | 'group';

/** The areas of one stats statement. */
export interface StatsAreas {
  level: StatsLevel;
  /** The areas asked for; only these come back. */
  requested: readonly string[];
  /** Every area the requested ones are compared with (zeros included), and themselves. */
  compared: readonly string[];
  /** Parallel to `compared`: the partition it is ranked in ('' nationally; its province for a district). */
  partitions: readonly string[];
  /**
   * Which codes count in which area, as parallel arrays for a source to unnest: a province or district
   * is its own member, a region or the nation has its provinces (a province can be in several groups).
   */
  members: { areas: readonly string[]; codes: readonly string[] };
  /** The provinces whose rows are read (a district's province), for a source's index condition. */
  provinces: readonly string[];
}

/**
 * The areas of a statement: provinces ranked among `among` (the 77 by default, or a region's for a
 * ranking), districts among the districts of their province (from the shared key list; a code outside
 * it is compared with nothing and gets no row), regions and the nation (`TH`) as groups of provinces.
 */
export function statsAreas(level: StatsLevel, requested: readonly string[], among: readonly string[] = PROVINCE_CODES): StatsAreas {
  if (level === 'province') {
    return {
      level,
      requested,
      compared: among,
      partitions: among.map(() => ''),
      members: { areas: among, codes: among },
      provinces: among,
    };
  }
  if (level === 'district') {
    const provinces = [...new Set(requested.map(provinceOfDistrict).filter((p) => p !== undefined))];
    const universe = provinces.flatMap((province) => (DISTRICT_CODES_BY_PROVINCE.get(province) ?? []).map((code) => ({ code, province })));
    const compared = universe.map((d) => d.code);
    return {
      level,
      requested,
      compared,
      partitions: universe.map((d) => d.province),
      members: { areas: compared, codes: compared },
      provinces,
    };
  }
  const pairs = requested.flatMap((area) => provincesOf(area).map((code) => ({ area, code })));
  return {
    level,
    requested,
    compared: requested,
    partitions: requested.map(() => ''),
    members: { areas: pairs.map((p) => p.area), codes: pairs.map((p) => p.code) },
    provinces: [...new Set(pairs.map((p) => p.code))],
  };
}

/**
 * Where the metrics are read from: `rows`, a query of one row per member of an area (column `area`;
 * with `fy`, the fiscal year, for fiscal-year stats) and whatever columns the metrics' aggregates
 * read; `with`, CTEs it (or the details) reads. It filters its own years (fiscal year and the year
 * before, or a trend's range) so it can use its indexes.
 */
export interface StatsSource {
  with?: Sql;
  rows: Sql;
}

/**
 * More columns of the stats rows than the metrics (breakdowns and such): select-list items and joins
 * over `s.area`, the requested area. They may read the source's CTEs and `stats_source`.
 */
export interface StatsDetails {
  columns: Sql;
  joins?: Sql;
}

/** One row of a stats statement: the area, its metrics as stored JSON, and the details' columns. */
export type StatsRow<X = object> = X & { code: string; comparisons: RawComparison[] };

interface RawComparison {
  metric: string;
  value: number;
  previous: number | null;
  rank: number | null;
  average: number | null;
  percentile: number | null;
}

const names = <D extends Metrics>(metrics: D) => Object.keys(metrics) as (keyof D & string)[];
const definitions = (metrics: Metrics) => Object.values(metrics) as MetricDefinition[];

/** The WITH list shared by every statement: the source's CTEs, its rows, and the metrics per area (and year). */
function valuesCtes(metrics: Metrics, source: StatsSource, fiscal: boolean): Sql {
  const columns = definitions(metrics).map((d, i) => sql`(${d.value})::float8 AS ${raw(`m${i}`)}`);
  const keys = fiscal ? raw('area, fy') : raw('area');
  return sql`
    ${source.with ? sql`${source.with},` : empty}
    stats_source AS (${source.rows}),
    stats_values AS (SELECT ${keys}, ${join(columns, ', ')} FROM stats_source GROUP BY ${keys})`;
}

/**
 * The stats statement: every metric of every compared area (zeros included) in `stats_metrics`, ranked
 * within its partition in `stats_compared` (no ranks for groups), the requested areas' metrics as JSON
 * in `stats_rows`, joined to the details.
 */
export function statsStatement(
  metrics: Metrics,
  { areas, source, fiscalYear, details }: { areas: StatsAreas; source: StatsSource; fiscalYear?: number; details?: StatsDetails },
): Sql {
  const fiscal = fiscalYear !== undefined;
  const values = definitions(metrics).map((_, i) => {
    const m = raw(`m${i}`);
    return sql`(${raw(String(i))}, ${names(metrics)[i]!}::text, c.${m}, ${fiscal ? sql`coalesce(p.${m}, 0)` : sql`NULL::float8`})`;
  });
  const window = (order: string) => raw(`OVER (PARTITION BY metric, part${order ? ` ORDER BY value ${order}` : ''})`);
  const compared =
    areas.level === 'group'
      ? sql`NULL::int AS rank, NULL::float8 AS average, NULL::float8 AS percentile`
      : sql`rank() ${window('DESC')}::int AS rank, avg(value) ${window('')}::float8 AS average,
            (100.0 * (rank() ${window('ASC')} - 1) / count(*) ${window('')})::float8 AS percentile`;
  return sql`
    WITH ${valuesCtes(metrics, source, fiscal)},
    stats_metrics AS (
      SELECT g.area, g.part, v.ord, v.metric, coalesce(v.value, 0)::float8 AS value, v.previous::float8 AS previous
      FROM unnest(${[...areas.compared]}::text[], ${[...areas.partitions]}::text[]) AS g(area, part)
      LEFT JOIN stats_values c ON c.area = g.area ${fiscal ? sql`AND c.fy = ${fiscalYear}::int` : empty}
      ${fiscal ? sql`LEFT JOIN stats_values p ON p.area = g.area AND p.fy = ${fiscalYear - 1}::int` : empty}
      CROSS JOIN LATERAL (VALUES ${join(values, ', ')}) AS v(ord, metric, value, previous)
    ),
    stats_compared AS (
      SELECT area, ord, metric, value, previous, ${compared} FROM stats_metrics
    ),
    stats_rows AS (
      SELECT area, json_agg(json_build_object(
               'metric', metric, 'value', value, 'previous', previous, 'rank', rank, 'average', average, 'percentile', percentile
             ) ORDER BY ord) AS comparisons
      FROM stats_compared
      WHERE area = ANY(${[...areas.requested]}::text[])
      GROUP BY area
    )
    SELECT s.area AS code, s.comparisons${details ? sql`, ${details.columns}` : empty}
    FROM stats_rows s ${details?.joins ?? empty}`;
}

/** Runs the stats statement: one row per requested area that is in `areas.compared`, by code. */
export async function queryStats<X = object>(
  db: RawQuerier,
  metrics: Metrics,
  request: { areas: StatsAreas; source: StatsSource; fiscalYear?: number; details?: StatsDetails },
): Promise<Map<string, StatsRow<X>>> {
  const rows = await db.$queryRaw<StatsRow<X>[]>(statsStatement(metrics, request));
  return new Map(rows.map((row) => [row.code, row]));
}

const UNCOMPARED: Comparison = {
  nationalRank: null,
  nationalAverage: null,
  percentile: null,
  provinceRank: null,
  provinceAverage: null,
  provincePercentile: null,
};

/** A metric's comparison as the level shows it: national fields on provinces, province fields on districts. */
function comparisonOf<M extends string>(raw: RawComparison, level: StatsLevel, fiscal: boolean): MetricComparisonValue<M> {
  const compared = { rank: raw.rank, average: raw.average, percentile: raw.percentile };
  return {
    metric: raw.metric as M,
    value: raw.value,
    previousValue: fiscal ? raw.previous : null,
    change: fiscal ? raw.value - (raw.previous ?? 0) : null,
    ...UNCOMPARED,
    ...(level === 'province' ? { nationalRank: compared.rank, nationalAverage: compared.average, percentile: compared.percentile } : {}),
    ...(level === 'district'
      ? { provinceRank: compared.rank, provinceAverage: compared.average, provincePercentile: compared.percentile }
      : {}),
  };
}

/** The headline's comparison fields and each metric's own fields (`field`, `previousField`). */
function shape<D extends Metrics>(metrics: D, comparisons: MetricComparisonValue<keyof D & string>[]) {
  const fields: Record<string, number> = {};
  definitions(metrics).forEach((d, i) => {
    if (d.field) fields[d.field] = comparisons[i]!.value;
    if (d.previousField) fields[d.previousField] = comparisons[i]!.previousValue ?? 0;
  });
  const { metric: _metric, value: _value, previousValue: _previous, change, ...headline } = comparisons[0]!;
  return { ...headline, ...fields, change, comparisons };
}

/** The stats object of a row (no fiscal years); `undefined` (an area without a row): zeros, not compared. */
export function statsValue<D extends Metrics>(metrics: D, level: StatsLevel, row: StatsRow | undefined): StatsValue<D> {
  const comparisons = row
    ? row.comparisons.map((c) => comparisonOf<keyof D & string>(c, level, false))
    : names(metrics).map((metric) => ({ metric, value: 0, previousValue: null, change: null, ...UNCOMPARED }));
  const { change: _change, ...value } = shape(metrics, comparisons);
  return value as StatsValue<D>;
}

/** The fiscal-year stats object of a row; `undefined`: zeros, not compared. */
export function fiscalStatsValue<D extends Metrics>(
  metrics: D,
  level: StatsLevel,
  fiscalYear: number,
  row: StatsRow | undefined,
): FiscalStatsValue<D> {
  const comparisons = row
    ? row.comparisons.map((c) => comparisonOf<keyof D & string>(c, level, true))
    : names(metrics).map((metric) => ({ metric, value: 0, previousValue: 0, change: 0, ...UNCOMPARED }));
  return { fiscalYear, ...shape(metrics, comparisons) } as FiscalStatsValue<D>;
}

/**
 * Provinces ordered by one metric, highest first (or lowest with `order: ASC`; ranks unchanged, ties
 * by code), ranked among `areas.compared` with zeros included; the first N rows. `details` adds columns
 * over `r.code` (e.g. the Province row itself). One statement, reading only the metric ranked by.
 */
export function rankingStatement(
  metrics: Metrics,
  metric: string,
  {
    areas,
    source,
    fiscalYear,
    order,
    first,
    details,
  }: {
    areas: StatsAreas;
    source: StatsSource;
    fiscalYear?: number;
    order?: SortDirection | null;
    first?: number | null;
    details?: { columns: Sql; joins?: Sql };
  },
): Sql {
  const definition = (metrics as Record<string, MetricDefinition>)[metric];
  if (!definition) throw new Error(`unknown metric ${metric}`);
  const fiscal = fiscalYear !== undefined;
  return sql`
    WITH ${valuesCtes({ [metric]: definition }, source, fiscal)},
    ranked AS (
      SELECT g.area AS code, coalesce(v.m0, 0)::float8 AS value
      FROM unnest(${[...areas.compared]}::text[]) AS g(area)
      LEFT JOIN stats_values v ON v.area = g.area ${fiscal ? sql`AND v.fy = ${fiscalYear}::int` : empty}
    )
    SELECT r.code, rank() OVER (ORDER BY r.value DESC)::int AS rank, r.value${details ? sql`, ${details.columns}` : empty}
    FROM ranked r ${details?.joins ?? empty}
    ${rankingOrder(order, first, 'rank', 'r.code COLLATE "C"')}`;
}

/**
 * Runs the ranking statement: rows `{ rank, value, province }`, the province being `{ code }` and the
 * columns of `details` (so a subgraph that owns Province can return its rows in the same statement).
 */
export async function queryRanking<P extends object = object>(
  db: RawQuerier,
  metrics: Metrics,
  metric: string,
  request: Parameters<typeof rankingStatement>[2],
): Promise<ProvinceRankValue<P & { code: string }>[]> {
  const rows = await db.$queryRaw<(P & { code: string; rank: number; value: number })[]>(rankingStatement(metrics, metric, request));
  return rows.map(({ rank, value, ...province }) => ({ rank, value, province: province as unknown as P & { code: string } }));
}

/**
 * Every metric of each area for every fiscal year of a range, zeros included, oldest first: one row
 * per area and year, with the metrics' `field`s. One statement.
 */
export async function queryTrend<D extends Metrics>(
  db: RawQuerier,
  metrics: D,
  { areas, source, from, to }: { areas: readonly string[]; source: StatsSource; from: number; to: number },
): Promise<Map<string, (MetricFields<D> & { fiscalYear: number })[]>> {
  const columns = definitions(metrics).flatMap((d, i) =>
    d.field ? [sql`coalesce(v.${raw(`m${i}`)}, 0)::float8 AS ${raw(`"${d.field}"`)}`] : [],
  );
  const rows = await db.$queryRaw<(MetricFields<D> & { code: string; fiscalYear: number })[]>(sql`
    WITH ${valuesCtes(metrics, source, true)}
    SELECT g.area AS code, y.fy AS "fiscalYear", ${join(columns, ', ')}
    FROM unnest(${[...areas]}::text[]) AS g(area)
    CROSS JOIN generate_series(${from}::int, ${to}::int) AS y(fy)
    LEFT JOIN stats_values v ON v.area = g.area AND v.fy = y.fy
    ORDER BY g.area, y.fy`);
  const byArea = new Map<string, (MetricFields<D> & { fiscalYear: number })[]>(areas.map((area) => [area, []]));
  for (const { code, ...point } of rows) byArea.get(code)?.push(point as MetricFields<D> & { fiscalYear: number });
  return byArea;
}

/**
 * A subgraph's stats, declared as data: its metrics, where their rows come from, and what else its
 * stats objects show. `AreaStats` answers every stats field, ranking and trend of the subgraph from it.
 */
export interface StatsDeclaration<D extends Metrics, X extends object = object> {
  metrics: D;
  /** The rows the metrics aggregate over, for the areas (and, on fiscal-year stats, the years from–to). */
  source(areas: StatsAreas, years?: { from: number; to: number }): StatsSource;
  /** The stats objects' other columns (breakdowns), in their GraphQL shape; `empty`: those of an area without a row. */
  details?(areas: StatsAreas, fiscalYear?: number): StatsDetails;
  empty: X;
  /** More columns of a ranking's rows (`r.code`), shown as the province's fields (e.g. the Province row itself). */
  rankingDetails?: StatsDetails;
}

/**
 * Declares a subgraph's stats: `defineStats<AgencyMetric, Breakdowns>()({ metrics, source, … })`.
 * The compiler then refuses a value of the metric enum without a definition, and keeps each metric's
 * `field` so the stats objects are typed with it (a field the SDL has and the data lacks is an error).
 */
export const defineStats =
  <M extends string, X extends object = object>() =>
  <const D extends Metrics<M>>(declaration: StatsDeclaration<D, X>): StatsDeclaration<D, X> =>
    declaration;

/** A fiscal-year range as one loader argument (`from:to`), so provinces asking for the same range share a statement. */
export const trendKey = ({ from, to }: FiscalYearRange) => `${from}:${to}`;

/** The stats statements of one subgraph: each one statement, however many areas. */
export class AreaStats<D extends Metrics, X extends object = object> {
  constructor(
    private readonly db: RawQuerier,
    readonly declaration: StatsDeclaration<D, X>,
  ) {}

  /** Stats without fiscal years of provinces, districts or groups; every code gets a value (zeros when it has no row). */
  async of(level: StatsLevel, codes: readonly string[]): Promise<Map<string, StatsValue<D> & X>> {
    const rows = await this.rows(level, codes);
    return new Map(
      codes.map((code) => [code, { ...statsValue(this.declaration.metrics, level, rows.get(code)), ...this.detailsOf(rows.get(code)) }]),
    );
  }

  /** Fiscal-year stats (with the previous year and the change); every code gets a value. */
  async inYear(level: StatsLevel, fiscalYear: number, codes: readonly string[]): Promise<Map<string, FiscalStatsValue<D> & X>> {
    const rows = await this.rows(level, codes, fiscalYear);
    return new Map(codes.map((code) => [code, this.fiscalValue(level, fiscalYear, rows.get(code))]));
  }

  /** The fiscal-year stats of an area without data, or outside the key list: zeros, not compared. */
  empty(fiscalYear: number): FiscalStatsValue<D> & X {
    return this.fiscalValue('group', fiscalYear, undefined);
  }

  /** Provinces (all 77, or a region's) ordered by one metric (of a fiscal year), highest first; see `rankingStatement`. */
  ranking<P extends object = object>(
    metric: keyof D & string,
    provinceCodes: readonly string[] = PROVINCE_CODES,
    { fiscalYear, order, first }: { fiscalYear?: number; order?: SortDirection | null; first?: number | null } = {},
  ): Promise<ProvinceRankValue<P & { code: string }>[]> {
    const areas = statsAreas('province', [], provinceCodes);
    const years = fiscalYear === undefined ? undefined : { from: fiscalYear, to: fiscalYear };
    const { metrics, rankingDetails } = this.declaration;
    return queryRanking<P>(this.db, metrics, metric, {
      areas,
      source: this.declaration.source(areas, years),
      fiscalYear,
      order,
      first,
      details: rankingDetails,
    });
  }

  /** Every year from–to of each province, with the metrics' fields; see `queryTrend`. */
  trend(provinceCodes: readonly string[], from: number, to: number): Promise<Map<string, (MetricFields<D> & { fiscalYear: number })[]>> {
    const areas = statsAreas('province', [], provinceCodes);
    return queryTrend(this.db, this.declaration.metrics, {
      areas: provinceCodes,
      source: this.declaration.source(areas, { from, to }),
      from,
      to,
    });
  }

  /** Per request: `of(level, …)` for every code asked for at once, in one statement. */
  loader(level: StatsLevel): DataLoader<string, StatsValue<D> & X> {
    return new DataLoader((codes: readonly string[]) => this.of(level, codes).then((m) => codes.map((c) => m.get(c)!)));
  }

  /** Per request: `inYear(level, …)` keyed by `{ arg: fiscalYear, key: code }`, one statement per fiscal year. */
  yearLoader(level: StatsLevel) {
    return loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => this.inYear(level, fiscalYear, codes),
      (_code, fiscalYear) => this.empty(fiscalYear),
    );
  }

  /** A subgraph's per-request stats loaders (`context.loaders.stats`): provinces, districts, and regions with the nation. */
  loaders() {
    return { province: this.loader('province'), district: this.loader('district'), group: this.loader('group') };
  }

  /** The same for fiscal-year stats, with the provinces' trends. */
  yearLoaders() {
    return {
      province: this.yearLoader('province'),
      district: this.yearLoader('district'),
      group: this.yearLoader('group'),
      trend: this.trendLoader(),
    };
  }

  /** Per request: `trend` keyed by `{ arg: trendKey(range), key: provinceCode }`, one statement per range. */
  trendLoader() {
    return loaderByArg(
      (range: string, codes: readonly string[]) => {
        const [from, to] = range.split(':').map(Number) as [number, number];
        return this.trend(codes, from, to);
      },
      () => [],
    );
  }

  private async rows(level: StatsLevel, codes: readonly string[], fiscalYear?: number): Promise<Map<string, StatsRow>> {
    const areas = statsAreas(level, codes);
    if (!areas.compared.length) return new Map();
    const years = fiscalYear === undefined ? undefined : { from: fiscalYear - 1, to: fiscalYear };
    return queryStats(this.db, this.declaration.metrics, {
      areas,
      source: this.declaration.source(areas, years),
      fiscalYear,
      details: this.declaration.details?.(areas, fiscalYear),
    });
  }

  private fiscalValue(level: StatsLevel, fiscalYear: number, row: StatsRow | undefined): FiscalStatsValue<D> & X {
    return { ...fiscalStatsValue(this.declaration.metrics, level, fiscalYear, row), ...this.detailsOf(row) };
  }

  private detailsOf(row: StatsRow | undefined): X {
    if (!row) return this.declaration.empty;
    const { code: _code, comparisons: _comparisons, ...details } = row;
    return details as X;
  }
}
