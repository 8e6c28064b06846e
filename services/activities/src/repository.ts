/** The activities subgraph's queries. Every list-of-parents query is one SQL statement. */
import { ActivityKind, Prisma, Virtue, type PrismaClient } from './generated/prisma/client.ts';
import {
  AreaStats,
  defineStats,
  keysetPages,
  keysetRequest,
  recordTimeKeys,
  relevance,
  searchableNames,
  searchCondition,
  searchVector,
  sortKeys,
  type Connection,
  type ConnectionArgs,
  type FiscalYearRange,
  type OrderItem,
  type SearchQuery,
  type SortKey,
  type StatsAreas,
  type StatsDetails,
  type StatsSource,
} from '@moral-registry/common';
import type { ActivityMetric, ActivityOrderField } from './generated/graphql.ts';
import type { Activity, AgencyRef } from './models.ts';

interface Breakdowns {
  /** Every kind and every virtue, zeros included, in the order the enums declare them. */
  byKind: { kind: ActivityKind; count: number }[];
  virtuesPromoted: { virtue: Virtue; count: number }[];
}

/**
 * The activity stats, declared as data (common/stats.ts). `metrics`: the ActivityMetric enum, each an
 * aggregate over the `activitySource` rows of one area and fiscal year (one per measure: `activities`,
 * `participants`, `agencies`, `kind:<kind>`, `virtue:<virtue>`), shared by the stats, the rankings and
 * the trends; a new metric is one line there and its enum value in schema.graphql (e.g. activities
 * promoting honesty: `sum(n) FILTER (WHERE measure = 'virtue:HONESTY')`). The first is the headline.
 */
export const ACTIVITY_STATS = defineStats<ActivityMetric, Breakdowns>()({
  metrics: {
    COUNT: { value: Prisma.sql`sum(n) FILTER (WHERE measure = 'activities')`, field: 'count', previousField: 'previousCount' },
    PARTICIPANTS: { value: Prisma.sql`sum(n) FILTER (WHERE measure = 'participants')`, field: 'participantCount' },
    PARTICIPATING_AGENCIES: { value: Prisma.sql`sum(n) FILTER (WHERE measure = 'agencies')`, field: 'participatingAgencyCount' },
  },
  source: (areas, years) => activitySource(areas, years!),
  details: (areas, fiscalYear) => breakdowns(areas, fiscalYear!),
  empty: {
    byKind: Object.values(ActivityKind).map((kind) => ({ kind, count: 0 })),
    virtuesPromoted: Object.values(Virtue).map((virtue) => ({ virtue, count: 0 })),
  },
});

/**
 * Rows (area, fy, measure, n) of the fiscal years `from`–`to`, one per measure of an area and year
 * with activities. Provinces' figures are read from ActivityTally (one row per fiscal year, province
 * and measure, kept by database triggers; migration activity_tally), so a national comparison reads
 * 77 provinces × 2 years of rows whatever the size of the data (at scale 10 it read ≈ 46,000
 * activities and ≈ 98,000 ParticipationSummary rows before, bench/NOTES.md). Additive figures of a
 * group of provinces (a region, the nation) are sums of its provinces'; its distinct agencies are
 * counted over ParticipationSummary (one row per fiscal year, province and agency with live activities
 * there, kept by triggers too; migration participation_summary), since an agency active in two of its
 * provinces counts once. `COLLATE "C"` makes that de-duplication compare ids bytewise instead of
 * through the database locale (same result: ids are compared for equality only).
 */
function activitySource(areas: StatsAreas, { from, to }: FiscalYearRange): StatsSource {
  if (areas.level === 'district') return districtSource(areas, from, to);
  const members = Prisma.sql`unnest(${[...areas.members.areas]}::text[], ${[...areas.members.codes]}::text[]) AS m(area, code)`;
  const years = Prisma.sql`a."fiscalYear" BETWEEN ${from}::int AND ${to}::int`;
  const oneProvinceEach = new Set(areas.members.areas).size === areas.members.areas.length;
  return {
    with: Prisma.sql`
      tallied AS (
        SELECT m.area, a."fiscalYear" AS fy, a.measure, sum(a.n)::bigint AS n
        FROM "ActivityTally" a JOIN ${members} ON m.code = a."provinceCode"
        WHERE ${years}
        GROUP BY 1, 2, 3
      )`,
    rows: oneProvinceEach
      ? Prisma.sql`SELECT area, fy, measure, n FROM tallied`
      : Prisma.sql`
        SELECT area, fy, measure, n FROM tallied WHERE measure <> 'agencies'
        UNION ALL
        SELECT m.area, a."fiscalYear", 'agencies', count(DISTINCT a."agencyId" COLLATE "C")
        FROM "ParticipationSummary" a JOIN ${members} ON m.code = a."provinceCode"
        WHERE a.activities > 0 AND ${years}
        GROUP BY 1, 2`,
  };
}

/**
 * The same rows for districts: `acts` reads the activities of the districts' provinces (the
 * (provinceCode, fiscalYear) index) and keeps those of the districts; distinct participating agencies
 * come from the participation links of those activities (ParticipationSummary is kept per province,
 * not per district; a province's activities of two fiscal years are few enough to read their links).
 */
function districtSource(areas: StatsAreas, from: number, to: number): StatsSource {
  return {
    with: Prisma.sql`
      acts AS (
        SELECT a.id, m.area, a."fiscalYear" AS fy, a."participantCount", a.kind, a.virtues
        FROM "Activity" a
        JOIN unnest(${[...areas.members.areas]}::text[], ${[...areas.members.codes]}::text[]) AS m(area, code) ON m.code = a."districtCode"
        WHERE a."archivedAt" IS NULL AND a."provinceCode" = ANY(${[...areas.provinces]}::text[])
          AND a."fiscalYear" BETWEEN ${from}::int AND ${to}::int
      )`,
    rows: Prisma.sql`
      SELECT area, fy, 'activities'::text AS measure, count(*) AS n FROM acts GROUP BY 1, 2
      UNION ALL
      SELECT area, fy, 'participants', sum("participantCount") FROM acts GROUP BY 1, 2
      UNION ALL
      SELECT acts.area, acts.fy, 'agencies', count(DISTINCT p."agencyId")
      FROM acts JOIN "ActivityParticipant" p ON p."activityId" = acts.id GROUP BY 1, 2
      UNION ALL
      SELECT area, fy, 'kind:' || kind::text, count(*) FROM acts GROUP BY 1, 2, 3
      UNION ALL
      SELECT area, fy, 'virtue:' || virtue::text, count(DISTINCT id) FROM acts CROSS JOIN unnest(acts.virtues) AS virtue GROUP BY 1, 2, 3`,
  };
}

/** Every kind and every virtue of the requested areas in the fiscal year, zeros included, as JSON lists in enum order. */
function breakdowns(areas: StatsAreas, fiscalYear: number): StatsDetails {
  const list = (alias: string, key: string, enumType: string, prefix: string) => {
    const [a, k] = [Prisma.raw(alias), Prisma.raw(key)];
    return Prisma.sql`
      JOIN (
        SELECT g.area, json_agg(json_build_object(${Prisma.raw(`'${key}'`)}, e.${k}, 'count', coalesce(b.n, 0)) ORDER BY e.${k}) AS list
        FROM unnest(${[...areas.requested]}::text[]) AS g(area)
        CROSS JOIN unnest(enum_range(NULL::${Prisma.raw(`"${enumType}"`)})) AS e(${k})
        LEFT JOIN stats_source b ON b.area = g.area AND b.fy = ${fiscalYear}::int AND b.measure = ${Prisma.raw(`'${prefix}:'`)} || e.${k}::text
        GROUP BY g.area
      ) ${a} ON ${a}.area = s.area`;
  };
  return {
    columns: Prisma.sql`kinds.list AS "byKind", virtues.list AS "virtuesPromoted"`,
    joins: Prisma.sql`${list('kinds', 'kind', 'ActivityKind', 'kind')} ${list('virtues', 'virtue', 'Virtue', 'virtue')}`,
  };
}

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
  constructor(private readonly prisma: PrismaClient) {
    this.stats = new AreaStats(prisma, ACTIVITY_STATS);
  }

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
   * Activity stats of one fiscal year for provinces (ranked among all 77), districts (ranked among
   * their province's) or regions and the nation (`TH`, totals only: participating agencies distinct
   * over the group) with the previous year and the breakdowns by kind and virtue, rankings and trends,
   * each in one statement however many areas (common/stats.ts).
   */
  readonly stats: AreaStats<typeof ACTIVITY_STATS.metrics, Breakdowns>;

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
const ACTIVITY_TITLES = searchableNames('a', 'titleTh', 'titleEn');

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
      ...recordTimeKeys('a'),
    },
    search ? [{ field: 'RELEVANCE' }, { field: 'DATE', direction: 'DESC' }] : [{ field: 'DATE', direction: 'DESC' }],
    Prisma.raw('a.id'),
  );
}
