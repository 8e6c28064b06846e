/** The agencies subgraph's queries. Every list-of-parents query is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import { connection, pagesByParent, type Connection, type Page } from '@moral-registry/common';
import type { Agency } from './models.ts';

export interface SectorCountRow {
  provinceCode: string;
  sectorCode: string | null;
  isTotal: boolean;
  count: number;
}

export interface AgencyStatsValue {
  total: number;
  bySector: { sector: { code: string }; count: number }[];
}

const emptyStats = (): AgencyStatsValue => ({ total: 0, bySector: [] });

export class AgencyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Agency counts per province, in total and per sector, for many provinces in one statement. */
  async statsByProvince(provinceCodes: readonly string[]): Promise<Map<string, AgencyStatsValue>> {
    const rows = await this.prisma.$queryRaw<SectorCountRow[]>`
      SELECT "provinceCode", "sectorCode", GROUPING("sectorCode") = 1 AS "isTotal", count(*)::int AS count
      FROM "Agency"
      WHERE "provinceCode" = ANY(${[...provinceCodes]}) AND "archivedAt" IS NULL
      GROUP BY GROUPING SETS (("provinceCode"), ("provinceCode", "sectorCode"))
      ORDER BY "provinceCode", "sectorCode"`;
    const result = new Map<string, AgencyStatsValue>(provinceCodes.map((c) => [c, emptyStats()]));
    for (const row of rows) {
      const stats = result.get(row.provinceCode)!;
      if (row.isTotal) stats.total = row.count;
      else if (row.sectorCode) stats.bySector.push({ sector: { code: row.sectorCode }, count: row.count });
    }
    return result;
  }

  /** Agency counts of many network chapters in one statement. */
  async countByNetwork(networkIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRaw<{ networkId: string; count: number }[]>`
      SELECT "networkId", count(*)::int AS count FROM "Agency"
      WHERE "networkId" = ANY(${[...networkIds]}) AND "archivedAt" IS NULL
      GROUP BY "networkId"`;
    return new Map(rows.map((r) => [r.networkId, r.count]));
  }

  /**
   * One page of agencies for each of many parents (provinces or network chapters), with each
   * parent's total, in one statement: a window function numbers the rows within each parent, and
   * parents without rows on the page still get their total.
   */
  pagesByParent(column: 'provinceCode' | 'networkId', keys: readonly string[], page: Page): Promise<Map<string, Connection<Agency>>> {
    const col = Prisma.raw(`a."${column}"`);
    return pagesByParent<Agency>(
      this.prisma,
      keys,
      page,
      Prisma.sql`
        SELECT ${col} AS "_parent", a.*,
               count(*) OVER (PARTITION BY ${col})::int AS "_total",
               row_number() OVER (PARTITION BY ${col} ORDER BY a."nameTh", a.id) AS "_rn"
        FROM "Agency" a
        WHERE ${col} = ANY(${[...keys]}) AND a."archivedAt" IS NULL`,
    );
  }

  async search(filter: { provinceCode?: string; sectorCode?: string; search?: string }, page: Page): Promise<Connection<Agency>> {
    const where: Prisma.AgencyWhereInput = { archivedAt: null };
    if (filter.provinceCode) where.provinceCode = filter.provinceCode;
    if (filter.sectorCode) where.sectorCode = filter.sectorCode;
    if (filter.search) {
      where.OR = [
        { nameTh: { contains: filter.search, mode: 'insensitive' } },
        { nameEn: { contains: filter.search, mode: 'insensitive' } },
      ];
    }
    const [rows, total] = await Promise.all([
      this.prisma.agency.findMany({ where, orderBy: [{ nameTh: 'asc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
      this.prisma.agency.count({ where }),
    ]);
    return connection(rows, page, total);
  }
}
