/** The agencies subgraph's queries. Every list-of-parents query is one SQL statement. */
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
  type SortKey,
} from '@moral-registry/common';
import type { AgencyKind, AgencyMetric, AgencyOrderField, PersonOrderField } from './generated/graphql.ts';
import type { Agency, Person } from './models.ts';

interface Breakdowns {
  bySector: { sector: { code: string }; count: number }[];
  byKind: { kind: AgencyKind; count: number }[];
}

/**
 * The agency stats, declared as data (common/stats.ts). `metrics`: the AgencyMetric enum, each an
 * aggregate over the source rows of one area; a new metric is one line there and its enum value in
 * schema.graphql. The first is the headline. `source`: live agencies counted per member (a province,
 * or a district: an index(-only) scan of Agency by province or district), sector and kind, then joined
 * to the areas they count in: rows (area, sectorCode, kind, n). `details`: the breakdowns by sector and
 * by kind of the requested areas (`s.area`), in sector code and kind order.
 */
export const AGENCY_STATS = defineStats<AgencyMetric, Breakdowns>()({
  metrics: {
    TOTAL: { value: Prisma.sql`sum(n)`, field: 'total' },
    SECTORS: { value: Prisma.sql`count(DISTINCT "sectorCode")` },
  },
  source(areas) {
    const column = Prisma.raw(areas.level === 'district' ? '"districtCode"' : '"provinceCode"');
    return {
      with: Prisma.sql`
        agency_counts AS (
          SELECT ${column} AS code, "sectorCode", kind, count(*)::int AS n
          FROM "Agency"
          WHERE ${column} = ANY(${[...new Set(areas.members.codes)]}::text[]) AND "archivedAt" IS NULL
          GROUP BY 1, 2, 3
        )`,
      rows: Prisma.sql`
        SELECT m.area, c."sectorCode", c.kind, c.n
        FROM unnest(${[...areas.members.areas]}::text[], ${[...areas.members.codes]}::text[]) AS m(area, code)
        JOIN agency_counts c ON c.code = m.code`,
    };
  },
  details(areas) {
    const list = (alias: string, column: string, item: string) => {
      const [a, c] = [Prisma.raw(alias), Prisma.raw(column)];
      return Prisma.sql`
        LEFT JOIN (
          SELECT area, json_agg(json_build_object(${Prisma.raw(item)}, 'count', n) ORDER BY ${c}) AS list
          FROM (
            SELECT area, ${c}, sum(n)::int AS n FROM stats_source
            WHERE area = ANY(${[...areas.requested]}::text[]) AND ${c} IS NOT NULL GROUP BY 1, 2
          ) x
          GROUP BY area
        ) ${a} ON ${a}.area = s.area`;
    };
    return {
      columns: Prisma.sql`coalesce(by_sector.list, '[]') AS "bySector", coalesce(by_kind.list, '[]') AS "byKind"`,
      joins: Prisma.sql`
        ${list('by_sector', '"sectorCode"', `'sector', json_build_object('code', "sectorCode")`)}
        ${list('by_kind', 'kind', `'kind', kind`)}`,
    };
  },
  empty: { bySector: [], byKind: [] },
});

export class AgencyRepository {
  constructor(private readonly prisma: PrismaClient) {
    this.stats = new AreaStats(prisma, AGENCY_STATS);
  }

  /**
   * Agency stats of provinces (ranked among all 77), districts (ranked among their province's) or
   * regions and the nation (`TH`, totals only) and rankings, each in one statement however many areas
   * (common/stats.ts). A code outside the key list gets zeros and no ranks.
   */
  readonly stats: AreaStats<typeof AGENCY_STATS.metrics, Breakdowns>;

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
        ...recordTimeKeys('p'),
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
const AGENCY_NAMES = searchableNames('a', 'nameTh', 'nameEn');
const PERSON_VECTOR = searchVector('p');
const PERSON_NAMES = searchableNames('p', 'fullNameTh', 'fullNameEn');
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
const SEARCH_ROW_NAMES = searchableNames('s', 'nameThLower', 'nameEnLower', true);

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
      ...recordTimeKeys('a'),
    },
    search ? [{ field: 'RELEVANCE' }, { field: 'NAME_TH' }] : [{ field: 'NAME_TH' }],
    Prisma.raw('a.id'),
  );
}
