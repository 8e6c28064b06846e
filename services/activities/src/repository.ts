/** The activities subgraph's queries. Every list-of-parents query is one SQL statement. */
import { ActivityKind, Prisma, Virtue, type PrismaClient } from './generated/prisma/client.ts';
import {
  keysetPages,
  keysetRequest,
  DISTRICT_CODES_BY_PROVINCE,
  PROVINCE_CODES,
  provinceOfDistrict,
  provincesOf,
  rankingOrder,
  relevance,
  searchCondition,
  searchVector,
  sortKeys,
  type Connection,
  type ConnectionArgs,
  type OrderItem,
  type SearchQuery,
  type SortDirection,
  type SortKey,
} from '@moral-registry/common';
import type { ActivityOrderField } from './generated/graphql.ts';
import type { Activity, AgencyRef } from './models.ts';

/** The metrics of the ActivityMetric enum, in the order of `ActivityStats.comparisons`. */
export const ACTIVITY_METRICS = ['COUNT', 'PARTICIPANTS', 'PARTICIPATING_AGENCIES'] as const;
export type ActivityMetric = (typeof ACTIVITY_METRICS)[number];

/** How a value compares: with the 77 provinces (a province) or with its province's districts (a district). */
interface Comparison {
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  provinceRank: number | null;
  provinceAverage: number | null;
  provincePercentile: number | null;
}

export interface MetricComparisonValue extends Comparison {
  metric: ActivityMetric;
  value: number;
  previousValue: number | null;
  change: number | null;
}

/** The comparison fields describe the headline metric (COUNT). */
export interface ActivityStatsValue extends Comparison {
  fiscalYear: number;
  count: number;
  participantCount: number;
  participatingAgencyCount: number;
  previousCount: number;
  change: number;
  /** Every kind and every virtue, zeros included, in the order the enums declare them. */
  byKind: { kind: ActivityKind; count: number }[];
  virtuesPromoted: { virtue: Virtue; count: number }[];
  comparisons: MetricComparisonValue[];
}

export interface ActivityTrendPointValue {
  fiscalYear: number;
  count: number;
  participantCount: number;
  participatingAgencyCount: number;
}

export interface ProvinceRankValue {
  rank: number;
  value: number;
  province: { code: string };
}

export interface FiscalYearRange {
  from: number;
  to: number;
}

const UNCOMPARED: Comparison = {
  nationalRank: null,
  nationalAverage: null,
  percentile: null,
  provinceRank: null,
  provinceAverage: null,
  provincePercentile: null,
};

/** Stats of a province (or district) outside the key list, or of a group without provinces: zeros, unranked. */
export const emptyStats = (fiscalYear: number): ActivityStatsValue => ({
  fiscalYear,
  count: 0,
  participantCount: 0,
  participatingAgencyCount: 0,
  previousCount: 0,
  change: 0,
  ...UNCOMPARED,
  byKind: Object.values(ActivityKind).map((kind) => ({ kind, count: 0 })),
  virtuesPromoted: Object.values(Virtue).map((virtue) => ({ virtue, count: 0 })),
  comparisons: ACTIVITY_METRICS.map((metric) => ({ metric, value: 0, previousValue: 0, change: 0, ...UNCOMPARED })),
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
 * Which provinces count in which group, as parallel arrays: a province is its own group; a region
 * or the nation is the group of its provinces (a province can be in several groups).
 */
interface Members {
  groups: readonly string[];
  codes: readonly string[];
}

/**
 * The CTEs every statistics statement starts from:
 * - `members(grp, code)`: the `Members` arrays, unnested;
 * - `totals(grp, fy, n, participants)`: live activities and summed head counts per group and fiscal year;
 * - `agencies(grp, fy, n)`: distinct participating agencies per group and fiscal year;
 * - `breakdown(grp, fy, measure, n)`: activities per `kind:<kind>` and per `virtue:<virtue>`.
 * Provinces' figures are read from ActivityTally (one row per fiscal year, province and measure, kept
 * by database triggers; migration activity_tally), so a national comparison reads 77 provinces × 2
 * years of rows whatever the size of the data (at scale 10 it read ≈ 46,000 activities and ≈ 98,000
 * ParticipationSummary rows before, bench/NOTES.md). Additive figures of a group of provinces (a
 * region, the nation) are sums of its provinces'; its distinct agencies are counted over
 * ParticipationSummary (one row per fiscal year, province and agency with live activities there,
 * kept by triggers too; migration participation_summary), since an agency active in two of its
 * provinces counts once. `COLLATE "C"` makes that de-duplication compare ids bytewise instead of
 * through the database locale (same result: ids are compared for equality only).
 * A group without activities in a year has no row there: the statements LEFT JOIN them to the list of
 * groups and COALESCE to zero. `years` is a predicate on `a."fiscalYear"` only: it filters the
 * tables it is used on, each aliased `a`.
 */
function groupYearCtes({ groups, codes }: Members, years: Prisma.Sql, level: 'province' | 'district' = 'province'): Prisma.Sql {
  if (level === 'district') return districtYearCtes({ groups, codes }, years);
  const oneProvinceEach = new Set(groups).size === groups.length;
  return Prisma.sql`
    members(grp, code) AS (SELECT * FROM unnest(${[...groups]}::text[], ${[...codes]}::text[])),
    tallied AS (
      SELECT m.grp, a."fiscalYear" AS fy, a.measure, sum(a.n)::bigint AS n
      FROM "ActivityTally" a JOIN members m ON m.code = a."provinceCode"
      WHERE ${years}
      GROUP BY m.grp, a."fiscalYear", a.measure
    ),
    totals AS (
      SELECT grp, fy, coalesce(max(n) FILTER (WHERE measure = 'activities'), 0) AS n,
             coalesce(max(n) FILTER (WHERE measure = 'participants'), 0) AS participants
      FROM tallied WHERE measure IN ('activities', 'participants') GROUP BY grp, fy
    ),
    agencies AS (${
      oneProvinceEach
        ? Prisma.sql`SELECT grp, fy, n FROM tallied WHERE measure = 'agencies'`
        : Prisma.sql`
      SELECT m.grp, a."fiscalYear" AS fy, count(DISTINCT a."agencyId" COLLATE "C") AS n
      FROM "ParticipationSummary" a JOIN members m ON m.code = a."provinceCode"
      WHERE a.activities > 0 AND ${years}
      GROUP BY m.grp, a."fiscalYear"`
    }),
    breakdown AS (SELECT grp, fy, measure, n FROM tallied WHERE measure LIKE 'kind:%' OR measure LIKE 'virtue:%')`;
}

/**
 * The same CTEs with districts as members (`code` a district code): `acts` reads the activities of
 * the districts' provinces (the (provinceCode, fiscalYear) index) and keeps those of the districts;
 * `agencies` counts the distinct participating agencies from the participation links of those
 * activities (ParticipationSummary is kept per province, not per district; a province's activities of
 * two fiscal years are few enough to read their links).
 */
function districtYearCtes({ groups, codes }: Members, years: Prisma.Sql): Prisma.Sql {
  const provinces = [...new Set(codes.map(provinceOfDistrict).filter((p) => p !== undefined))];
  return Prisma.sql`
    members(grp, code) AS (SELECT * FROM unnest(${[...groups]}::text[], ${[...codes]}::text[])),
    acts AS (
      SELECT a.id, m.grp, a."fiscalYear" AS fy, a."participantCount", a.kind, a.virtues
      FROM "Activity" a JOIN members m ON m.code = a."districtCode"
      WHERE a."archivedAt" IS NULL AND a."provinceCode" = ANY(${provinces}::text[]) AND ${years}
    ),
    totals AS (
      SELECT grp, fy, count(*) AS n, sum("participantCount") AS participants FROM acts GROUP BY grp, fy
    ),
    agencies AS (
      SELECT acts.grp, acts.fy, count(DISTINCT p."agencyId") AS n
      FROM acts JOIN "ActivityParticipant" p ON p."activityId" = acts.id
      GROUP BY acts.grp, acts.fy
    ),
    breakdown AS (
      SELECT grp, fy, 'kind:' || kind::text AS measure, count(*) AS n FROM acts GROUP BY 1, 2, 3
      UNION ALL
      SELECT grp, fy, 'virtue:' || virtue::text, count(DISTINCT id) FROM acts CROSS JOIN unnest(acts.virtues) AS virtue GROUP BY 1, 2, 3
    )`;
}

/**
 * Each metric compared with the other groups (the 77 provinces): rank 1 = highest with ties sharing
 * a rank, the mean, and the percentage of groups with a strictly lower value.
 */
const COMPARISON_WINDOWS = Prisma.sql`
  rank() OVER (PARTITION BY metric ORDER BY value DESC) AS "nationalRank",
  (avg(value) OVER (PARTITION BY metric))::float8 AS "nationalAverage",
  (100.0 * (rank() OVER (PARTITION BY metric ORDER BY value) - 1) / count(*) OVER (PARTITION BY metric))::float8 AS percentile`;
/** The same among the districts of each province (`province` column of `metrics`). */
const DISTRICT_COMPARISON_WINDOWS = Prisma.sql`
  rank() OVER (PARTITION BY metric, province ORDER BY value DESC) AS "nationalRank",
  (avg(value) OVER (PARTITION BY metric, province))::float8 AS "nationalAverage",
  (100.0 * (rank() OVER (PARTITION BY metric, province ORDER BY value) - 1) / count(*) OVER (PARTITION BY metric, province))::float8 AS percentile`;
const NO_COMPARISON = Prisma.sql`NULL::bigint AS "nationalRank", NULL::float8 AS "nationalAverage", NULL::float8 AS percentile`;

/**
 * Where a ranking reads its metric: the CTE (only the one it needs, so ranking by count never
 * touches the participation links) and the column.
 */
const RANKED: Record<ActivityMetric, { cte: Prisma.Sql; column: Prisma.Sql }> = {
  COUNT: { cte: Prisma.sql`totals`, column: Prisma.sql`n` },
  PARTICIPANTS: { cte: Prisma.sql`totals`, column: Prisma.sql`participants` },
  PARTICIPATING_AGENCIES: { cte: Prisma.sql`agencies`, column: Prisma.sql`n` },
};

/**
 * Activity columns for raw queries, from Prisma's own field list so it follows the schema. Enum
 * arrays come back from raw queries as a Postgres array literal ('{A,B}'); as text[] they arrive as arrays.
 */
const ACTIVITY_COLUMNS = Prisma.raw(
  Object.values(Prisma.ActivityScalarFieldEnum)
    .map((c) => (c === 'virtues' ? `a."virtues"::text[] AS "virtues"` : `a."${c}"`))
    .join(', '),
);

export class ActivityRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * One page of activities for each of many parents, with each parent's total under the same filters,
   * in one statement: per province (`provinceCode`), per agency (`agency`: those it organized or took
   * part in, once if both) or the whole list (no parent, key '').
   */
  activityPages(
    keys: readonly string[],
    filter: ActivityFilter,
    orderBy: readonly OrderItem<ActivityOrderField>[] | null | undefined,
    args: ConnectionArgs,
    parent?: 'provinceCode' | 'agency',
  ): Promise<Map<string, Connection<Activity>>> {
    const sort = activitySortKeys(orderBy, filter.search ?? null);
    const from =
      parent === 'agency'
        ? Prisma.sql`(SELECT "agencyId", "activityId" FROM "ActivityOrganizer"
                      UNION SELECT "agencyId", "activityId" FROM "ActivityParticipant") l
                     JOIN "Activity" a ON a.id = l."activityId"`
        : Prisma.sql`"Activity" a`;
    return keysetPages<Activity>(this.prisma, keys, keysetRequest(args, sort), {
      select: ACTIVITY_COLUMNS,
      from,
      where: activityWhere(filter),
      keys: sort,
      sortsAllMatches: Boolean(filter.search),
      rowsFrom: { table: Prisma.sql`"Activity" a`, id: Prisma.sql`a.id` },
      parent: parent === 'agency' ? Prisma.raw('l."agencyId"') : parent ? Prisma.raw('a."provinceCode"') : undefined,
    });
  }

  /**
   * A page of participating agencies per activity, in id order: agency names live in the agencies
   * subgraph, so this one has no better stable order to offer.
   */
  participantsByActivity(activityIds: readonly string[], args: ConnectionArgs): Promise<Map<string, Connection<AgencyRef>>> {
    const sort = sortKeys<never>(null, {}, [], Prisma.raw('p."agencyId"'));
    return keysetPages<AgencyRef>(this.prisma, activityIds, keysetRequest(args, sort), {
      select: Prisma.sql`p."agencyId" AS id`,
      from: Prisma.sql`"ActivityParticipant" p`,
      where: Prisma.sql`true`,
      keys: sort,
      parent: Prisma.raw('p."activityId"'),
    });
  }

  /**
   * Activity stats of provinces for one fiscal year, in one statement however many provinces are
   * asked for: every metric is computed for all 77 provinces (zeros included) so that ranks, the
   * national average and percentiles compare each province with the whole country; only the
   * requested provinces come back. Provinces outside the key list get no row (the loader's zeros).
   */
  statsByProvince(fiscalYear: number, codes: readonly string[]): Promise<Map<string, ActivityStatsValue>> {
    return this.stats(
      fiscalYear,
      { groups: PROVINCE_CODES, codes: PROVINCE_CODES },
      { over: PROVINCE_CODES, requested: codes, compare: 'nation' },
    );
  }

  /**
   * Activity stats of districts for one fiscal year, in one statement whichever provinces they are
   * in: every metric is computed for every district of those provinces (the shared district key
   * list, zeros included) and ranked within its province; only the requested districts come back.
   * Districts outside the key list get no row (the loader's zeros).
   */
  statsByDistrict(fiscalYear: number, codes: readonly string[]): Promise<Map<string, ActivityStatsValue>> {
    const provinces = [...new Set(codes.map(provinceOfDistrict).filter((p) => p !== undefined))];
    const universe = provinces.flatMap((province) => DISTRICT_CODES_BY_PROVINCE.get(province)!.map((code) => ({ code, province })));
    if (!universe.length) return Promise.resolve(new Map());
    const over = universe.map((d) => d.code);
    return this.stats(
      fiscalYear,
      { groups: over, codes: over },
      { over, provinces: universe.map((d) => d.province), requested: codes, compare: 'province' },
    );
  }

  /**
   * Activity stats of regions (NSO or MPC codes) and the nation (`TH`) for one fiscal year, in one
   * statement: each group's totals are aggregated over its provinces in the database. Additive
   * metrics equal the sum over the provinces; participating agencies are distinct over the group
   * (an agency active in two of its provinces counts once). No ranks: those compare provinces.
   */
  statsByGroup(fiscalYear: number, groupCodes: readonly string[]): Promise<Map<string, ActivityStatsValue>> {
    const pairs = groupCodes.flatMap((group) => provincesOf(group).map((code) => ({ group, code })));
    const members = { groups: pairs.map((p) => p.group), codes: pairs.map((p) => p.code) };
    return this.stats(fiscalYear, members, { over: groupCodes, requested: groupCodes, compare: false });
  }

  /**
   * The stats statement. `members` maps provinces (with `compare: 'province'`, districts) to the
   * groups they count in. Every metric is computed for each group of `over` (zeros included); with
   * `compare`, window functions rank it among them (`'nation'`) or among those of the same province
   * (`'province'`, `provinces` parallel to `over`) and give their average and percentiles. Only the
   * `requested` groups come back.
   */
  private async stats(
    fiscalYear: number,
    members: Members,
    {
      over,
      provinces = over,
      requested: requestedGroups,
      compare,
    }: { over: readonly string[]; provinces?: readonly string[]; requested: readonly string[]; compare: 'nation' | 'province' | false },
  ): Promise<Map<string, ActivityStatsValue>> {
    const fy = fiscalYear;
    const requested = Prisma.sql`${[...requestedGroups]}::text[]`;
    const windows = compare === 'nation' ? COMPARISON_WINDOWS : compare === 'province' ? DISTRICT_COMPARISON_WINDOWS : NO_COMPARISON;
    const rows = await this.prisma.$queryRaw<(Omit<ActivityStatsValue, 'fiscalYear'> & { code: string })[]>`
      WITH ${groupYearCtes(members, Prisma.sql`a."fiscalYear" IN (${fy}::int, ${fy - 1}::int)`, compare === 'province' ? 'district' : 'province')},
      metrics AS (
        SELECT g.grp, g.province, v.ord, v.metric, v.value, v.previous
        FROM unnest(${[...over]}::text[], ${[...provinces]}::text[]) AS g(grp, province)
        LEFT JOIN totals t ON t.grp = g.grp AND t.fy = ${fy}::int
        LEFT JOIN totals tp ON tp.grp = g.grp AND tp.fy = ${fy - 1}::int
        LEFT JOIN agencies ag ON ag.grp = g.grp AND ag.fy = ${fy}::int
        LEFT JOIN agencies agp ON agp.grp = g.grp AND agp.fy = ${fy - 1}::int
        CROSS JOIN LATERAL (VALUES
          (1, 'COUNT', coalesce(t.n, 0), coalesce(tp.n, 0)),
          (2, 'PARTICIPANTS', coalesce(t.participants, 0), coalesce(tp.participants, 0)),
          (3, 'PARTICIPATING_AGENCIES', coalesce(ag.n, 0), coalesce(agp.n, 0))
        ) AS v(ord, metric, value, previous)
      ),
      compared AS (
        SELECT m.*, ${windows} FROM metrics m
      ),
      summary AS (
        SELECT grp,
               max(value) FILTER (WHERE metric = 'COUNT')::int AS count,
               max(value) FILTER (WHERE metric = 'PARTICIPANTS')::int AS "participantCount",
               max(value) FILTER (WHERE metric = 'PARTICIPATING_AGENCIES')::int AS "participatingAgencyCount",
               max(previous) FILTER (WHERE metric = 'COUNT')::int AS "previousCount",
               max(value - previous) FILTER (WHERE metric = 'COUNT')::int AS change,
               max("nationalRank") FILTER (WHERE metric = 'COUNT')::int AS "nationalRank",
               max("nationalAverage") FILTER (WHERE metric = 'COUNT') AS "nationalAverage",
               max(percentile) FILTER (WHERE metric = 'COUNT') AS percentile,
               json_agg(json_build_object(
                 'metric', metric, 'value', value, 'previousValue', previous, 'change', value - previous,
                 'nationalRank', "nationalRank", 'nationalAverage', "nationalAverage", 'percentile', percentile
               ) ORDER BY ord) AS comparisons
        FROM compared WHERE grp = ANY(${requested})
        GROUP BY grp
      ),
      kinds AS (
        SELECT g.grp, json_agg(json_build_object('kind', e.kind, 'count', coalesce(k.n, 0)) ORDER BY e.kind) AS list
        FROM unnest(${requested}) AS g(grp)
        CROSS JOIN unnest(enum_range(NULL::"ActivityKind")) AS e(kind)
        LEFT JOIN breakdown k ON k.grp = g.grp AND k.fy = ${fy}::int AND k.measure = 'kind:' || e.kind::text
        GROUP BY g.grp
      ),
      virtues AS (
        SELECT g.grp, json_agg(json_build_object('virtue', e.virtue, 'count', coalesce(v.n, 0)) ORDER BY e.virtue) AS list
        FROM unnest(${requested}) AS g(grp)
        CROSS JOIN unnest(enum_range(NULL::"Virtue")) AS e(virtue)
        LEFT JOIN breakdown v ON v.grp = g.grp AND v.fy = ${fy}::int AND v.measure = 'virtue:' || e.virtue::text
        GROUP BY g.grp
      )
      SELECT s.grp AS code, s.count, s."participantCount", s."participatingAgencyCount", s."previousCount", s.change,
             s."nationalRank", s."nationalAverage", s.percentile, s.comparisons,
             k.list AS "byKind", v.list AS "virtuesPromoted"
      FROM summary s JOIN kinds k ON k.grp = s.grp JOIN virtues v ON v.grp = s.grp`;
    const shaped = (stats: Omit<ActivityStatsValue, 'fiscalYear'>): ActivityStatsValue => {
      const value = { fiscalYear, ...stats, provinceRank: null, provinceAverage: null, provincePercentile: null };
      const comparisons = stats.comparisons.map((c) => ({ ...c, provinceRank: null, provinceAverage: null, provincePercentile: null }));
      if (compare !== 'province') return { ...value, comparisons };
      return { ...withinProvince(value), comparisons: comparisons.map(withinProvince) };
    };
    return new Map(rows.map(({ code, ...stats }) => [code, shaped(stats)]));
  }

  /**
   * Yearly activity figures of provinces from one fiscal year to another, one statement for all of
   * them: one row per province and year (`generate_series`), zeros included, oldest first.
   */
  async trendByProvince(range: FiscalYearRange, codes: readonly string[]): Promise<Map<string, ActivityTrendPointValue[]>> {
    const { from, to } = range;
    const rows = await this.prisma.$queryRaw<(ActivityTrendPointValue & { code: string })[]>`
      WITH ${groupYearCtes({ groups: codes, codes }, Prisma.sql`a."fiscalYear" BETWEEN ${from}::int AND ${to}::int`)}
      SELECT g.grp AS code, y.fy AS "fiscalYear",
             coalesce(t.n, 0)::int AS count,
             coalesce(t.participants, 0)::int AS "participantCount",
             coalesce(ag.n, 0)::int AS "participatingAgencyCount"
      FROM unnest(${[...codes]}::text[]) AS g(grp)
      CROSS JOIN generate_series(${from}::int, ${to}::int) AS y(fy)
      LEFT JOIN totals t ON t.grp = g.grp AND t.fy = y.fy
      LEFT JOIN agencies ag ON ag.grp = g.grp AND ag.fy = y.fy
      ORDER BY g.grp, y.fy`;
    const byCode = new Map<string, ActivityTrendPointValue[]>(codes.map((code) => [code, []]));
    for (const { code, ...point } of rows) byCode.get(code)!.push(point);
    return byCode;
  }

  /**
   * Provinces (all 77, or those of `codes`) ordered by one metric of a fiscal year, highest first,
   * provinces without activities included with zero; equal values share a rank. One statement.
   */
  async ranking(
    fiscalYear: number,
    metric: ActivityMetric,
    codes: readonly string[] = PROVINCE_CODES,
    order?: SortDirection | null,
    first?: number | null,
  ): Promise<ProvinceRankValue[]> {
    const { cte, column } = RANKED[metric];
    const rows = await this.prisma.$queryRaw<{ rank: number; value: number; code: string }[]>`
      WITH ${groupYearCtes({ groups: codes, codes }, Prisma.sql`a."fiscalYear" = ${fiscalYear}::int`)},
      valued AS (
        SELECT g.grp AS code, coalesce(s.${column}, 0) AS value
        FROM unnest(${[...codes]}::text[]) AS g(grp)
        LEFT JOIN ${cte} s ON s.grp = g.grp
      )
      SELECT rank() OVER (ORDER BY value DESC)::int AS rank, value::float8 AS value, code
      FROM valued
      ${rankingOrder(order, first)}`;
    return rows.map(({ rank, value, code }) => ({ rank, value, province: { code } }));
  }

  /** Participating agency counts of many activities in one statement. */
  async participantCounts(activityIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.prisma.activityParticipant.groupBy({
      by: ['activityId'],
      where: { activityId: { in: [...activityIds] } },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.activityId, r._count._all]));
  }
}

/** Filters of activity lists; every one optional, all combined. */
export interface ActivityFilter {
  provinceCode?: string;
  fiscalYear?: number;
  kind?: ActivityKind;
  virtue?: Virtue;
  /** YYYY-MM-DD: activities ending on or after it. */
  from?: string;
  /** YYYY-MM-DD: activities starting on or before it. */
  to?: string;
  search?: SearchQuery | null;
}

// The words columns as the GIN index of the search migration has them.
const ACTIVITY_VECTOR = searchVector('a');
const ACTIVITY_TITLES = { columns: [Prisma.raw('a."titleTh"'), Prisma.raw('a."titleEn"')] };

function activityWhere(filter: ActivityFilter): Prisma.Sql {
  const conditions = [Prisma.sql`a."archivedAt" IS NULL`];
  if (filter.provinceCode) conditions.push(Prisma.sql`a."provinceCode" = ${filter.provinceCode}`);
  if (filter.fiscalYear !== undefined) conditions.push(Prisma.sql`a."fiscalYear" = ${filter.fiscalYear}::int`);
  if (filter.kind) conditions.push(Prisma.sql`a.kind = ${filter.kind}::"ActivityKind"`);
  if (filter.virtue) conditions.push(Prisma.sql`a.virtues @> ARRAY[${filter.virtue}]::"Virtue"[]`);
  if (filter.from) conditions.push(Prisma.sql`a."endDate" >= ${filter.from}::date`);
  if (filter.to) conditions.push(Prisma.sql`a."startDate" <= ${filter.to}::date`);
  if (filter.search) conditions.push(searchCondition(filter.search, ACTIVITY_VECTOR, ACTIVITY_TITLES));
  return Prisma.join(conditions, ' AND ');
}

function activitySortKeys(orderBy: readonly OrderItem<ActivityOrderField>[] | null | undefined, search: SearchQuery | null): SortKey[] {
  return sortKeys(
    orderBy,
    {
      RELEVANCE: { expr: search ? relevance(search, ACTIVITY_VECTOR, ACTIVITY_TITLES) : Prisma.sql`0`, type: 'int' },
      DATE: { expr: Prisma.raw('a."startDate"'), type: 'date' },
      TITLE_TH: { expr: Prisma.raw('a."titleThSort"'), type: 'text' },
      PARTICIPANT_COUNT: { expr: Prisma.raw('a."participantCount"'), type: 'int' },
      CREATED_AT: { expr: Prisma.raw('a."createdAt"'), type: 'timestamp' },
      UPDATED_AT: { expr: Prisma.raw('a."updatedAt"'), type: 'timestamp' },
    },
    search ? [{ field: 'RELEVANCE' }, { field: 'DATE', direction: 'DESC' }] : [{ field: 'DATE', direction: 'DESC' }],
    Prisma.raw('a.id'),
  );
}
