/** The networks subgraph's queries: reference lists, network chapters, stats and rankings. Each is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import {
  keysetPages,
  keysetRequest,
  PROVINCE_CODES,
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
} from '@moral-registry/common';
import type { Network } from './generated/prisma/client.ts';
import type { NetworkOrderField } from './generated/graphql.ts';

// The words columns as the GIN index of the search migration has them.
const NETWORK_VECTOR = searchVector('n');
const NETWORK_NAMES = { columns: [Prisma.raw('n."nameTh"'), Prisma.raw('n."nameEn"')] };
import type { NetworkMetric, RegionGrouping } from './generated/graphql.ts';
import type { NetworkSector, Province, Region } from './models.ts';

/**
 * One metric of a stats object; the comparison fields are null on regions and the nation, and the
 * province ones (for districts, which have no network stats) always.
 */
export interface MetricComparisonValue {
  metric: NetworkMetric;
  value: number;
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  provinceRank: null;
  provinceAverage: null;
  provincePercentile: null;
  previousValue: null;
  change: null;
}

export interface NetworkStatsValue {
  chapters: number;
  sectorsCovered: number;
  sectorCount: number;
  /** Of the headline metric (CHAPTERS) among the 77 provinces; null on regions and the nation. */
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  comparisons: MetricComparisonValue[];
}

export interface ProvinceRankValue {
  rank: number;
  value: number;
  province: Province;
}

/** Columns of the per-province metrics, by ranking metric. */
const METRIC_COLUMN: Record<NetworkMetric, Prisma.Sql> = {
  CHAPTERS: Prisma.raw('chapters'),
  SECTORS_COVERED: Prisma.raw('"sectorsCovered"'),
};

/**
 * Chapter metrics of groups of provinces (`area` is a province, a region or the nation), zeros
 * included: rows (area, chapters, sectorsCovered) for every area of the parallel arrays (area, province).
 * Archived chapters do not count (every stat and ranking goes through here).
 */
function areaMetrics(areas: readonly string[], provinces: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT m.area, count(n."sectorCode")::int AS chapters, count(DISTINCT n."sectorCode")::int AS "sectorsCovered"
    FROM unnest(${[...areas]}::text[], ${[...provinces]}::text[]) AS m(area, province)
    LEFT JOIN "Network" n ON n."provinceCode" = m.province AND n."archivedAt" IS NULL
    GROUP BY m.area`;
}

interface StatsRow {
  code: string;
  chapters: number;
  sectorsCovered: number;
  sectorCount: number;
  chaptersRank: number | null;
  chaptersAverage: number | null;
  chaptersPercentile: number | null;
  sectorsRank: number | null;
  sectorsAverage: number | null;
  sectorsPercentile: number | null;
}

function statsOf(row: StatsRow | undefined, sectorCount: number): NetworkStatsValue {
  const comparison = (metric: NetworkMetric, value: number, rank: number | null, average: number | null, percentile: number | null) => ({
    metric,
    value,
    nationalRank: rank,
    nationalAverage: average,
    percentile,
    provinceRank: null,
    provinceAverage: null,
    provincePercentile: null,
    previousValue: null,
    change: null,
  });
  return {
    chapters: row?.chapters ?? 0,
    sectorsCovered: row?.sectorsCovered ?? 0,
    sectorCount: row?.sectorCount ?? sectorCount,
    nationalRank: row?.chaptersRank ?? null,
    nationalAverage: row?.chaptersAverage ?? null,
    percentile: row?.chaptersPercentile ?? null,
    comparisons: [
      comparison('CHAPTERS', row?.chapters ?? 0, row?.chaptersRank ?? null, row?.chaptersAverage ?? null, row?.chaptersPercentile ?? null),
      comparison(
        'SECTORS_COVERED',
        row?.sectorsCovered ?? 0,
        row?.sectorsRank ?? null,
        row?.sectorsAverage ?? null,
        row?.sectorsPercentile ?? null,
      ),
    ],
  };
}

/** Parallel arrays (area, province) of the provinces of each area (region code or TH). */
function areaPairs(areaCodes: readonly string[]): [string[], string[]] {
  const pairs = areaCodes.flatMap((area) => provincesOf(area).map((province) => [area, province] as const));
  return [pairs.map(([area]) => area), pairs.map(([, province]) => province)];
}

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
   * Stats of many provinces in one statement: the metrics of all 77 provinces (zeros included)
   * ranked with window functions (ties share a rank; percentile = share of provinces with a lower
   * value), returned for the requested provinces only.
   */
  async statsByProvince(provinceCodes: readonly string[]): Promise<Map<string, NetworkStatsValue>> {
    const rows = await this.prisma.$queryRaw<StatsRow[]>`
      SELECT * FROM (
        SELECT area AS code, chapters, "sectorsCovered",
               (SELECT count(*)::int FROM "NetworkSector") AS "sectorCount",
               rank() OVER (ORDER BY chapters DESC)::int AS "chaptersRank",
               avg(chapters) OVER ()::float8 AS "chaptersAverage",
               (100.0 * (rank() OVER (ORDER BY chapters) - 1) / count(*) OVER ())::float8 AS "chaptersPercentile",
               rank() OVER (ORDER BY "sectorsCovered" DESC)::int AS "sectorsRank",
               avg("sectorsCovered") OVER ()::float8 AS "sectorsAverage",
               (100.0 * (rank() OVER (ORDER BY "sectorsCovered") - 1) / count(*) OVER ())::float8 AS "sectorsPercentile"
        FROM (${areaMetrics(PROVINCE_CODES, PROVINCE_CODES)}) metrics
      ) ranked
      WHERE code = ANY(${[...provinceCodes]}::text[])`;
    const byCode = new Map(rows.map((row) => [row.code, row]));
    const sectorCount = rows[0]?.sectorCount ?? 0;
    return new Map(provinceCodes.map((code) => [code, statsOf(byCode.get(code), sectorCount)]));
  }

  /**
   * Stats of many regions (NSO or MPC codes) and of the nation (TH) in one statement: chapters and
   * sectors covered over their provinces (from the shared province key list); no ranks.
   */
  async statsByArea(areaCodes: readonly string[]): Promise<Map<string, NetworkStatsValue>> {
    const [areas, provinces] = areaPairs(areaCodes);
    const rows = await this.prisma.$queryRaw<StatsRow[]>`
      SELECT k.code, COALESCE(m.chapters, 0)::int AS chapters, COALESCE(m."sectorsCovered", 0)::int AS "sectorsCovered",
             (SELECT count(*)::int FROM "NetworkSector") AS "sectorCount"
      FROM unnest(${[...areaCodes]}::text[]) AS k(code)
      LEFT JOIN (${areaMetrics(areas, provinces)}) m ON m.area = k.code`;
    const byCode = new Map(rows.map((row) => [row.code, row]));
    return new Map(areaCodes.map((code) => [code, statsOf(byCode.get(code), 0)]));
  }

  /**
   * Provinces ordered by a metric, highest first, ranked among `provinceCodes` (all 77 by default, or
   * a region's), zeros included; ties share a rank and are ordered by code. One statement, which
   * also returns the provinces' rows.
   */
  async ranking(
    metric: NetworkMetric,
    provinceCodes: readonly string[] = PROVINCE_CODES,
    order?: SortDirection | null,
    first?: number | null,
  ): Promise<ProvinceRankValue[]> {
    const column = METRIC_COLUMN[metric];
    const rows = await this.prisma.$queryRaw<(Province & { _rank: number; _value: number })[]>`
      SELECT p.*, r._rank, r._value
      FROM (
        SELECT area AS code, rank() OVER (ORDER BY ${column} DESC)::int AS _rank, ${column}::float8 AS _value
        FROM (${areaMetrics(provinceCodes, provinceCodes)}) metrics
      ) r
      JOIN "Province" p ON p.code = r.code
      ${rankingOrder(order, first, 'r._rank', 'r.code')}`;
    return rows.map(({ _rank, _value, ...province }) => ({ rank: _rank, value: _value, province }));
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
