/** The awards subgraph's queries. Every list-of-parents query is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import {
  keysetPages,
  keysetRequest,
  DISTRICT_CODES_BY_PROVINCE,
  PROVINCE_CODES,
  provinceOfDistrict,
  provincesOf,
  rankingOrder,
  sortKeys,
  type Connection,
  type ConnectionArgs,
  type OrderItem,
  type SortDirection,
} from '@moral-registry/common';
import type { RecognitionOrderField } from './generated/graphql.ts';
import type { AwardCriteriaRow, Recognition } from './models.ts';

type Level = NonNullable<Recognition['level']>;
type Virtue = NonNullable<Recognition['virtue']>;
type Status = Recognition['status'];
type Programme = Recognition['programme'];

/** The recognition metrics provinces are compared and ranked by (the RecognitionMetric enum). */
export const METRICS = ['TOTAL', 'MODEL_OR_HIGHER', 'NATIONALLY_CONFIRMED'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * Which recognitions each metric counts, as a condition on the columns `status` and `level` of a
 * Recognition row (the statements below select them unqualified). Shared by the stats, the
 * ranking and the trend, so they cannot disagree.
 */
const COUNTS: Record<Metric, Prisma.Sql> = {
  TOTAL: Prisma.sql`status NOT IN ('REJECTED', 'WITHDRAWN')`,
  MODEL_OR_HIGHER: Prisma.sql`status NOT IN ('REJECTED', 'WITHDRAWN') AND level IN ('MODEL', 'OUTSTANDING_MODEL')`,
  NATIONALLY_CONFIRMED: Prisma.sql`status = 'NATIONALLY_CONFIRMED'`,
};

/** How a value compares: with the 77 provinces (a province) or with its province's districts (a district). */
interface Comparison {
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  provinceRank: number | null;
  provinceAverage: number | null;
  provincePercentile: number | null;
}

const UNCOMPARED: Comparison = {
  nationalRank: null,
  nationalAverage: null,
  percentile: null,
  provinceRank: null,
  provinceAverage: null,
  provincePercentile: null,
};

export interface MetricComparisonValue extends Comparison {
  metric: Metric;
  value: number;
  previousValue: number;
  change: number;
}

/** The comparison fields describe the headline metric (TOTAL). */
export interface RecognitionStatsValue extends Comparison {
  fiscalYear: number;
  total: number;
  byLevel: { level: Level; count: number }[];
  byVirtue: { virtue: Virtue; count: number }[];
  byStatus: { status: Status; count: number }[];
  byProgramme: { programme: Programme; count: number }[];
  provinceLevel: Level | null;
  previousTotal: number;
  change: number;
  comparisons: MetricComparisonValue[];
}

export interface TrendPoint {
  fiscalYear: number;
  total: number;
}

export interface RankRow {
  rank: number;
  value: number;
  province: { code: string };
}

type StatsRow = Omit<RecognitionStatsValue, 'fiscalYear' | 'provinceRank' | 'provinceAverage' | 'provincePercentile'> & { key: string };

/** Stats of a province, district, region or the nation without any recognition (comparisons of zero, no rank). */
export const emptyStats = (fiscalYear: number): RecognitionStatsValue => ({
  fiscalYear,
  total: 0,
  byLevel: [],
  byVirtue: [],
  byStatus: [],
  byProgramme: [],
  provinceLevel: null,
  previousTotal: 0,
  change: 0,
  ...UNCOMPARED,
  comparisons: METRICS.map((metric) => ({ metric, value: 0, previousValue: 0, change: 0, ...UNCOMPARED })),
});

/**
 * A district's comparison: the statement ranks it as it ranks provinces (the national columns), only
 * among its province's districts, so those columns become the province ones.
 */
function withinProvince<T extends Comparison>(value: T): T {
  return {
    ...value,
    ...UNCOMPARED,
    provinceRank: value.nationalRank,
    provinceAverage: value.nationalAverage,
    provincePercentile: value.percentile,
  };
}

/**
 * Groups of provinces to total: parallel arrays (a province may be in several groups, e.g. a region
 * and the nation). For districts, `provinceCodes` holds district codes (each its own group) and
 * `partitions` their provinces, within which they are ranked.
 */
export interface Membership {
  provinceCodes: string[];
  groupCodes: string[];
  partitions?: string[];
}

/** The member provinces of regions (NSO or MPC codes) and the nation (`TH`), from the key list in common. */
export function membershipOf(groupCodes: readonly string[]): Membership {
  const membership: Membership = { provinceCodes: [], groupCodes: [] };
  for (const group of groupCodes) {
    for (const province of provincesOf(group)) {
      membership.provinceCodes.push(province);
      membership.groupCodes.push(group);
    }
  }
  return membership;
}

export class RecognitionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** A province's award criteria for one fiscal year, unless archived (then no longer its criteria for the year). */
  async awardCriteria(provinceCode: string, fiscalYear: number): Promise<AwardCriteriaRow | null> {
    const row = await this.prisma.awardCriteria.findUnique({ where: { provinceCode_fiscalYear: { provinceCode, fiscalYear } } });
    return row && !row.archivedAt ? row : null;
  }

  /**
   * Recognition stats of one fiscal year for many provinces, in one statement. The metrics are
   * computed for all 77 provinces (zeros included) so the window functions can rank them and take
   * the national average and percentile; only the requested provinces are returned.
   */
  statsByProvince(fiscalYear: number, provinceCodes: readonly string[]): Promise<Map<string, RecognitionStatsValue>> {
    return this.stats(fiscalYear, { provinceCodes: PROVINCE_CODES, groupCodes: PROVINCE_CODES }, provinceCodes, 'nation');
  }

  /**
   * Recognition stats of one fiscal year for many districts, in one statement whichever provinces
   * they are in: the metrics of every district of those provinces (the shared district key list,
   * zeros included), ranked within each province; only recognitions stored with a district count.
   * Districts outside the key list get no row (the loader's zeros).
   */
  statsByDistrict(fiscalYear: number, districtCodes: readonly string[]): Promise<Map<string, RecognitionStatsValue>> {
    const provinces = [...new Set(districtCodes.map(provinceOfDistrict).filter((p) => p !== undefined))];
    const universe = provinces.flatMap((province) => DISTRICT_CODES_BY_PROVINCE.get(province)!.map((code) => ({ code, province })));
    if (!universe.length) return Promise.resolve(new Map());
    const codes = universe.map((d) => d.code);
    const membership = { provinceCodes: codes, groupCodes: codes, partitions: universe.map((d) => d.province) };
    return this.stats(fiscalYear, membership, districtCodes, 'province');
  }

  /**
   * Recognition stats of one fiscal year for groups of provinces (regions, the nation), in one
   * statement: each group totals its member provinces. Groups are not ranked.
   */
  statsByGroup(fiscalYear: number, groupCodes: readonly string[]): Promise<Map<string, RecognitionStatsValue>> {
    return this.stats(fiscalYear, membershipOf(groupCodes), groupCodes, false);
  }

  /**
   * The one statement behind them. `counts`: one pass over the recognitions of the fiscal year and
   * the year before, counted per province (per district with `compare: 'province'`) and combination
   * of the columns the stats use; `rec`: those counts joined to the groups of their province
   * (`member`; a province may count in several groups); `metric`: per group, each metric now and a
   * year before, zeros included; `compared`: with `compare: 'nation'` (groups are then the 77
   * provinces), rank, average and percentile over all groups by window functions, with
   * `'province'` (groups are districts) over the districts of each province (`part`); `breakdown`: the fiscal year's levels, virtues, statuses and
   * programmes of the requested groups in one GROUPING SETS pass, turned into JSON lists.
   * `counted` leaves out rejected and withdrawn recognitions (total, levels, virtues, programmes);
   * the status breakdown keeps them, to show the whole workflow. Lists sort in enum order.
   */
  private async stats(
    fiscalYear: number,
    membership: Membership,
    keys: readonly string[],
    compare: 'nation' | 'province' | false,
  ): Promise<Map<string, RecognitionStatsValue>> {
    const national = compare === 'nation';
    const ranked = (window: Prisma.Sql, none: Prisma.Sql) => (compare ? window : none);
    const members = [...new Set(membership.provinceCodes)];
    const partitions = membership.partitions ?? membership.provinceCodes.map(() => '');
    // Districts: the rows of their provinces (the (provinceCode, fiscalYear, …) index), counted per district.
    const where =
      compare === 'province'
        ? Prisma.sql`"provinceCode" = ANY(${[...new Set(partitions)]}::text[]) AND "districtCode" = ANY(${members}::text[])`
        : Prisma.sql`"provinceCode" = ANY(${members}::text[])`;
    const rows = await this.prisma.$queryRaw<StatsRow[]>`
      WITH member AS (
        SELECT * FROM unnest(${membership.provinceCodes}::text[], ${membership.groupCodes}::text[], ${partitions}::text[]) AS m(province, grp, part)
      ),
      counts AS (
        SELECT ${compare === 'province' ? Prisma.sql`"districtCode"` : Prisma.sql`"provinceCode"`} AS province,
               "fiscalYear" = ${fiscalYear} AS current, programme, level, virtue, status,
               "recipientKind" = 'PROVINCE' AND programme = 'MORAL_UNIT_ASSESSMENT' AS own_assessment,
               count(*) AS n
        FROM "Recognition"
        WHERE ${where}
          AND "fiscalYear" IN (${fiscalYear}, ${fiscalYear - 1}) AND "archivedAt" IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7
      ),
      rec AS (
        SELECT m.grp, c.current, c.programme, c.level, c.virtue, c.status, c.own_assessment, c.n,
               ${COUNTS.TOTAL} AS counted,
               ${COUNTS.MODEL_OR_HIGHER} AS model_or_higher,
               ${COUNTS.NATIONALLY_CONFIRMED} AS confirmed
        FROM member m
        JOIN counts c ON c.province = m.province
      ),
      totals AS (
        SELECT grp,
               sum(n) FILTER (WHERE current AND counted) AS total_now,
               sum(n) FILTER (WHERE NOT current AND counted) AS total_before,
               sum(n) FILTER (WHERE current AND model_or_higher) AS model_now,
               sum(n) FILTER (WHERE NOT current AND model_or_higher) AS model_before,
               sum(n) FILTER (WHERE current AND confirmed) AS confirmed_now,
               sum(n) FILTER (WHERE NOT current AND confirmed) AS confirmed_before,
               max(level) FILTER (WHERE current AND counted AND own_assessment) AS province_level
        FROM rec
        GROUP BY grp
      ),
      metric AS (
        SELECT g.grp, g.part, x.ord, x.metric, coalesce(x.now, 0)::float8 AS value, coalesce(x.before, 0)::float8 AS previous
        FROM (SELECT DISTINCT grp, part FROM member) g
        LEFT JOIN totals t ON t.grp = g.grp
        CROSS JOIN LATERAL (VALUES -- the METRICS, in their order
          (1, 'TOTAL', t.total_now, t.total_before),
          (2, 'MODEL_OR_HIGHER', t.model_now, t.model_before),
          (3, 'NATIONALLY_CONFIRMED', t.confirmed_now, t.confirmed_before)
        ) AS x(ord, metric, now, before)
      ),
      compared AS (
        SELECT grp, ord, metric, value, previous, value - previous AS change,
               ${ranked(Prisma.sql`rank() OVER (PARTITION BY metric, part ORDER BY value DESC)`, Prisma.sql`NULL`)}::int AS rank,
               ${ranked(Prisma.sql`avg(value) OVER (PARTITION BY metric, part)`, Prisma.sql`NULL`)}::float8 AS average,
               ${ranked(
                 Prisma.sql`100.0 * (rank() OVER (PARTITION BY metric, part ORDER BY value ASC) - 1) / count(*) OVER (PARTITION BY metric, part)`,
                 Prisma.sql`NULL`,
               )}::float8 AS percentile
        FROM metric
      ),
      comparisons AS (
        SELECT grp,
               json_agg(json_build_object(
                 'metric', metric, 'value', value, 'previousValue', previous, 'change', change,
                 'nationalRank', rank, 'nationalAverage', average, 'percentile', percentile
               ) ORDER BY ord) AS list
        FROM compared
        WHERE grp = ANY(${[...keys]}::text[])
        GROUP BY grp
      ),
      breakdown AS (
        SELECT grp, level, virtue, status, programme,
               CASE WHEN GROUPING(level) = 0 THEN 'level'
                    WHEN GROUPING(virtue) = 0 THEN 'virtue'
                    WHEN GROUPING(status) = 0 THEN 'status'
                    ELSE 'programme' END AS dimension,
               coalesce(sum(n) FILTER (WHERE counted), 0)::int AS n_counted,
               sum(n)::int AS n_all
        FROM rec
        WHERE current AND grp = ANY(${[...keys]}::text[])
        GROUP BY GROUPING SETS ((grp, level), (grp, virtue), (grp, status), (grp, programme))
      ),
      lists AS (
        -- Level and virtue groups of NULL are the recognitions that have none; groups of only rejected rows are left out.
        SELECT grp,
               json_agg(json_build_object('level', level, 'count', n_counted) ORDER BY level)
                 FILTER (WHERE dimension = 'level' AND level IS NOT NULL AND n_counted > 0) AS by_level,
               json_agg(json_build_object('virtue', virtue, 'count', n_counted) ORDER BY virtue)
                 FILTER (WHERE dimension = 'virtue' AND virtue IS NOT NULL AND n_counted > 0) AS by_virtue,
               json_agg(json_build_object('status', status, 'count', n_all) ORDER BY status)
                 FILTER (WHERE dimension = 'status') AS by_status,
               json_agg(json_build_object('programme', programme, 'count', n_counted) ORDER BY programme)
                 FILTER (WHERE dimension = 'programme' AND n_counted > 0) AS by_programme
        FROM breakdown
        GROUP BY grp
      )
      SELECT k.key,
             h.value::int AS total,
             h.previous::int AS "previousTotal",
             h.change::int AS change,
             h.rank AS "nationalRank",
             h.average AS "nationalAverage",
             h.percentile,
             c.list AS comparisons,
             coalesce(l.by_level, '[]') AS "byLevel",
             coalesce(l.by_virtue, '[]') AS "byVirtue",
             coalesce(l.by_status, '[]') AS "byStatus",
             coalesce(l.by_programme, '[]') AS "byProgramme",
             ${national ? Prisma.sql`t.province_level` : Prisma.sql`NULL`} AS "provinceLevel"
      FROM unnest(${[...keys]}::text[]) AS k(key)
      JOIN compared h ON h.grp = k.key AND h.metric = 'TOTAL'
      JOIN comparisons c ON c.grp = k.key
      LEFT JOIN lists l ON l.grp = k.key
      LEFT JOIN totals t ON t.grp = k.key`;
    const shaped = (stats: Omit<StatsRow, 'key'>): RecognitionStatsValue => {
      const value = { fiscalYear, ...stats, provinceRank: null, provinceAverage: null, provincePercentile: null };
      const comparisons = stats.comparisons.map((c) => ({ ...c, provinceRank: null, provinceAverage: null, provincePercentile: null }));
      if (compare !== 'province') return { ...value, comparisons };
      return { ...withinProvince(value), comparisons: comparisons.map(withinProvince) };
    };
    return new Map(rows.map(({ key, ...stats }) => [key, shaped(stats)]));
  }

  /**
   * Recognitions counted like `total` per fiscal year from `from` to `to` for many provinces, in one
   * statement: every province × every year (generate_series), zeros included.
   */
  async trendByProvince(from: number, to: number, provinceCodes: readonly string[]): Promise<Map<string, TrendPoint[]>> {
    const rows = await this.prisma.$queryRaw<(TrendPoint & { code: string })[]>`
      WITH rec AS (
        SELECT "provinceCode" AS code, "fiscalYear" AS year, count(*) AS n
        FROM "Recognition"
        WHERE "provinceCode" = ANY(${[...provinceCodes]}::text[])
          AND "fiscalYear" BETWEEN ${from} AND ${to}
          AND "archivedAt" IS NULL AND ${COUNTS.TOTAL}
        GROUP BY "provinceCode", "fiscalYear"
      )
      SELECT k.code, y.year::int AS "fiscalYear", coalesce(rec.n, 0)::int AS total
      FROM unnest(${[...provinceCodes]}::text[]) AS k(code)
      CROSS JOIN generate_series(${from}::int, ${to}::int) AS y(year)
      LEFT JOIN rec ON rec.code = k.code AND rec.year = y.year
      ORDER BY k.code, y.year`;
    const result = new Map<string, TrendPoint[]>(provinceCodes.map((code) => [code, []]));
    for (const { code, ...point } of rows) result.get(code)!.push(point);
    return result;
  }

  /**
   * Provinces ordered by a metric of one fiscal year, highest first, in one statement; provinces
   * without recognitions rank with zero. Equal values share a rank (`rank()`); then by code.
   */
  ranking(
    fiscalYear: number,
    metric: Metric,
    provinceCodes: readonly string[],
    order?: SortDirection | null,
    first?: number | null,
  ): Promise<RankRow[]> {
    return this.prisma.$queryRaw<RankRow[]>`
      WITH rec AS (
        SELECT "provinceCode" AS code, count(*) FILTER (WHERE ${COUNTS[metric]}) AS n
        FROM "Recognition"
        WHERE "provinceCode" = ANY(${[...provinceCodes]}::text[]) AND "fiscalYear" = ${fiscalYear} AND "archivedAt" IS NULL
        GROUP BY "provinceCode"
      ),
      v AS (
        SELECT k.code, coalesce(rec.n, 0)::float8 AS value
        FROM unnest(${[...provinceCodes]}::text[]) AS k(code)
        LEFT JOIN rec ON rec.code = k.code
      )
      SELECT rank() OVER (ORDER BY value DESC)::int AS rank, value, json_build_object('code', code) AS province, code COLLATE "C" AS code
      FROM v
      ${rankingOrder(order, first)}`;
  }

  /**
   * One page of recognitions for each of many provinces (or of the whole list: no parent, key ''),
   * with each one's total under the same filters, in one statement.
   */
  recognitionPages(
    keys: readonly string[],
    filter: RecognitionFilter,
    orderBy: readonly OrderItem<RecognitionOrderField>[] | null | undefined,
    args: ConnectionArgs,
    byProvince = false,
  ): Promise<Map<string, Connection<Recognition>>> {
    const sort = sortKeys(
      orderBy,
      {
        FISCAL_YEAR: { expr: Prisma.raw('r."fiscalYear"'), type: 'int' },
        CREATED_AT: { expr: Prisma.raw('r."createdAt"'), type: 'timestamp' },
        UPDATED_AT: { expr: Prisma.raw('r."updatedAt"'), type: 'timestamp' },
      },
      [{ field: 'FISCAL_YEAR', direction: 'DESC' }],
      Prisma.raw('r.id'),
    );
    const conditions = [Prisma.sql`r."archivedAt" IS NULL`];
    if (filter.provinceCode) conditions.push(Prisma.sql`r."provinceCode" = ${filter.provinceCode}`);
    if (filter.fiscalYear !== undefined) conditions.push(Prisma.sql`r."fiscalYear" = ${filter.fiscalYear}::int`);
    if (filter.status) conditions.push(Prisma.sql`r.status = ${filter.status}::"RecognitionStatus"`);
    if (filter.level) conditions.push(Prisma.sql`r.level = ${filter.level}::"RecognitionLevel"`);
    if (filter.programme) conditions.push(Prisma.sql`r.programme = ${filter.programme}::"RecognitionProgramme"`);
    if (filter.virtue) conditions.push(Prisma.sql`r.virtue = ${filter.virtue}::"Virtue"`);
    return keysetPages<Recognition>(this.prisma, keys, keysetRequest(args, sort), {
      select: Prisma.sql`r.*`,
      from: Prisma.sql`"Recognition" r`,
      where: Prisma.join(conditions, ' AND '),
      keys: sort,
      parent: byProvince ? Prisma.raw('r."provinceCode"') : undefined,
    });
  }
}

/** Filters of recognition lists; every one optional, all combined. */
export interface RecognitionFilter {
  provinceCode?: string;
  fiscalYear?: number;
  status?: Status;
  level?: Level;
  programme?: Programme;
  virtue?: Virtue;
}
