/** The awards subgraph's queries. Every list-of-parents query is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import {
  AreaStats,
  defineStats,
  keysetPages,
  keysetRequest,
  recordTimeKeys,
  sortKeys,
  type Connection,
  type ConnectionArgs,
  type OrderItem,
  type StatsAreas,
  type StatsDetails,
  type StatsSource,
} from '@moral-registry/common';
import type { RecognitionMetric, RecognitionOrderField } from './generated/graphql.ts';
import type { AwardCriteriaRow, Recognition } from './models.ts';

type Level = NonNullable<Recognition['level']>;
type Virtue = NonNullable<Recognition['virtue']>;
type Status = Recognition['status'];
type Programme = Recognition['programme'];

interface Breakdowns {
  byLevel: { level: Level; count: number }[];
  byVirtue: { virtue: Virtue; count: number }[];
  byStatus: { status: Status; count: number }[];
  byProgramme: { programme: Programme; count: number }[];
  provinceLevel: Level | null;
}

/**
 * The recognition stats, declared as data (common/stats.ts). `metrics`: the RecognitionMetric enum,
 * each an aggregate over the `recognitionSource` rows of one area and fiscal year (`n` recognitions
 * per combination of `status`, `level`, …; `counted`: neither rejected nor withdrawn), shared by the
 * stats, the ranking and the trend, so they cannot disagree; a new metric is one line there and its
 * enum value in schema.graphql. The first (TOTAL) is the headline.
 */
export const RECOGNITION_STATS = defineStats<RecognitionMetric, Breakdowns>()({
  metrics: {
    TOTAL: { value: Prisma.sql`sum(n) FILTER (WHERE counted)`, field: 'total', previousField: 'previousTotal' },
    MODEL_OR_HIGHER: { value: Prisma.sql`sum(n) FILTER (WHERE counted AND level IN ('MODEL', 'OUTSTANDING_MODEL'))` },
    NATIONALLY_CONFIRMED: { value: Prisma.sql`sum(n) FILTER (WHERE status = 'NATIONALLY_CONFIRMED')` },
  },
  source: (areas, years) => recognitionSource(areas, years!),
  details: (areas, fiscalYear) => breakdowns(areas, fiscalYear!),
  empty: { byLevel: [], byVirtue: [], byStatus: [], byProgramme: [], provinceLevel: null },
});

/**
 * Rows (area, fy, programme, level, virtue, status, own_assessment, counted, n): one pass over the
 * recognitions of some fiscal years of the areas' provinces (the (provinceCode, fiscalYear, …) index),
 * counted per province (per district for districts) and combination of the columns the stats use,
 * then joined to the areas they count in (a province may count in several groups).
 */
function recognitionSource(areas: StatsAreas, { from, to }: { from: number; to: number }): StatsSource {
  const district = areas.level === 'district';
  const codes = [...new Set(areas.members.codes)];
  return {
    with: Prisma.sql`
      recognition_counts AS (
        SELECT ${district ? Prisma.sql`"districtCode"` : Prisma.sql`"provinceCode"`} AS code, "fiscalYear" AS fy,
               programme, level, virtue, status,
               "recipientKind" = 'PROVINCE' AND programme = 'MORAL_UNIT_ASSESSMENT' AS own_assessment,
               count(*) AS n
        FROM "Recognition"
        WHERE "provinceCode" = ANY(${[...areas.provinces]}::text[])
          ${district ? Prisma.sql`AND "districtCode" = ANY(${codes}::text[])` : Prisma.empty}
          AND "fiscalYear" BETWEEN ${from}::int AND ${to}::int AND "archivedAt" IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7
      )`,
    rows: Prisma.sql`
      SELECT m.area, c.fy, c.programme, c.level, c.virtue, c.status, c.own_assessment,
             c.status NOT IN ('REJECTED', 'WITHDRAWN') AS counted, c.n
      FROM unnest(${[...areas.members.areas]}::text[], ${[...areas.members.codes]}::text[]) AS m(area, code)
      JOIN recognition_counts c ON c.code = m.code`,
  };
}

/**
 * The fiscal year's levels, virtues, statuses and programmes of the requested areas in one GROUPING
 * SETS pass, as JSON lists, and a province's own assessment level (provinces only). Rejected and
 * withdrawn recognitions are left out (levels, virtues, programmes, the level) except from the status
 * breakdown, which shows the whole workflow. Lists sort in enum order.
 */
function breakdowns(areas: StatsAreas, fiscalYear: number): StatsDetails {
  const current = Prisma.sql`fy = ${fiscalYear}::int AND area = ANY(${[...areas.requested]}::text[])`;
  return {
    columns: Prisma.sql`
      coalesce(l.by_level, '[]') AS "byLevel",
      coalesce(l.by_virtue, '[]') AS "byVirtue",
      coalesce(l.by_status, '[]') AS "byStatus",
      coalesce(l.by_programme, '[]') AS "byProgramme",
      ${areas.level === 'province' ? Prisma.sql`own.level` : Prisma.sql`NULL`} AS "provinceLevel"`,
    joins: Prisma.sql`
      LEFT JOIN (
        -- Level and virtue groups of NULL are the recognitions that have none; groups of only rejected rows are left out.
        SELECT area,
               json_agg(json_build_object('level', level, 'count', n_counted) ORDER BY level)
                 FILTER (WHERE dimension = 'level' AND level IS NOT NULL AND n_counted > 0) AS by_level,
               json_agg(json_build_object('virtue', virtue, 'count', n_counted) ORDER BY virtue)
                 FILTER (WHERE dimension = 'virtue' AND virtue IS NOT NULL AND n_counted > 0) AS by_virtue,
               json_agg(json_build_object('status', status, 'count', n_all) ORDER BY status)
                 FILTER (WHERE dimension = 'status') AS by_status,
               json_agg(json_build_object('programme', programme, 'count', n_counted) ORDER BY programme)
                 FILTER (WHERE dimension = 'programme' AND n_counted > 0) AS by_programme
        FROM (
          SELECT area, level, virtue, status, programme,
                 CASE WHEN GROUPING(level) = 0 THEN 'level'
                      WHEN GROUPING(virtue) = 0 THEN 'virtue'
                      WHEN GROUPING(status) = 0 THEN 'status'
                      ELSE 'programme' END AS dimension,
                 coalesce(sum(n) FILTER (WHERE counted), 0)::int AS n_counted,
                 sum(n)::int AS n_all
          FROM stats_source
          WHERE ${current}
          GROUP BY GROUPING SETS ((area, level), (area, virtue), (area, status), (area, programme))
        ) b
        GROUP BY area
      ) l ON l.area = s.area
      LEFT JOIN (
        SELECT area, max(level) AS level FROM stats_source WHERE ${current} AND counted AND own_assessment GROUP BY area
      ) own ON own.area = s.area`,
  };
}

export class RecognitionRepository {
  constructor(private readonly prisma: PrismaClient) {
    this.stats = new AreaStats(prisma, RECOGNITION_STATS);
  }

  /** A province's award criteria for one fiscal year, unless archived (then no longer its criteria for the year). */
  async awardCriteria(provinceCode: string, fiscalYear: number): Promise<AwardCriteriaRow | null> {
    const row = await this.prisma.awardCriteria.findUnique({ where: { provinceCode_fiscalYear: { provinceCode, fiscalYear } } });
    return row && !row.archivedAt ? row : null;
  }

  /**
   * Recognition stats of one fiscal year for provinces (ranked among all 77), districts (ranked among
   * their province's; only recognitions stored with a district count) or regions and the nation (`TH`,
   * totals only) with the previous year and the breakdowns, rankings and trends (`total` per year),
   * each in one statement however many areas (common/stats.ts).
   */
  readonly stats: AreaStats<typeof RECOGNITION_STATS.metrics, Breakdowns>;

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
        ...recordTimeKeys('r'),
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
