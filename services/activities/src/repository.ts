/** The activities subgraph's queries. Every list-of-parents query is one SQL statement. */
import { Prisma, type ActivityKind, type PrismaClient } from './generated/prisma/client.ts';
import { connection, pagesByParent, type Connection, type Page } from '@moral-registry/common';
import type { Activity, AgencyRef } from './models.ts';

export interface ActivityStatsValue {
  fiscalYear: number;
  count: number;
  participantCount: number;
  participatingAgencyCount: number;
}

export const emptyStats = (fiscalYear: number): ActivityStatsValue => ({
  fiscalYear,
  count: 0,
  participantCount: 0,
  participatingAgencyCount: 0,
});

/**
 * Activity columns for raw queries, from Prisma's own field list so it follows the schema. Enum
 * arrays come back from raw queries as a Postgres array literal ('{A,B}'); as text[] they arrive as arrays.
 */
const ACTIVITY_COLUMNS = Prisma.raw(
  Object.values(Prisma.ActivityScalarFieldEnum)
    .map((c) => (c === 'virtues' ? `a."virtues"::text[] AS "virtues"` : `a."${c}"`))
    .join(', '),
);

/** Newest first; id breaks ties so paging is stable. */
const NEWEST_FIRST = Prisma.sql`a."startDate" DESC, a.id`;

export class ActivityRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** A page of activities per province, optionally of one fiscal year. */
  activitiesByProvince(codes: readonly string[], page: Page, fiscalYear: number | undefined): Promise<Map<string, Connection<Activity>>> {
    const inYear = fiscalYear === undefined ? Prisma.empty : Prisma.sql`AND a."fiscalYear" = ${fiscalYear}`;
    return pagesByParent<Activity>(
      this.prisma,
      codes,
      page,
      Prisma.sql`
        SELECT a."provinceCode" AS "_parent", ${ACTIVITY_COLUMNS},
               count(*) OVER (PARTITION BY a."provinceCode")::int AS "_total",
               row_number() OVER (PARTITION BY a."provinceCode" ORDER BY ${NEWEST_FIRST}) AS "_rn"
        FROM "Activity" a
        WHERE a."provinceCode" = ANY(${[...codes]}) AND a."archivedAt" IS NULL ${inYear}`,
    );
  }

  /** A page of activities per agency: those it organized or took part in (once if both). */
  activitiesByAgency(agencyIds: readonly string[], page: Page): Promise<Map<string, Connection<Activity>>> {
    const ids = [...agencyIds];
    return pagesByParent<Activity>(
      this.prisma,
      agencyIds,
      page,
      Prisma.sql`
        SELECT l."agencyId" AS "_parent", ${ACTIVITY_COLUMNS},
               count(*) OVER (PARTITION BY l."agencyId")::int AS "_total",
               row_number() OVER (PARTITION BY l."agencyId" ORDER BY ${NEWEST_FIRST}) AS "_rn"
        FROM (
          SELECT "agencyId", "activityId" FROM "ActivityOrganizer" WHERE "agencyId" = ANY(${ids})
          UNION
          SELECT "agencyId", "activityId" FROM "ActivityParticipant" WHERE "agencyId" = ANY(${ids})
        ) l
        JOIN "Activity" a ON a.id = l."activityId" AND a."archivedAt" IS NULL`,
    );
  }

  /**
   * A page of participating agencies per activity, in id order: agency names live in the agencies
   * subgraph, so this one has no better stable order to offer.
   */
  participantsByActivity(activityIds: readonly string[], page: Page): Promise<Map<string, Connection<AgencyRef>>> {
    return pagesByParent<AgencyRef>(
      this.prisma,
      activityIds,
      page,
      Prisma.sql`
        SELECT p."activityId" AS "_parent", p."agencyId" AS id,
               count(*) OVER (PARTITION BY p."activityId")::int AS "_total",
               row_number() OVER (PARTITION BY p."activityId" ORDER BY p."agencyId") AS "_rn"
        FROM "ActivityParticipant" p
        WHERE p."activityId" = ANY(${[...activityIds]})`,
    );
  }

  /**
   * Activity stats of many provinces for one fiscal year in one statement. Participating agencies
   * are counted in their own CTE: joining participants to activities directly would multiply
   * every activity's head count by its number of participating agencies.
   */
  async statsByProvince(fiscalYear: number, codes: readonly string[]): Promise<Map<string, ActivityStatsValue>> {
    const rows = await this.prisma.$queryRaw<
      { provinceCode: string; count: number; participantCount: number; participatingAgencyCount: number }[]
    >`
      WITH acts AS (
        SELECT id, "provinceCode", "participantCount" FROM "Activity"
        WHERE "provinceCode" = ANY(${[...codes]}) AND "fiscalYear" = ${fiscalYear} AND "archivedAt" IS NULL
      ), agencies AS (
        SELECT acts."provinceCode", count(DISTINCT p."agencyId")::int AS n
        FROM acts JOIN "ActivityParticipant" p ON p."activityId" = acts.id
        GROUP BY acts."provinceCode"
      )
      SELECT acts."provinceCode", count(*)::int AS count,
             coalesce(sum(acts."participantCount"), 0)::int AS "participantCount",
             coalesce(max(agencies.n), 0)::int AS "participatingAgencyCount"
      FROM acts LEFT JOIN agencies ON agencies."provinceCode" = acts."provinceCode"
      GROUP BY acts."provinceCode"`;
    return new Map(rows.map(({ provinceCode, ...stats }) => [provinceCode, { fiscalYear, ...stats }]));
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

  async search(filter: { provinceCode?: string; fiscalYear?: number; kind?: ActivityKind }, page: Page): Promise<Connection<Activity>> {
    const where: Prisma.ActivityWhereInput = { archivedAt: null, ...filter };
    const [rows, total] = await Promise.all([
      this.prisma.activity.findMany({ where, orderBy: [{ startDate: 'desc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
      this.prisma.activity.count({ where }),
    ]);
    return connection(rows, page, total);
  }
}
