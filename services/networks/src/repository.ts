/** The networks subgraph's queries: reference lists, network chapters, stats and rankings. Each is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
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
  type OrderItem,
  type SearchQuery,
} from '@moral-registry/common';
import type { Network } from './generated/prisma/client.ts';
import type { NetworkOrderField } from './generated/graphql.ts';

// The words columns as the GIN index of the search migration has them.
const NETWORK_VECTOR = searchVector('n');
const NETWORK_NAMES = searchableNames('n', 'nameTh', 'nameEn');
import type { NetworkMetric, RegionGrouping } from './generated/graphql.ts';
import type { NetworkSector, Province, Region } from './models.ts';

/** The Province columns other than its code, for rankings whose rows are the provinces themselves. */
const PROVINCE_COLUMNS = Prisma.raw(
  Object.values(Prisma.ProvinceScalarFieldEnum)
    .filter((c) => c !== 'code')
    .map((c) => `p."${c}"`)
    .join(', '),
);

/**
 * The network stats, declared as data (common/stats.ts). `metrics`: the NetworkMetric enum, each an
 * aggregate over the live chapters of one area; a new metric is one line there and its enum value in
 * schema.graphql. The first is the headline. `source`: rows (area, sectorCode), the live chapters of
 * each area's provinces (archived chapters count nowhere). `details`: the length of the sector list.
 * A ranking's rows carry the Province rows themselves, in the same statement.
 */
export const NETWORK_STATS = defineStats<NetworkMetric, { sectorCount: number }>()({
  metrics: {
    CHAPTERS: { value: Prisma.sql`count(*)`, field: 'chapters' },
    SECTORS_COVERED: { value: Prisma.sql`count(DISTINCT "sectorCode")`, field: 'sectorsCovered' },
  },
  source: (areas) => ({
    rows: Prisma.sql`
      SELECT m.area, n."sectorCode"
      FROM unnest(${[...areas.members.areas]}::text[], ${[...areas.members.codes]}::text[]) AS m(area, code)
      JOIN "Network" n ON n."provinceCode" = m.code AND n."archivedAt" IS NULL`,
  }),
  details: () => ({ columns: Prisma.sql`(SELECT count(*)::int FROM "NetworkSector") AS "sectorCount"` }),
  empty: { sectorCount: 0 },
  rankingDetails: { columns: PROVINCE_COLUMNS, joins: Prisma.sql`JOIN "Province" p ON p.code = r.code` },
});

export class NetworkRepository {
  constructor(private readonly prisma: PrismaClient) {
    this.stats = new AreaStats(prisma, NETWORK_STATS);
  }

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
   * Network stats of provinces (ranked among all 77) or of regions and the nation (`TH`, totals only)
   * and rankings, each in one statement however many areas (common/stats.ts).
   */
  readonly stats: AreaStats<typeof NETWORK_STATS.metrics, { sectorCount: number }>;

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
        ...recordTimeKeys('n'),
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
