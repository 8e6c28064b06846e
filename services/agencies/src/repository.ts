/** The agencies subgraph's queries. Every list-of-parents query is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import {
  keysetPages,
  keysetRequest,
  rankingOrder,
  PROVINCE_CODES,
  provincesOf,
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
import type { AgencyKind, AgencyMetric, AgencyOrderField, PersonOrderField } from './generated/graphql.ts';
import type { Agency, Person } from './models.ts';

/** One metric of a stats object; the comparison fields are null on regions and the nation. */
export interface MetricComparisonValue {
  metric: AgencyMetric;
  value: number;
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  previousValue: null;
  change: null;
}

export interface AgencyStatsValue {
  total: number;
  bySector: { sector: { code: string }; count: number }[];
  byKind: { kind: AgencyKind; count: number }[];
  /** Of the headline metric (TOTAL) among the 77 provinces; null on regions and the nation. */
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  comparisons: MetricComparisonValue[];
}

export interface ProvinceRankValue {
  rank: number;
  value: number;
  province: { code: string };
}

/** Columns of the per-area aggregates, by ranking metric. */
const METRIC_COLUMN: Record<AgencyMetric, Prisma.Sql> = { TOTAL: Prisma.raw('total'), SECTORS: Prisma.raw('sectors') };

/**
 * Live agencies counted per (province, sector, kind): the first, streaming level of every aggregate
 * (an index-only scan of Agency(provinceCode, sectorCode, kind, archivedAt)). `provinceCodes` limits
 * it to some provinces; all provinces when omitted.
 */
function counts(provinceCodes?: readonly string[]): Prisma.Sql {
  const where = provinceCodes ? Prisma.sql`"provinceCode" = ANY(${[...provinceCodes]}::text[])` : Prisma.sql`"provinceCode" IS NOT NULL`;
  return Prisma.sql`
    SELECT "provinceCode", "sectorCode", kind, count(*)::int AS n
    FROM "Agency"
    WHERE ${where} AND "archivedAt" IS NULL
    GROUP BY "provinceCode", "sectorCode", kind`;
}

/** Counts (area, sectorCode, kind, n) with area = the province. */
function byProvince(provinceCodes?: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT "provinceCode" AS area, "sectorCode", kind, n FROM (${counts(provinceCodes)}) c`;
}

/**
 * Counts (area, sectorCode, kind, n) of groups of provinces (regions, the nation), from the provinces
 * of each area in the shared key list, passed as parallel arrays (area, province).
 */
function byArea(areaCodes: readonly string[]): Prisma.Sql {
  const pairs = areaCodes.flatMap((area) => provincesOf(area).map((province) => [area, province] as const));
  return Prisma.sql`
    SELECT m.area, c."sectorCode", c.kind, c.n
    FROM unnest(${pairs.map(([area]) => area)}::text[], ${pairs.map(([, province]) => province)}::text[]) AS m(area, province)
    JOIN (${counts([...new Set(pairs.map(([, province]) => province))])}) c ON c."provinceCode" = m.province`;
}

/**
 * Aggregates of `counts` (rows area, sectorCode, kind, n) per area in one pass (GROUPING SETS):
 * rows (area, total, sectors, bySector, byKind) for the areas that have agencies; the breakdowns
 * (JSON) only for the areas in `breakdownsOf`.
 */
function aggregates(counts: Prisma.Sql, breakdownsOf: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT area,
           sum(n) FILTER (WHERE g = 3)::int AS total,
           count(*) FILTER (WHERE g = 1 AND "sectorCode" IS NOT NULL)::int AS sectors,
           json_agg(json_build_object('code', "sectorCode", 'count', n) ORDER BY "sectorCode")
             FILTER (WHERE g = 1 AND "sectorCode" IS NOT NULL AND area = ANY(${[...breakdownsOf]}::text[])) AS "bySector",
           json_agg(json_build_object('kind', kind, 'count', n) ORDER BY kind)
             FILTER (WHERE g = 2 AND area = ANY(${[...breakdownsOf]}::text[])) AS "byKind"
    FROM (
      SELECT area, "sectorCode", kind, GROUPING("sectorCode", kind) AS g, sum(n)::int AS n
      FROM (${counts}) counts
      GROUP BY GROUPING SETS ((area), (area, "sectorCode"), (area, kind))
    ) grouped
    GROUP BY area`;
}

/**
 * Aggregates of a set of provinces (all 77 by default), zeros included: the universe of a ranking.
 * Breakdowns only for `breakdownsOf`.
 */
function provinceAggregates(provinceCodes: readonly string[] | undefined, breakdownsOf: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT k.code, COALESCE(a.total, 0) AS total, COALESCE(a.sectors, 0) AS sectors, a."bySector", a."byKind"
    FROM unnest(${[...(provinceCodes ?? PROVINCE_CODES)]}::text[]) AS k(code)
    LEFT JOIN (${aggregates(byProvince(provinceCodes), breakdownsOf)}) a ON a.area = k.code`;
}

interface StatsRow {
  code: string;
  total: number;
  sectors: number;
  bySector: { code: string; count: number }[] | null;
  byKind: { kind: AgencyKind; count: number }[] | null;
  totalRank: number | null;
  totalAverage: number | null;
  totalPercentile: number | null;
  sectorsRank: number | null;
  sectorsAverage: number | null;
  sectorsPercentile: number | null;
}

function statsOf(row: StatsRow | undefined): AgencyStatsValue {
  const comparison = (metric: AgencyMetric, value: number, rank: number | null, average: number | null, percentile: number | null) => ({
    metric,
    value,
    nationalRank: rank,
    nationalAverage: average,
    percentile,
    previousValue: null,
    change: null,
  });
  return {
    total: row?.total ?? 0,
    bySector: (row?.bySector ?? []).map((s) => ({ sector: { code: s.code }, count: s.count })),
    byKind: row?.byKind ?? [],
    nationalRank: row?.totalRank ?? null,
    nationalAverage: row?.totalAverage ?? null,
    percentile: row?.totalPercentile ?? null,
    comparisons: [
      comparison('TOTAL', row?.total ?? 0, row?.totalRank ?? null, row?.totalAverage ?? null, row?.totalPercentile ?? null),
      comparison('SECTORS', row?.sectors ?? 0, row?.sectorsRank ?? null, row?.sectorsAverage ?? null, row?.sectorsPercentile ?? null),
    ],
  };
}

export class AgencyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stats of many provinces in one statement: the metrics of all 77 provinces (zeros included) ranked
   * with window functions (ties share a rank; percentile = share of provinces with a lower value),
   * and the breakdowns by sector and kind of the requested provinces.
   */
  async statsByProvince(provinceCodes: readonly string[]): Promise<Map<string, AgencyStatsValue>> {
    const rows = await this.prisma.$queryRaw<StatsRow[]>`
      SELECT * FROM (
        SELECT code, total, sectors, "bySector", "byKind",
               rank() OVER (ORDER BY total DESC)::int AS "totalRank",
               avg(total) OVER ()::float8 AS "totalAverage",
               (100.0 * (rank() OVER (ORDER BY total) - 1) / count(*) OVER ())::float8 AS "totalPercentile",
               rank() OVER (ORDER BY sectors DESC)::int AS "sectorsRank",
               avg(sectors) OVER ()::float8 AS "sectorsAverage",
               (100.0 * (rank() OVER (ORDER BY sectors) - 1) / count(*) OVER ())::float8 AS "sectorsPercentile"
        FROM (${provinceAggregates(undefined, provinceCodes)}) metrics
      ) ranked
      WHERE code = ANY(${[...provinceCodes]}::text[])`;
    const byCode = new Map(rows.map((row) => [row.code, row]));
    return new Map(provinceCodes.map((code) => [code, statsOf(byCode.get(code))]));
  }

  /**
   * Stats of many regions (NSO or MPC codes) and of the nation (TH) in one statement: totals and
   * breakdowns over their provinces (from the shared province key list); no ranks.
   */
  async statsByArea(areaCodes: readonly string[]): Promise<Map<string, AgencyStatsValue>> {
    const rows = await this.prisma.$queryRaw<StatsRow[]>`
      SELECT area AS code, total, sectors, "bySector", "byKind" FROM (${aggregates(byArea(areaCodes), areaCodes)}) a`;
    const byCode = new Map(rows.map((row) => [row.code, row]));
    return new Map(areaCodes.map((code) => [code, statsOf(byCode.get(code))]));
  }

  /**
   * Provinces ordered by a metric, highest first, ranked among `provinceCodes` (all 77 by default, or
   * a region's), zeros included; ties share a rank and are ordered by code. One statement.
   */
  async ranking(
    metric: AgencyMetric,
    provinceCodes?: readonly string[],
    order?: SortDirection | null,
    first?: number | null,
  ): Promise<ProvinceRankValue[]> {
    const column = METRIC_COLUMN[metric];
    const rows = await this.prisma.$queryRaw<{ code: string; rank: number; value: number }[]>`
      SELECT code, rank() OVER (ORDER BY ${column} DESC)::int AS rank, ${column}::float8 AS value
      FROM (${provinceAggregates(provinceCodes, [])}) metrics
      ${rankingOrder(order, first)}`;
    return rows.map(({ code, rank, value }) => ({ rank, value, province: { code } }));
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
   * One page of agencies for each of many parents (provinces, network chapters; `parent` omitted:
   * the whole list, key ''), with each parent's total under the same filters, in one statement.
   */
  agencyPages(
    keys: readonly string[],
    filter: AgencyFilter,
    orderBy: readonly OrderItem<AgencyOrderField>[] | null | undefined,
    args: ConnectionArgs,
    parent?: 'provinceCode' | 'networkId',
  ): Promise<Map<string, Connection<Agency>>> {
    const keys_ = agencySortKeys(orderBy, filter.search ?? null);
    return keysetPages<Agency>(this.prisma, keys, keysetRequest(args, keys_), {
      select: AGENCY_COLUMNS,
      from: Prisma.sql`"Agency" a`,
      where: agencyWhere(filter),
      keys: keys_,
      parent: parent ? Prisma.raw(`a."${parent}"`) : undefined,
      countInScan: Boolean(filter.search),
      rowsFrom: { table: Prisma.sql`"Agency" a`, id: Prisma.sql`a.id` },
    });
  }

  async people(
    filter: { provinceCode?: string; agencyId?: string; search?: SearchQuery | null },
    orderBy: readonly OrderItem<PersonOrderField>[] | null | undefined,
    args: ConnectionArgs,
  ): Promise<Connection<Person>> {
    const conditions = [Prisma.sql`p."archivedAt" IS NULL`];
    if (filter.provinceCode) conditions.push(Prisma.sql`p."provinceCode" = ${filter.provinceCode}`);
    if (filter.agencyId) conditions.push(Prisma.sql`p."agencyId" = ${filter.agencyId}`);
    if (filter.search) conditions.push(searchCondition(filter.search, PERSON_VECTOR, PERSON_NAMES));
    const keys = sortKeys(
      orderBy,
      {
        RELEVANCE: { expr: filter.search ? relevance(filter.search, PERSON_VECTOR, PERSON_NAMES) : Prisma.sql`0`, type: 'int' },
        NAME_TH: { expr: Prisma.raw('p."fullNameThSort"'), type: 'text' },
        NAME_EN: { expr: Prisma.raw(`COALESCE(lower(p."fullNameEn"), ${LAST})`), type: 'text' },
        CREATED_AT: { expr: Prisma.raw('p."createdAt"'), type: 'timestamp' },
        UPDATED_AT: { expr: Prisma.raw('p."updatedAt"'), type: 'timestamp' },
      },
      filter.search ? [{ field: 'RELEVANCE' }, { field: 'NAME_TH' }] : [{ field: 'NAME_TH' }],
      Prisma.raw('p.id'),
    );
    const pages = await keysetPages<Person>(this.prisma, [''], keysetRequest(args, keys), {
      select: PERSON_COLUMNS,
      from: Prisma.sql`"Person" p`,
      where: Prisma.join(conditions, ' AND '),
      keys,
      countInScan: Boolean(filter.search),
      rowsFrom: { table: Prisma.sql`"Person" p`, id: Prisma.sql`p.id` },
    });
    return pages.get('')!;
  }
}

/** Filters of agency lists; every one optional, all combined. */
export interface AgencyFilter {
  provinceCode?: string;
  sectorCode?: string;
  kind?: AgencyKind;
  districtCode?: string;
  networkId?: string;
  search?: SearchQuery | null;
}

/**
 * Columns of raw queries, from Prisma's own field lists so they follow the schema; the `search`
 * tsvector (Unsupported in Prisma) cannot be read back, and is not needed.
 */
const AGENCY_COLUMNS = Prisma.raw(
  Object.values(Prisma.AgencyScalarFieldEnum)
    .map((c) => `a."${c}"`)
    .join(', '),
);
const PERSON_COLUMNS = Prisma.raw(
  Object.values(Prisma.PersonScalarFieldEnum)
    .map((c) => `p."${c}"`)
    .join(', '),
);
const AGENCY_VECTOR = searchVector('a');
const AGENCY_NAMES = [Prisma.raw('a."nameTh"'), Prisma.raw('a."nameEn"')];
const PERSON_VECTOR = searchVector('p');
const PERSON_NAMES = [Prisma.raw('p."fullNameTh"'), Prisma.raw('p."fullNameEn"')];
/** Sorts after every name (U+10FFFF): rows without an English name come last in ascending order. */
const LAST = 'chr(1114111)';

function agencyWhere(filter: AgencyFilter): Prisma.Sql {
  const conditions = [Prisma.sql`a."archivedAt" IS NULL`];
  if (filter.provinceCode) conditions.push(Prisma.sql`a."provinceCode" = ${filter.provinceCode}`);
  if (filter.sectorCode) conditions.push(Prisma.sql`a."sectorCode" = ${filter.sectorCode}`);
  if (filter.kind) conditions.push(Prisma.sql`a.kind = ${filter.kind}::"AgencyKind"`);
  if (filter.districtCode) conditions.push(Prisma.sql`a."districtCode" = ${filter.districtCode}`);
  if (filter.networkId) conditions.push(Prisma.sql`a."networkId" = ${filter.networkId}`);
  if (filter.search) conditions.push(searchCondition(filter.search, AGENCY_VECTOR, AGENCY_NAMES));
  return Prisma.join(conditions, ' AND ');
}

function agencySortKeys(orderBy: readonly OrderItem<AgencyOrderField>[] | null | undefined, search: SearchQuery | null): SortKey[] {
  return sortKeys(
    orderBy,
    {
      RELEVANCE: { expr: search ? relevance(search, AGENCY_VECTOR, AGENCY_NAMES) : Prisma.sql`0`, type: 'int' },
      NAME_TH: { expr: Prisma.raw('a."nameThSort"'), type: 'text' },
      NAME_EN: { expr: Prisma.raw(`COALESCE(lower(a."nameEn"), ${LAST})`), type: 'text' },
      CREATED_AT: { expr: Prisma.raw('a."createdAt"'), type: 'timestamp' },
      UPDATED_AT: { expr: Prisma.raw('a."updatedAt"'), type: 'timestamp' },
    },
    search ? [{ field: 'RELEVANCE' }, { field: 'NAME_TH' }] : [{ field: 'NAME_TH' }],
    Prisma.raw('a.id'),
  );
}
