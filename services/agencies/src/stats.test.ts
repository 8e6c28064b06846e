/**
 * Agency stats of provinces, regions and the nation, and the agency ranking: values checked against
 * counts computed here in plain JavaScript from the rows (seed + fixtures), ranks consistent with
 * values (ties included), and one SQL statement per stats field whatever the number of parents.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROVINCE_KEYS, REGION_KEYS } from '@moral-registry/common';
import { countedRanking, execute, executeRaw, inMemory, nationalComparison } from '@moral-registry/common/testing';
import { createServer } from './server.ts';

let server: Awaited<ReturnType<typeof createServer>>;

type Kind = 'GOVERNMENT_OFFICE' | 'SCHOOL' | 'UNIVERSITY' | 'MEDIA' | 'COMPANY' | 'COMMUNITY' | 'FARMER_GROUP' | 'OTHER';
/**
 * Agencies added to the seed (Ayutthaya, TH-14, has its 59): Bangkok and Chiang Mai tie on the total
 * (4) but not on sectors; Chiang Rai and Songkhla tie (1); Chon Buri has 2 live and 1 archived; one
 * agency without a sector; one national agency without a province; Bueng Kan (TH-38) has none.
 */
const FIXTURES: { provinceCode: string | null; sectorCode: string | null; kind: Kind; archived?: boolean }[] = [
  { provinceCode: 'TH-10', sectorCode: 'GOVERNMENT', kind: 'GOVERNMENT_OFFICE' },
  { provinceCode: 'TH-10', sectorCode: 'GOVERNMENT', kind: 'GOVERNMENT_OFFICE' },
  { provinceCode: 'TH-10', sectorCode: 'EDUCATION', kind: 'UNIVERSITY' },
  { provinceCode: 'TH-10', sectorCode: null, kind: 'OTHER' },
  { provinceCode: 'TH-50', sectorCode: 'MEDIA', kind: 'MEDIA' },
  { provinceCode: 'TH-50', sectorCode: 'MEDIA', kind: 'MEDIA' },
  { provinceCode: 'TH-50', sectorCode: 'BUSINESS', kind: 'COMPANY' },
  { provinceCode: 'TH-50', sectorCode: 'AGRICULTURE', kind: 'FARMER_GROUP' },
  { provinceCode: 'TH-57', sectorCode: 'COMMUNITY', kind: 'COMMUNITY' },
  { provinceCode: 'TH-90', sectorCode: 'EDUCATION', kind: 'SCHOOL' },
  { provinceCode: 'TH-20', sectorCode: 'EDUCATION', kind: 'SCHOOL' },
  { provinceCode: 'TH-20', sectorCode: 'EDUCATION', kind: 'SCHOOL' },
  { provinceCode: 'TH-20', sectorCode: 'MEDIA', kind: 'MEDIA', archived: true },
  { provinceCode: null, sectorCode: 'GOVERNMENT', kind: 'GOVERNMENT_OFFICE' },
];

interface Live {
  provinceCode: string | null;
  sectorCode: string | null;
  kind: string;
}
let live: Live[];
const PROVINCES = PROVINCE_KEYS.map((p) => p.code);
const provincesOfRegion = (code: string) =>
  PROVINCE_KEYS.filter((p) => p.regionCode === code || p.mpcRegionCode === code).map((p) => p.code);

beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
  const prisma = server.db.client;
  await prisma.agency.createMany({
    data: FIXTURES.map((f, i) => ({
      nameTh: `หน่วยงานทดสอบ ${i + 1}`,
      kind: f.kind,
      provinceCode: f.provinceCode,
      sectorCode: f.sectorCode,
      archivedAt: f.archived ? new Date() : null,
      sourceKind: 'SYNTHETIC' as const,
      sourceLabel: 'stats test fixture',
    })),
  });
  // The expected numbers come from the live rows themselves (no SQL aggregates).
  live = await prisma.agency.findMany({ where: { archivedAt: null }, select: { provinceCode: true, sectorCode: true, kind: true } });
});
afterAll(() => server?.close());

/** Expected stats of a set of provinces, by counting the live rows. */
function expectedOf(provinces: string[]) {
  const rows = live.filter((a) => a.provinceCode !== null && provinces.includes(a.provinceCode));
  const count = (key: (a: Live) => string | null) => {
    const counts = new Map<string, number>();
    for (const a of rows) {
      const k = key(a);
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  };
  const bySector = count((a) => a.sectorCode);
  return {
    total: rows.length,
    sectors: bySector.size,
    bySector: [...bySector].map(([code, n]) => ({ sector: { code }, count: n })).sort((a, b) => a.sector.code.localeCompare(b.sector.code)),
    byKind: [...count((a) => a.kind)].map(([kind, n]) => ({ kind, count: n })),
  };
}

const compare = nationalComparison;

const byKindSorted = (list: { kind: string; count: number }[]) => [...list].sort((a, b) => a.kind.localeCompare(b.kind));

async function statements(query: string, variables?: Record<string, unknown>): Promise<number> {
  const mark = server.db.statements.count;
  await execute(server, query, variables);
  return server.db.statements.count - mark;
}

const STATS = `total bySector { sector { code } count } byKind { kind count } nationalRank nationalAverage percentile
  comparisons { metric value nationalRank nationalAverage percentile previousValue change }`;
const reps = (typename: string, codes: string[]) => codes.map((code) => ({ __typename: typename, code }));

interface StatsResult {
  total: number;
  bySector: { sector: { code: string }; count: number }[];
  byKind: { kind: string; count: number }[];
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  comparisons: Record<string, unknown>[];
}

describe('agency stats', () => {
  it('gives every province its totals and breakdowns, ranked among the 77 with ties sharing a rank', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { code agencyStats { ${STATS} } } } }`,
      {
        reps: reps('Province', PROVINCES),
      },
    );
    expect(PROVINCES).toHaveLength(77);
    const totals = PROVINCES.map((c) => expectedOf([c]).total);
    const sectors = PROVINCES.map((c) => expectedOf([c]).sectors);
    const byCode = new Map<string, StatsResult>(
      data._entities.map((e: { code: string; agencyStats: StatsResult }) => [e.code, e.agencyStats]),
    );
    for (const code of PROVINCES) {
      const stats = byCode.get(code)!;
      const want = expectedOf([code]);
      const headline = compare(want.total, totals);
      const sectorsComparison = compare(want.sectors, sectors);
      expect(stats.total).toBe(want.total);
      expect(stats.bySector).toEqual(want.bySector);
      expect(byKindSorted(stats.byKind)).toEqual(byKindSorted(want.byKind));
      expect(stats.nationalRank).toBe(headline.nationalRank);
      expect(stats.nationalAverage).toBeCloseTo(headline.nationalAverage, 10);
      expect(stats.percentile).toBeCloseTo(headline.percentile, 10);
      const [total, sector] = stats.comparisons;
      expect(total).toMatchObject({
        metric: 'TOTAL',
        value: want.total,
        nationalRank: headline.nationalRank,
        previousValue: null,
        change: null,
      });
      expect(total!.nationalAverage).toBeCloseTo(headline.nationalAverage, 10);
      expect(total!.percentile).toBeCloseTo(headline.percentile, 10);
      expect(sector).toMatchObject({ metric: 'SECTORS', value: want.sectors, nationalRank: sectorsComparison.nationalRank });
      expect(sector!.nationalAverage).toBeCloseTo(sectorsComparison.nationalAverage, 10);
      expect(sector!.percentile).toBeCloseTo(sectorsComparison.percentile, 10);
    }
    // The same facts, written out.
    expect(byCode.get('TH-14')).toMatchObject({ total: 59, nationalRank: 1 });
    expect(byCode.get('TH-14')!.percentile).toBeCloseTo((100 * 76) / 77, 10);
    expect(byCode.get('TH-10')).toMatchObject({ total: 4, nationalRank: 2 });
    expect(byCode.get('TH-50')).toMatchObject({ total: 4, nationalRank: 2 });
    expect(byCode.get('TH-10')!.comparisons[1]).toMatchObject({ value: 2, nationalRank: 3 }); // GOVERNMENT, EDUCATION
    expect(byCode.get('TH-50')!.comparisons[1]).toMatchObject({ value: 3, nationalRank: 2 }); // MEDIA, BUSINESS, AGRICULTURE
    expect(byCode.get('TH-20')).toMatchObject({ total: 2, nationalRank: 4, bySector: [{ sector: { code: 'EDUCATION' }, count: 2 }] });
    expect(byCode.get('TH-57')).toMatchObject({ total: 1, nationalRank: 5 });
    expect(byCode.get('TH-90')).toMatchObject({ total: 1, nationalRank: 5 });
    expect(byCode.get('TH-10')!.bySector).toEqual([
      { sector: { code: 'EDUCATION' }, count: 1 },
      { sector: { code: 'GOVERNMENT' }, count: 2 },
    ]);
    expect(byKindSorted(byCode.get('TH-10')!.byKind)).toEqual([
      { kind: 'GOVERNMENT_OFFICE', count: 2 },
      { kind: 'OTHER', count: 1 },
      { kind: 'UNIVERSITY', count: 1 },
    ]);
    const buengKan = byCode.get('TH-38')!;
    expect(buengKan).toMatchObject({ total: 0, bySector: [], byKind: [], nationalRank: 7, percentile: 0 });
    expect(buengKan.nationalAverage).toBeCloseTo(71 / 77, 10);
    expect(buengKan.comparisons.map((c) => c.value)).toEqual([0, 0]);
  });

  it('totals regions and the nation over their provinces, without ranks', async () => {
    const regionCodes = REGION_KEYS.map((r) => r.code);
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Region { code agencyStats { ${STATS} } } ... on Nation { code agencyStats { ${STATS} } } } }`,
      { reps: [...reps('Region', regionCodes), { __typename: 'Nation', code: 'TH' }] },
    );
    const areas: { code: string; agencyStats: StatsResult }[] = data._entities;
    expect(areas).toHaveLength(12);
    for (const { code, agencyStats } of areas) {
      const provinces = code === 'TH' ? PROVINCES : provincesOfRegion(code);
      const want = expectedOf(provinces);
      // Totals and breakdowns equal the sums over the area's provinces (sectors: those with ≥1 agency).
      expect(agencyStats.total).toBe(want.total);
      expect(agencyStats.bySector).toEqual(want.bySector);
      expect(byKindSorted(agencyStats.byKind)).toEqual(byKindSorted(want.byKind));
      expect(agencyStats).toMatchObject({ nationalRank: null, nationalAverage: null, percentile: null });
      expect(agencyStats.comparisons).toEqual([
        {
          metric: 'TOTAL',
          value: want.total,
          nationalRank: null,
          nationalAverage: null,
          percentile: null,
          previousValue: null,
          change: null,
        },
        {
          metric: 'SECTORS',
          value: want.sectors,
          nationalRank: null,
          nationalAverage: null,
          percentile: null,
          previousValue: null,
          change: null,
        },
      ]);
    }
    // The national agency (no province) and the archived one are not counted: 59 + 12 fixtures.
    const nation = areas.find((a) => a.code === 'TH')!.agencyStats;
    expect(nation.total).toBe(71);
    for (const grouping of ['NSO', 'MPC']) {
      const regions = areas.filter((a) => REGION_KEYS.some((r) => r.code === a.code && r.grouping === grouping));
      expect(regions.reduce((sum, r) => sum + r.agencyStats.total, 0)).toBe(nation.total);
    }
    expect(areas.find((a) => a.code === 'CENTRAL')!.agencyStats.total).toBe(59);
    expect(areas.find((a) => a.code === 'NORTH')!.agencyStats).toMatchObject({ total: 5, comparisons: [{ value: 5 }, { value: 4 }] });
  });

  it('ranks provinces by a metric, nationally or within a region, ties ordered by code', async () => {
    const data = await execute(
      server,
      `{ total: agencyRanking { rank value province { code } }
         sectors: agencyRanking(metric: SECTORS) { rank value province { code } }
         north: agencyRanking(region: "north") { rank value province { code } }
         mpc: agencyRanking(metric: SECTORS, region: "MPC-NORTH") { rank value province { code } } }`,
    );
    expect(data.total).toEqual(countedRanking(PROVINCES, (c) => expectedOf([c]).total));
    expect(data.sectors).toEqual(countedRanking(PROVINCES, (c) => expectedOf([c]).sectors));
    expect(data.north).toEqual(countedRanking(provincesOfRegion('NORTH'), (c) => expectedOf([c]).total));
    expect(data.mpc).toEqual(countedRanking(provincesOfRegion('MPC-NORTH'), (c) => expectedOf([c]).sectors));
    expect(data.total.slice(0, 3)).toEqual([
      { rank: 1, value: 59, province: { code: 'TH-14' } },
      { rank: 2, value: 4, province: { code: 'TH-10' } },
      { rank: 2, value: 4, province: { code: 'TH-50' } },
    ]);
    expect(data.north.slice(0, 2)).toEqual([
      { rank: 1, value: 4, province: { code: 'TH-50' } },
      { rank: 2, value: 1, province: { code: 'TH-57' } },
    ]);
    expect(data.north.at(-1)).toMatchObject({ rank: 3, value: 0 });
  });

  it('rejects an unknown region in the ranking, listing the known ones', async () => {
    const result = await executeRaw(server, `{ agencyRanking(region: "ISAN") { rank } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'region' });
    expect(result.errors?.[0]?.message).toContain('ISAN');
    expect(result.errors?.[0]?.message).toContain('NORTHEAST');
    expect(result.errors?.[0]?.message).toContain('MPC-CENTRAL');
  });

  it('resolves Region and Nation entities; a nation other than TH is null', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Region { code } ... on Nation { code agencyStats { total } } } }`,
      {
        reps: [
          { __typename: 'Region', code: 'SOUTH' },
          { __typename: 'Nation', code: 'TH' },
          { __typename: 'Nation', code: 'LA' },
        ],
      },
    );
    expect(data._entities).toEqual([{ code: 'SOUTH' }, { code: 'TH', agencyStats: { total: 71 } }, null]);
  });
});

describe('agency stats cost', () => {
  const query = (type: string) =>
    `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${type} { code agencyStats { ${STATS} } } } }`;

  it('costs one statement for the stats of 77 provinces, as for 1', async () => {
    const one = await statements(query('Province'), { reps: reps('Province', ['TH-14']) });
    const all = await statements(query('Province'), { reps: reps('Province', PROVINCES) });
    expect(one).toBe(1);
    expect(all).toBe(1);
  });

  it('costs one statement for the stats of all regions and the nation, as for one region', async () => {
    const regions = reps(
      'Region',
      REGION_KEYS.map((r) => r.code),
    );
    const nation = { __typename: 'Nation', code: 'TH' };
    expect(await statements(query('Region'), { reps: regions.slice(0, 1) })).toBe(1);
    expect(await statements(query('Region'), { reps: regions })).toBe(1);
    expect(await statements(query('Nation'), { reps: [nation] })).toBe(1);
    const both = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Region { agencyStats { ${STATS} } } ... on Nation { agencyStats { ${STATS} } } } }`;
    expect(await statements(both, { reps: [...regions, nation] })).toBe(1);
  });

  it('ranks in one statement, nationally or within a region', async () => {
    expect(await statements(`{ agencyRanking { rank value province { code } } }`)).toBe(1);
    expect(await statements(`{ agencyRanking(metric: SECTORS, region: "NORTHEAST") { rank value province { code } } }`)).toBe(1);
  });
});
