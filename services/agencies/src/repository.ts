/** The agencies subgraph's queries. Every list-of-parents query is one SQL statement. */
import { Prisma, type PrismaClient } from './generated/prisma/client.ts';
import {
  keysetPages,
  keysetRequest,
  rankingOrder,
  DISTRICT_CODES_BY_PROVINCE,
  PROVINCE_CODES,
  provinceOfDistrict,
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

/**
 * One metric of a stats object; the national fields are filled on provinces, the province fields on
 * districts, neither on regions and the nation.
 */
export interface MetricComparisonValue extends Comparison {
  metric: AgencyMetric;
  value: number;
  previousValue: null;
  change: null;
}

/** How a value compares: with the 77 provinces (a province) or with its province's districts (a district). */
interface Comparison {
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  provinceRank: number | null;
  provinceAverage: number | null;
  provincePercentile: number | null;
}

/** The comparison fields describe the headline metric (TOTAL). */
export interface AgencyStatsValue extends Comparison {
  total: number;
  bySector: { sector: { code: string }; count: number }[];
  byKind: { kind: AgencyKind; count: number }[];
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

/**
 * Counts (area, sectorCode, kind, n) with area = the district, of the live agencies of some districts
 * (an index scan of Agency(districtCode)).
 */
function byDistrict(districtCodes: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT "districtCode" AS area, "sectorCode", kind, count(*)::int AS n
    FROM "Agency"
    WHERE "districtCode" = ANY(${[...districtCodes]}::text[]) AND "archivedAt" IS NULL
    GROUP BY "districtCode", "sectorCode", kind`;
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

/**
 * The comparison columns of each metric among the rows of a partition (all rows, or those of one
 * province): rank (ties share a rank), mean, and the percentage of rows with a lower value.
 */
function comparisonWindows(partition: Prisma.Sql): Prisma.Sql {
  const over = (order: string) => Prisma.sql`OVER (${partition} ORDER BY ${Prisma.raw(order)})`;
  return Prisma.sql`
    rank() ${over('total DESC')}::int AS "totalRank",
    avg(total) OVER (${partition})::float8 AS "totalAverage",
    (100.0 * (rank() ${over('total')} - 1) / count(*) OVER (${partition}))::float8 AS "totalPercentile",
    rank() ${over('sectors DESC')}::int AS "sectorsRank",
    avg(sectors) OVER (${partition})::float8 AS "sectorsAverage",
    (100.0 * (rank() ${over('sectors')} - 1) / count(*) OVER (${partition}))::float8 AS "sectorsPercentile"`;
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

/** The stats of a row; its comparison columns are national (a province) or within the province (a district). */
function statsOf(row: StatsRow | undefined, among: 'nation' | 'province' = 'nation'): AgencyStatsValue {
  const compared = (
    rank: number | null | undefined,
    average: number | null | undefined,
    percentile: number | null | undefined,
  ): Comparison => {
    const national = among === 'nation';
    return {
      nationalRank: national ? (rank ?? null) : null,
      nationalAverage: national ? (average ?? null) : null,
      percentile: national ? (percentile ?? null) : null,
      provinceRank: national ? null : (rank ?? null),
      provinceAverage: national ? null : (average ?? null),
      provincePercentile: national ? null : (percentile ?? null),
    };
  };
  const comparison = (metric: AgencyMetric, value: number, comparison: Comparison): MetricComparisonValue => ({
    metric,
    value,
    ...comparison,
    previousValue: null,
    change: null,
  });
  const total = compared(row?.totalRank, row?.totalAverage, row?.totalPercentile);
  return {
    total: row?.total ?? 0,
    bySector: (row?.bySector ?? []).map((s) => ({ sector: { code: s.code }, count: s.count })),
    byKind: row?.byKind ?? [],
    ...total,
    comparisons: [
      comparison('TOTAL', row?.total ?? 0, total),
      comparison('SECTORS', row?.sectors ?? 0, compared(row?.sectorsRank, row?.sectorsAverage, row?.sectorsPercentile)),
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
        SELECT code, total, sectors, "bySector", "byKind", ${comparisonWindows(Prisma.empty)}
        FROM (${provinceAggregates(undefined, provinceCodes)}) metrics
      ) ranked
      WHERE code = ANY(${[...provinceCodes]}::text[])`;
    const byCode = new Map(rows.map((row) => [row.code, row]));
    return new Map(provinceCodes.map((code) => [code, statsOf(byCode.get(code))]));
  }

  /**
   * Stats of many districts in one statement, whichever provinces they are in: the metrics of every
   * district of those provinces (from the shared district key list, zeros included) ranked within
   * each province by window functions partitioned by province, and the breakdowns of the requested
   * districts. A code outside the key list gets zeros and no ranks.
   */
  async statsByDistrict(districtCodes: readonly string[]): Promise<Map<string, AgencyStatsValue>> {
    const provinces = [...new Set(districtCodes.map(provinceOfDistrict).filter((p) => p !== undefined))];
    const universe = provinces.flatMap((province) => DISTRICT_CODES_BY_PROVINCE.get(province)!.map((code) => ({ code, province })));
    const rows = universe.length
      ? await this.prisma.$queryRaw<StatsRow[]>`
          SELECT * FROM (
            SELECT code, total, sectors, "bySector", "byKind", ${comparisonWindows(Prisma.sql`PARTITION BY province`)}
            FROM (
              SELECT k.code, k.province, COALESCE(a.total, 0) AS total, COALESCE(a.sectors, 0) AS sectors, a."bySector", a."byKind"
              FROM unnest(${universe.map((d) => d.code)}::text[], ${universe.map((d) => d.province)}::text[]) AS k(code, province)
              LEFT JOIN (${aggregates(byDistrict(universe.map((d) => d.code)), districtCodes)}) a ON a.area = k.code
            ) metrics
          ) ranked
          WHERE code = ANY(${[...districtCodes]}::text[])`
      : [];
    const byCode = new Map(rows.map((row) => [row.code, row]));
    return new Map(districtCodes.map((code) => [code, statsOf(byCode.get(code), 'province')]));
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
    if (filter.search && !parent && searchOnly(filter) && (orderBy ?? []).every((o) => o.field === 'RELEVANCE' || o.field === 'NAME_TH')) {
      // A search alone, in relevance or Thai order: rank the matches in the narrow AgencySearch table
      // (live agencies only, names already lowered) and read the page's agencies only.
      const keys_ = agencySearchSortKeys(orderBy, filter.search);
      return keysetPages<Agency>(this.prisma, keys, keysetRequest(args, keys_), {
        select: AGENCY_COLUMNS,
        from: Prisma.sql`"AgencySearch" s`,
        where: searchCondition(filter.search, SEARCH_ROW_VECTOR, SEARCH_ROW_NAMES),
        keys: keys_,
        sortsAllMatches: true,
        rowsFrom: { table: Prisma.sql`"Agency" a`, id: Prisma.sql`a.id`, matchId: Prisma.sql`s.id` },
      });
    }
    const keys_ = agencySortKeys(orderBy, filter.search ?? null);
    return keysetPages<Agency>(this.prisma, keys, keysetRequest(args, keys_), {
      select: AGENCY_COLUMNS,
      from: Prisma.sql`"Agency" a`,
      where: agencyWhere(filter),
      keys: keys_,
      parent: parent ? Prisma.raw(`a."${parent}"`) : undefined,
      sortsAllMatches: Boolean(filter.search),
      rowsFrom: { table: Prisma.sql`"Agency" a`, id: Prisma.sql`a.id` },
    });
  }

  /**
   * Live agencies by exact Thai name and province (null: national), a list for each key, in one
   * statement: every live agency of any of the names, matched to each key's province here.
   */
  async agenciesByName(keys: readonly NameLookup[]): Promise<Agency[][]> {
    const rows = await this.prisma.agency.findMany({
      where: { archivedAt: null, nameTh: { in: [...new Set(keys.map((k) => k.nameTh))] } },
      orderBy: { id: 'asc' },
    });
    return keys.map((k) => rows.filter((r) => r.nameTh === k.nameTh && r.provinceCode === k.provinceCode));
  }

  /** Live people by exact Thai full name and province, as agenciesByName. */
  async peopleByName(keys: readonly NameLookup[]): Promise<Person[][]> {
    const rows = await this.prisma.person.findMany({
      where: { archivedAt: null, fullNameTh: { in: [...new Set(keys.map((k) => k.nameTh))] } },
      orderBy: { id: 'asc' },
    });
    return keys.map((k) => rows.filter((r) => r.fullNameTh === k.nameTh && r.provinceCode === k.provinceCode));
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
      sortsAllMatches: Boolean(filter.search),
      rowsFrom: { table: Prisma.sql`"Person" p`, id: Prisma.sql`p.id` },
    });
    return pages.get('')!;
  }
}

/** A name lookup's key, in stored form (the name normalised, the province an existing code or null). */
export interface NameLookup {
  provinceCode: string | null;
  nameTh: string;
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
const AGENCY_NAMES = { columns: [Prisma.raw('a."nameTh"'), Prisma.raw('a."nameEn"')] };
const PERSON_VECTOR = searchVector('p');
const PERSON_NAMES = { columns: [Prisma.raw('p."fullNameTh"'), Prisma.raw('p."fullNameEn"')] };
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

/** No filter but the search. */
const searchOnly = (filter: AgencyFilter) =>
  !filter.provinceCode && !filter.sectorCode && !filter.kind && !filter.districtCode && !filter.networkId;

const SEARCH_ROW_VECTOR = searchVector('s');
const SEARCH_ROW_NAMES = { columns: [Prisma.raw('s."nameThLower"'), Prisma.raw('s."nameEnLower"')], lowered: true };

/** agencySortKeys on AgencySearch: the same keys (and so the same cursors), read from the narrow row. */
function agencySearchSortKeys(orderBy: readonly OrderItem<AgencyOrderField>[] | null | undefined, search: SearchQuery): SortKey[] {
  return sortKeys(
    orderBy as readonly OrderItem<'RELEVANCE' | 'NAME_TH'>[] | null | undefined,
    {
      RELEVANCE: { expr: relevance(search, SEARCH_ROW_VECTOR, SEARCH_ROW_NAMES), type: 'int' },
      NAME_TH: { expr: Prisma.raw('s."nameThSort"'), type: 'text' },
    },
    [{ field: 'RELEVANCE' }, { field: 'NAME_TH' }],
    Prisma.raw('s.id'),
  );
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
