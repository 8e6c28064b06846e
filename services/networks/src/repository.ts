/** The networks subgraph's queries: reference lists, network chapters, stats and rankings. Each is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import {
  keysetPages,
  keysetRequest,
  PROVINCE_CODES,
  queryRanking,
  queryStats,
  relevance,
  searchCondition,
  searchVector,
  sortKeys,
  statsAreas,
  statsValue,
  type Connection,
  type ConnectionArgs,
  type Metrics,
  type OrderItem,
  type ProvinceRankValue,
  type SearchQuery,
  type SortDirection,
  type StatsAreas,
  type StatsSource,
  type StatsValue,
} from '@moral-registry/common';
import type { Network } from './generated/prisma/client.ts';
import type { NetworkOrderField } from './generated/graphql.ts';

// The words columns as the GIN index of the search migration has them.
const NETWORK_VECTOR = searchVector('n');
const NETWORK_NAMES = [Prisma.raw('n."nameTh"'), Prisma.raw('n."nameEn"')];
import type { NetworkMetric, RegionGrouping } from './generated/graphql.ts';
import type { NetworkSector, Province, Region } from './models.ts';

/**
 * The network metrics (the NetworkMetric enum), each an aggregate over the live chapters of one area
 * (`networkSource`): a new metric is one line here and its enum value in schema.graphql. The first is
 * the headline.
 */
export const NETWORK_METRICS = {
  CHAPTERS: { value: Prisma.sql`count(*)`, field: 'chapters' },
  SECTORS_COVERED: { value: Prisma.sql`count(DISTINCT "sectorCode")`, field: 'sectorsCovered' },
} as const satisfies Metrics<NetworkMetric>;

export type NetworkStatsValue = StatsValue<typeof NETWORK_METRICS> & { sectorCount: number };

/** Rows (area, sectorCode): the live chapters of each area's provinces. Archived chapters count nowhere. */
function networkSource(areas: StatsAreas): StatsSource {
  return {
    rows: Prisma.sql`
      SELECT m.area, n."sectorCode"
      FROM unnest(${[...areas.members.areas]}::text[], ${[...areas.members.codes]}::text[]) AS m(area, code)
      JOIN "Network" n ON n."provinceCode" = m.code AND n."archivedAt" IS NULL`,
  };
}

/** The Province columns other than its code, for rankings whose rows are the provinces themselves. */
const PROVINCE_COLUMNS = Prisma.raw(
  Object.values(Prisma.ProvinceScalarFieldEnum)
    .filter((c) => c !== 'code')
    .map((c) => `p."${c}"`)
    .join(', '),
);

export class NetworkRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** All 77 provinces, by code. */
  provinces(): Promise<Province[]> {
    return this.prisma.province.findMany({ orderBy: { code: 'asc' } });
  }

  /** The regions of one grouping (NSO or MPC), in their official order. */
  regions(grouping: RegionGrouping): Promise<Region[]> {
    return this.prisma.region.findMany({ where: { grouping }, orderBy: { sortOrder: 'asc' } });
  }

  /** The network sectors (a code list in the database), in their official order. */
  networkSectors(): Promise<NetworkSector[]> {
    return this.prisma.networkSector.findMany({ orderBy: { sortOrder: 'asc' } });
  }

  /**
   * Network stats of provinces (ranked among all 77) or of regions and the nation (`TH`, totals only),
   * in one statement however many (common/stats.ts), with the length of the sector list.
   */
  async stats(level: 'province' | 'group', codes: readonly string[]): Promise<Map<string, NetworkStatsValue>> {
    const areas = statsAreas(level, codes);
    const rows = await queryStats<{ sectorCount: number }>(this.prisma, NETWORK_METRICS, {
      areas,
      source: networkSource(areas),
      details: { columns: Prisma.sql`(SELECT count(*)::int FROM "NetworkSector") AS "sectorCount"` },
    });
    const sectorCount = rows.values().next().value?.sectorCount ?? 0;
    return new Map(codes.map((code) => [code, { ...statsValue(NETWORK_METRICS, level, rows.get(code)), sectorCount }]));
  }

  /**
   * Provinces ordered by a metric, highest first, ranked among `provinceCodes` (all 77 by default, or
   * a region's), zeros included; ties share a rank and are ordered by code. One statement, which
   * also returns the provinces' rows.
   */
  ranking(
    metric: NetworkMetric,
    provinceCodes: readonly string[] = PROVINCE_CODES,
    order?: SortDirection | null,
    first?: number | null,
  ): Promise<ProvinceRankValue<Province>[]> {
    const areas = statsAreas('province', [], provinceCodes);
    return queryRanking<Province>(this.prisma, NETWORK_METRICS, metric, {
      areas,
      source: networkSource(areas),
      order,
      first,
      details: { columns: PROVINCE_COLUMNS, joins: Prisma.sql`JOIN "Province" p ON p.code = r.code` },
    });
  }

  /** Live network chapters: filters combined, Thai-aware search, keyset paging (docs/SEARCH.md). One statement. */
  async networks(
    filter: { provinceCode?: string; sectorCode?: string; search?: SearchQuery | null },
    orderBy: readonly OrderItem<NetworkOrderField>[] | null | undefined,
    args: ConnectionArgs,
  ): Promise<Connection<Network>> {
    const conditions = [Prisma.sql`n."archivedAt" IS NULL`];
    if (filter.provinceCode) conditions.push(Prisma.sql`n."provinceCode" = ${filter.provinceCode}`);
    if (filter.sectorCode) conditions.push(Prisma.sql`n."sectorCode" = ${filter.sectorCode}`);
    if (filter.search) conditions.push(searchCondition(filter.search, NETWORK_VECTOR, NETWORK_NAMES));
    const sort = sortKeys(
      orderBy,
      {
        RELEVANCE: { expr: filter.search ? relevance(filter.search, NETWORK_VECTOR, NETWORK_NAMES) : Prisma.sql`0`, type: 'int' },
        NAME_TH: { expr: Prisma.raw('n."nameThSort"'), type: 'text' },
        PROVINCE: { expr: Prisma.raw('n."provinceCode"'), type: 'text' },
        CREATED_AT: { expr: Prisma.raw('n."createdAt"'), type: 'timestamp' },
        UPDATED_AT: { expr: Prisma.raw('n."updatedAt"'), type: 'timestamp' },
      },
      filter.search ? [{ field: 'RELEVANCE' }, { field: 'NAME_TH' }] : [{ field: 'NAME_TH' }],
      Prisma.raw('n.id'),
    );
    const pages = await keysetPages<Network>(this.prisma, [''], keysetRequest(args, sort), {
      select: Prisma.raw(
        Object.values(Prisma.NetworkScalarFieldEnum)
          .map((c) => `n."${c}"`)
          .join(', '),
      ),
      from: Prisma.sql`"Network" n`,
      where: Prisma.join(conditions, ' AND '),
      keys: sort,
      sortsAllMatches: Boolean(filter.search),
    });
    return pages.get('')!;
  }
}
