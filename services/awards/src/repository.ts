/** The awards subgraph's queries. Every list-of-parents query is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import { connection, pagesByParent, type Connection, type Page } from '@moral-registry/common';
import type { Recognition } from './models.ts';

type Level = NonNullable<Recognition['level']>;
type Virtue = NonNullable<Recognition['virtue']>;
type Status = Recognition['status'];

export interface RecognitionStatsValue {
  fiscalYear: number;
  total: number;
  byLevel: { level: Level; count: number }[];
  byVirtue: { virtue: Virtue; count: number }[];
  byStatus: { status: Status; count: number }[];
}

interface StatsRow {
  provinceCode: string;
  dimension: 'total' | 'level' | 'virtue' | 'status';
  level: Level | null;
  virtue: Virtue | null;
  status: Status | null;
  counted: number;
  all: number;
}

export const emptyStats = (fiscalYear: number): RecognitionStatsValue => ({
  fiscalYear,
  total: 0,
  byLevel: [],
  byVirtue: [],
  byStatus: [],
});

export class RecognitionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Recognition counts of one fiscal year for many provinces in one statement. `counted` leaves out
   * rejected and withdrawn recognitions (total, levels, virtues); `all` keeps them, so the status
   * breakdown shows the whole workflow. Groups sort in enum (workflow) order.
   */
  async statsByProvince(fiscalYear: number, provinceCodes: readonly string[]): Promise<Map<string, RecognitionStatsValue>> {
    const rows = await this.prisma.$queryRaw<StatsRow[]>`
      SELECT "provinceCode",
             CASE WHEN GROUPING(level) = 0 THEN 'level'
                  WHEN GROUPING(virtue) = 0 THEN 'virtue'
                  WHEN GROUPING(status) = 0 THEN 'status'
                  ELSE 'total' END AS dimension,
             level, virtue, status,
             (count(*) FILTER (WHERE status NOT IN ('REJECTED', 'WITHDRAWN')))::int AS counted,
             count(*)::int AS "all"
      FROM "Recognition"
      WHERE "provinceCode" = ANY(${[...provinceCodes]}) AND "fiscalYear" = ${fiscalYear} AND "archivedAt" IS NULL
      GROUP BY GROUPING SETS (("provinceCode"), ("provinceCode", level), ("provinceCode", virtue), ("provinceCode", status))
      ORDER BY "provinceCode", level, virtue, status`;
    const result = new Map(provinceCodes.map((c) => [c, emptyStats(fiscalYear)]));
    for (const row of rows) {
      const stats = result.get(row.provinceCode)!;
      if (row.dimension === 'total') stats.total = row.counted;
      // Level and virtue groups of NULL are the recognitions that have none; groups of only rejected rows count 0.
      else if (row.dimension === 'level' && row.level && row.counted) stats.byLevel.push({ level: row.level, count: row.counted });
      else if (row.dimension === 'virtue' && row.virtue && row.counted) stats.byVirtue.push({ virtue: row.virtue, count: row.counted });
      else if (row.dimension === 'status' && row.status) stats.byStatus.push({ status: row.status, count: row.all });
    }
    return result;
  }

  /**
   * One page of recognitions for each of many provinces, with each province's total, in one
   * statement (window functions, as agencies' pagesByParent): newest fiscal year first, then id.
   */
  pagesByProvince(provinceCodes: readonly string[], fiscalYear: number | null, page: Page): Promise<Map<string, Connection<Recognition>>> {
    const year = fiscalYear === null ? Prisma.empty : Prisma.sql`AND r."fiscalYear" = ${fiscalYear}`;
    return pagesByParent<Recognition>(
      this.prisma,
      provinceCodes,
      page,
      Prisma.sql`
        SELECT r."provinceCode" AS "_parent", r.*,
               count(*) OVER (PARTITION BY r."provinceCode")::int AS "_total",
               row_number() OVER (PARTITION BY r."provinceCode" ORDER BY r."fiscalYear" DESC, r.id) AS "_rn"
        FROM "Recognition" r
        WHERE r."provinceCode" = ANY(${[...provinceCodes]}) AND r."archivedAt" IS NULL ${year}`,
    );
  }

  async search(filter: { provinceCode?: string; fiscalYear?: number }, page: Page): Promise<Connection<Recognition>> {
    const where: Prisma.RecognitionWhereInput = { archivedAt: null, provinceCode: filter.provinceCode, fiscalYear: filter.fiscalYear };
    const [rows, total] = await Promise.all([
      this.prisma.recognition.findMany({ where, orderBy: [{ fiscalYear: 'desc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
      this.prisma.recognition.count({ where }),
    ]);
    return connection(rows, page, total);
  }
}
