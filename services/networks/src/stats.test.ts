/**
 * Network stats of provinces, regions and the nation, and the network ranking: values checked
 * against counts computed here in plain JavaScript from the rows (seed + fixtures), ranks consistent
 * with values (ties included), and one SQL statement per stats field whatever the number of parents.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countedRanking, execute, executeRaw, inMemory, nationalComparison } from '@moral-registry/common/testing';
import { createServer } from './server.ts';

let server: Awaited<ReturnType<typeof createServer>>;

/** Chapters added to the seed (Ayutthaya, TH-14, has its 9): ties on both metrics, and provinces with none. */
const FIXTURES: [province: string, sectors: string[]][] = [
  ['TH-10', ['GOVERNMENT', 'RELIGION', 'EDUCATION']],
  ['TH-50', ['MEDIA', 'BUSINESS', 'COMMUNITY']],
  ['TH-57', ['AGRICULTURE']],
  ['TH-90', ['AGRICULTURE']],
  ['TH-20', ['EDUCATION', 'MEDIA']],
];

interface Expected {
  /** province code → chapters, sectors covered */
  chapters: Map<string, number>;
  sectors: Map<string, Set<string>>;
  /** region code → its province codes, from this service's Province table */
  regions: Map<string, string[]>;
  provinces: string[];
  sectorCount: number;
}
let expected: Expected;

beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
  const prisma = server.db.client;
  await prisma.network.createMany({
    data: FIXTURES.flatMap(([provinceCode, sectors]) =>
      sectors.map((sectorCode) => ({
        provinceCode,
        sectorCode,
        nameTh: `เครือข่ายทดสอบ ${provinceCode} ${sectorCode}`,
        sourceKind: 'SYNTHETIC' as const,
        sourceLabel: 'stats test fixture',
      })),
    ),
  });
  // The expected numbers, from the rows themselves (no SQL aggregates).
  const [networks, provinces, sectorCount] = await Promise.all([
    prisma.network.findMany({ select: { provinceCode: true, sectorCode: true } }),
    prisma.province.findMany({ select: { code: true, regionCode: true, mpcRegionCode: true }, orderBy: { code: 'asc' } }),
    prisma.networkSector.count(),
  ]);
  const chapters = new Map(provinces.map((p) => [p.code, 0]));
  const sectors = new Map(provinces.map((p) => [p.code, new Set<string>()]));
  for (const n of networks) {
    chapters.set(n.provinceCode, chapters.get(n.provinceCode)! + 1);
    sectors.get(n.provinceCode)!.add(n.sectorCode);
  }
  const regions = new Map<string, string[]>();
  for (const p of provinces) {
    for (const r of [p.regionCode, p.mpcRegionCode]) regions.set(r, [...(regions.get(r) ?? []), p.code]);
  }
  expected = { chapters, sectors, regions, provinces: provinces.map((p) => p.code), sectorCount };
});
afterAll(() => server?.close());

const compare = nationalComparison;

async function statements(query: string, variables?: Record<string, unknown>): Promise<number> {
  const mark = server.db.statements.count;
  await execute(server, query, variables);
  return server.db.statements.count - mark;
}

const provinceReps = (codes: string[]) => codes.map((code) => ({ __typename: 'Province', code }));
const STATS = `chapters sectorsCovered sectorCount nationalRank nationalAverage percentile comparisons { metric value nationalRank nationalAverage percentile previousValue change }`;

interface StatsResult {
  chapters: number;
  sectorsCovered: number;
  sectorCount: number;
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  comparisons: {
    metric: string;
    value: number;
    nationalRank: number | null;
    nationalAverage: number | null;
    percentile: number | null;
    previousValue: number | null;
    change: number | null;
  }[];
}

describe('network stats', () => {
  it('gives every province its chapters and sectors covered, ranked among the 77 with ties sharing a rank', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { code networkStats { ${STATS} } } } }`,
      {
        reps: provinceReps(expected.provinces),
      },
    );
    expect(expected.provinces).toHaveLength(77);
    const chapterValues = expected.provinces.map((c) => expected.chapters.get(c)!);
    const sectorValues = expected.provinces.map((c) => expected.sectors.get(c)!.size);
    const byCode = new Map<string, StatsResult>(
      data._entities.map((e: { code: string; networkStats: StatsResult }) => [e.code, e.networkStats]),
    );
    for (const code of expected.provinces) {
      const stats = byCode.get(code)!;
      const chapters = expected.chapters.get(code)!;
      const covered = expected.sectors.get(code)!.size;
      const headline = compare(chapters, chapterValues);
      expect(stats.chapters).toBe(chapters);
      expect(stats.sectorsCovered).toBe(covered);
      expect(stats.sectorCount).toBe(expected.sectorCount);
      expect(stats.nationalRank).toBe(headline.nationalRank);
      expect(stats.nationalAverage).toBeCloseTo(headline.nationalAverage, 10);
      expect(stats.percentile).toBeCloseTo(headline.percentile, 10);
      const [byChapters, bySectors] = stats.comparisons;
      expect(byChapters).toMatchObject({
        metric: 'CHAPTERS',
        value: chapters,
        nationalRank: headline.nationalRank,
        previousValue: null,
        change: null,
      });
      const sectorsComparison = compare(covered, sectorValues);
      expect(bySectors).toMatchObject({ metric: 'SECTORS_COVERED', value: covered, nationalRank: sectorsComparison.nationalRank });
      expect(bySectors!.nationalAverage).toBeCloseTo(sectorsComparison.nationalAverage, 10);
      expect(bySectors!.percentile).toBeCloseTo(sectorsComparison.percentile, 10);
    }
    // The same facts, written out: Ayutthaya first; Bangkok and Chiang Mai tie (3 each); Chon Buri 2;
    // Chiang Rai and Songkhla tie (1 each); Bueng Kan has none and shares the last rank with 70 others.
    expect(byCode.get('TH-14')).toMatchObject({ chapters: 9, sectorsCovered: 9, sectorCount: 9, nationalRank: 1 });
    expect(byCode.get('TH-10')!.nationalRank).toBe(2);
    expect(byCode.get('TH-50')!.nationalRank).toBe(2);
    expect(byCode.get('TH-20')!.nationalRank).toBe(4);
    expect(byCode.get('TH-57')!.nationalRank).toBe(5);
    expect(byCode.get('TH-90')!.nationalRank).toBe(5);
    expect(byCode.get('TH-38')).toMatchObject({ chapters: 0, sectorsCovered: 0, nationalRank: 7, percentile: 0 });
    expect(byCode.get('TH-38')!.nationalAverage).toBeCloseTo(19 / 77, 10);
    expect(byCode.get('TH-14')!.percentile).toBeCloseTo((100 * 76) / 77, 10);
  });

  it('totals regions and the nation over their provinces, without ranks', async () => {
    const data = await execute(
      server,
      `{ nso: regions { code networkStats { ${STATS} } } mpc: regions(grouping: MPC) { code networkStats { ${STATS} } } nation { code networkStats { ${STATS} } } }`,
    );
    const areas: { code: string; networkStats: StatsResult }[] = [...data.nso, ...data.mpc, data.nation];
    expect(areas).toHaveLength(12);
    for (const { code, networkStats } of areas) {
      const provinces = code === 'TH' ? expected.provinces : expected.regions.get(code)!;
      const chapters = provinces.reduce((sum, p) => sum + expected.chapters.get(p)!, 0);
      const covered = new Set(provinces.flatMap((p) => [...expected.sectors.get(p)!])).size;
      expect(networkStats).toEqual({
        chapters,
        sectorsCovered: covered,
        sectorCount: expected.sectorCount,
        nationalRank: null,
        nationalAverage: null,
        percentile: null,
        comparisons: [
          {
            metric: 'CHAPTERS',
            value: chapters,
            nationalRank: null,
            nationalAverage: null,
            percentile: null,
            previousValue: null,
            change: null,
          },
          {
            metric: 'SECTORS_COVERED',
            value: covered,
            nationalRank: null,
            nationalAverage: null,
            percentile: null,
            previousValue: null,
            change: null,
          },
        ],
      });
    }
    const total = [...expected.chapters.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(9 + 10);
    expect(data.nation.networkStats).toMatchObject({ chapters: total, sectorsCovered: 9 });
    // Each grouping partitions the provinces: its regions' chapters add up to the nation's.
    for (const grouping of [data.nso, data.mpc]) {
      expect(grouping.reduce((sum: number, r: { networkStats: StatsResult }) => sum + r.networkStats.chapters, 0)).toBe(total);
    }
    const south = data.nso.find((r: { code: string }) => r.code === 'SOUTH');
    expect(south.networkStats).toMatchObject({ chapters: 1, sectorsCovered: 1 });
  });

  it('ranks provinces by a metric, nationally or within a region, ties ordered by code', async () => {
    const data = await execute(
      server,
      `{ all: networkRanking { rank value province { code nameTh } }
         north: networkRanking(metric: SECTORS_COVERED, region: " north ") { rank value province { code region { code } } }
         mpc: networkRanking(region: "MPC-NORTHEAST") { rank value province { code } } }`,
    );
    // Matched, not equal: the query asks more of each province than the counted ranking has.
    expect(data.all).toMatchObject(countedRanking(expected.provinces, (c) => expected.chapters.get(c)!));
    expect(data.north).toMatchObject(countedRanking(expected.regions.get('NORTH')!, (c) => expected.sectors.get(c)!.size));
    expect(data.mpc).toEqual(countedRanking(expected.regions.get('MPC-NORTHEAST')!, (c) => expected.chapters.get(c)!));
    expect(data.all.slice(0, 3)).toEqual([
      { rank: 1, value: 9, province: { code: 'TH-14', nameTh: 'พระนครศรีอยุธยา' } },
      { rank: 2, value: 3, province: { code: 'TH-10', nameTh: 'กรุงเทพมหานคร' } },
      { rank: 2, value: 3, province: { code: 'TH-50', nameTh: 'เชียงใหม่' } },
    ]);
    // Within the North, Chiang Mai (3 sectors) is first and Chiang Rai (1) second, whatever the national ranks.
    expect(data.north.slice(0, 2)).toEqual([
      { rank: 1, value: 3, province: { code: 'TH-50', region: { code: 'NORTH' } } },
      { rank: 2, value: 1, province: { code: 'TH-57', region: { code: 'NORTH' } } },
    ]);
    expect(data.north.every((r: { province: { region: { code: string } } }) => r.province.region.code === 'NORTH')).toBe(true);
  });

  it('rejects an unknown region in the ranking, listing the known ones', async () => {
    const result = await executeRaw(server, `{ networkRanking(region: "MIDWEST") { rank } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'region' });
    expect(result.errors?.[0]?.message).toContain('MIDWEST');
    expect(result.errors?.[0]?.message).toContain('NORTHEAST');
    expect(result.errors?.[0]?.message).toContain('MPC-SOUTH');
  });

  it('serves the nation with its regions and provinces, and resolves it as an entity', async () => {
    const data = await execute(
      server,
      `{ nation { code nameTh nameEn regions { code } mpc: regions(grouping: MPC) { code } provinces { code } } }`,
    );
    expect(data.nation).toMatchObject({ code: 'TH', nameTh: 'ประเทศไทย', nameEn: 'Thailand' });
    expect(data.nation.regions.map((r: { code: string }) => r.code)).toEqual([
      'BKK',
      'CENTRAL',
      'EAST',
      'WEST',
      'NORTH',
      'NORTHEAST',
      'SOUTH',
    ]);
    expect(data.nation.mpc).toHaveLength(4);
    expect(data.nation.provinces.map((p: { code: string }) => p.code)).toEqual(expected.provinces);
    const entities = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Nation { code nameEn networkStats { chapters } } } }`,
      {
        reps: [
          { __typename: 'Nation', code: 'TH' },
          { __typename: 'Nation', code: 'LA' },
        ],
      },
    );
    expect(entities._entities).toEqual([{ code: 'TH', nameEn: 'Thailand', networkStats: { chapters: 19 } }, null]);
  });
});

describe('network stats cost', () => {
  it('costs one statement per stats field for 77 provinces as for 1', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { code networkStats { ${STATS} } } } }`;
    const base = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { code } } }`;
    const one = await statements(query, { reps: provinceReps(['TH-14']) });
    const all = await statements(query, { reps: provinceReps(expected.provinces) });
    expect(all).toBe(one);
    // The provinces themselves are one statement; the stats one more.
    expect(all - (await statements(base, { reps: provinceReps(expected.provinces) }))).toBe(1);
    expect(all).toBe(2);
  });

  it('costs one statement per stats field for all regions as for one, and one for the nation', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Region { code networkStats { ${STATS} } } } }`;
    const regions = [...expected.regions.keys()].map((code) => ({ __typename: 'Region', code }));
    expect(regions).toHaveLength(11);
    const one = await statements(query, { reps: regions.slice(0, 1) });
    const all = await statements(query, { reps: regions });
    expect(all).toBe(one);
    // The regions themselves are one statement; the stats one more.
    expect(all).toBe(2);
    expect(await statements(`{ nation { networkStats { ${STATS} } } }`)).toBe(1);
  });

  it('ranks in one statement, nationally or within a region', async () => {
    expect(await statements(`{ networkRanking { rank value province { code nameTh } } }`)).toBe(1);
    expect(
      await statements(`{ networkRanking(metric: SECTORS_COVERED, region: "NORTHEAST") { rank value province { code nameTh } } }`),
    ).toBe(1);
  });
});
