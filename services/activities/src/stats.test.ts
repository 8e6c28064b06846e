/**
 * National comparison: Province/Region/Nation.activityStats, Province.activityTrend and
 * Query.activityRanking against numbers computed here, in plain JavaScript, from the fixture list.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fiscalYearOf, NATION_CODE, PROVINCE_CODES, provincesOf, SYNTHETIC } from '@moral-registry/common';
import { execute, executeRaw, inMemory } from '@moral-registry/common/testing';
import { activityId, agencyId, MEETING } from '@moral-registry/common/demo';
import type { ActivityKind, Virtue } from './generated/prisma/client.ts';
import { createServer } from './server.ts';

type Server = Awaited<ReturnType<typeof createServer>>;

const KINDS: ActivityKind[] = [
  'CONSULTATION_MEETING',
  'MORAL_ASSEMBLY',
  'MORAL_MARKET',
  'TRAINING',
  'MONITORING_VISIT',
  'LESSON_EXTRACTION',
  'ACADEMIC_COLLABORATION',
  'CAMPAIGN',
  'OTHER',
];
const VIRTUES: Virtue[] = ['SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE'];
const METRICS = ['COUNT', 'PARTICIPANTS', 'PARTICIPATING_AGENCIES'] as const;
type Metric = (typeof METRICS)[number];

interface Fixture {
  key: string;
  provinceCode: string | null;
  startDate: string;
  kind: ActivityKind;
  participantCount: number;
  /** Keys of participating agencies (`agencyId(key)`), or ids as they are for the seeded meeting. */
  agencies: string[];
  virtues: Virtue[];
  archived?: boolean;
}

const ag = (...keys: string[]) => keys.map((k) => agencyId(`test:stats:${k}`));

/**
 * FY2564 = 2020-10-01 … 2021-09-30, FY2565 = 2021-10-01 … 2022-09-30, FY2566 = 2022-10-01 … 2023-09-30.
 * In FY2565: Ayutthaya (TH-14), Bangkok (TH-10) and Chiang Mai (TH-50) tie on 2 activities; Bangkok and
 * Chiang Mai tie on 50 participants; Chiang Rai (TH-57), Songkhla (TH-90) and Ang Thong (TH-15) tie on 1
 * activity, and the first two on 12 participants and 2 agencies. Agency N1 works in Chiang Mai and Chiang Rai
 * (both NORTH), A1 in Ayutthaya and Ang Thong (both CENTRAL): region agency counts are not sums. Bueng Kan
 * (TH-38) has nothing.
 */
const FIXTURES: Fixture[] = [
  // FY2564
  {
    key: 'ayt-64',
    provinceCode: 'TH-14',
    startDate: '2021-03-10',
    kind: 'MORAL_MARKET',
    participantCount: 40,
    agencies: ag('A1', 'A2', 'A3'),
    virtues: ['HONESTY', 'DISCIPLINE'],
  },
  {
    key: 'bkk-64',
    provinceCode: 'TH-10',
    startDate: '2021-06-01',
    kind: 'TRAINING',
    participantCount: 20,
    agencies: ag('B1'),
    virtues: ['VOLUNTEERISM'],
  },
  {
    key: 'cmi-64',
    provinceCode: 'TH-50',
    startDate: '2020-10-01',
    kind: 'CAMPAIGN',
    participantCount: 15,
    agencies: ag('N1', 'N2'),
    virtues: ['SUFFICIENCY'],
  },
  // FY2565 (with the seeded meeting in Ayutthaya)
  {
    key: 'ayt-65',
    provinceCode: 'TH-14',
    startDate: '2022-09-30',
    kind: 'MORAL_ASSEMBLY',
    participantCount: 30,
    agencies: [...ag('A1', 'A4'), MEETING.participantIds[0]!],
    virtues: ['DISCIPLINE'],
  },
  {
    key: 'bkk-65a',
    provinceCode: 'TH-10',
    startDate: '2021-11-11',
    kind: 'TRAINING',
    participantCount: 25,
    agencies: ag('B1', 'B2'),
    virtues: ['VOLUNTEERISM', 'GRATITUDE'],
  },
  {
    key: 'bkk-65b',
    provinceCode: 'TH-10',
    startDate: '2022-01-20',
    kind: 'CAMPAIGN',
    participantCount: 25,
    agencies: ag('B2', 'B3'),
    virtues: ['VOLUNTEERISM'],
  },
  {
    key: 'cmi-65a',
    provinceCode: 'TH-50',
    startDate: '2022-02-02',
    kind: 'LESSON_EXTRACTION',
    participantCount: 30,
    agencies: ag('N1', 'N3'),
    virtues: ['SUFFICIENCY'],
  },
  {
    key: 'cmi-65b',
    provinceCode: 'TH-50',
    startDate: '2022-03-03',
    kind: 'MONITORING_VISIT',
    participantCount: 20,
    agencies: ag('N1', 'N2', 'N4'),
    virtues: ['SUFFICIENCY', 'HONESTY'],
  },
  {
    key: 'cri-65',
    provinceCode: 'TH-57',
    startDate: '2022-04-04',
    kind: 'MORAL_MARKET',
    participantCount: 12,
    agencies: ag('N1', 'N5'),
    virtues: ['HONESTY'],
  },
  {
    key: 'skl-65',
    provinceCode: 'TH-90',
    startDate: '2022-05-05',
    kind: 'ACADEMIC_COLLABORATION',
    participantCount: 12,
    agencies: ag('S1', 'S2'),
    virtues: [],
  },
  {
    key: 'atg-65',
    provinceCode: 'TH-15',
    startDate: '2022-06-06',
    kind: 'OTHER',
    participantCount: 7,
    agencies: ag('A1', 'C1'),
    virtues: ['GRATITUDE'],
  },
  {
    key: 'atg-65-archived',
    provinceCode: 'TH-15',
    startDate: '2022-06-07',
    kind: 'OTHER',
    participantCount: 1000,
    agencies: ag('C2', 'C3'),
    virtues: ['GRATITUDE'],
    archived: true,
  },
  // A national activity without a province: in no province, so in no region and not in the nation's totals.
  {
    key: 'national-65',
    provinceCode: null,
    startDate: '2022-07-07',
    kind: 'CAMPAIGN',
    participantCount: 500,
    agencies: ag('X1'),
    virtues: ['HONESTY'],
  },
  // FY2566
  {
    key: 'ayt-66',
    provinceCode: 'TH-14',
    startDate: '2022-10-01',
    kind: 'CAMPAIGN',
    participantCount: 7,
    agencies: ag('A5'),
    virtues: ['GRATITUDE'],
  },
  {
    key: 'cmi-66',
    provinceCode: 'TH-50',
    startDate: '2023-01-01',
    kind: 'TRAINING',
    participantCount: 9,
    agencies: ag('N1'),
    virtues: [],
  },
  {
    key: 'skl-66',
    provinceCode: 'TH-90',
    startDate: '2023-09-30',
    kind: 'MORAL_ASSEMBLY',
    participantCount: 100,
    agencies: ag('S1', 'S2', 'S3'),
    virtues: ['SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE'],
  },
];

/** Everything in the database: the fixtures and the seeded Ayutthaya meeting. */
const ALL: Fixture[] = [
  {
    key: 'meeting',
    provinceCode: MEETING.provinceCode,
    startDate: MEETING.startDate,
    kind: MEETING.kind,
    participantCount: MEETING.participantCount,
    agencies: MEETING.participantIds,
    virtues: [...MEETING.virtues],
  },
  ...FIXTURES,
];

// ---- Expected numbers, from the fixture list only -------------------------------------------------

function activitiesOf(codes: readonly string[], fiscalYear: number): Fixture[] {
  return ALL.filter(
    (f) => !f.archived && f.provinceCode !== null && codes.includes(f.provinceCode) && fiscalYearOf(f.startDate) === fiscalYear,
  );
}

function valuesOf(codes: readonly string[], fiscalYear: number): Record<Metric, number> {
  const acts = activitiesOf(codes, fiscalYear);
  return {
    COUNT: acts.length,
    PARTICIPANTS: acts.reduce((sum, f) => sum + f.participantCount, 0),
    PARTICIPATING_AGENCIES: new Set(acts.flatMap((f) => f.agencies)).size,
  };
}

/** Rank (1 + provinces with a strictly greater value), average over 77, % of provinces strictly lower. */
function nationalComparison(code: string, fiscalYear: number, metric: Metric) {
  const all = PROVINCE_CODES.map((c) => valuesOf([c], fiscalYear)[metric]);
  const value = valuesOf([code], fiscalYear)[metric];
  return {
    nationalRank: 1 + all.filter((v) => v > value).length,
    nationalAverage: all.reduce((a, b) => a + b, 0) / PROVINCE_CODES.length,
    percentile: (100 * all.filter((v) => v < value).length) / PROVINCE_CODES.length,
  };
}

function expectedStats(codes: readonly string[], fiscalYear: number, compare: boolean) {
  const now = valuesOf(codes, fiscalYear);
  const before = valuesOf(codes, fiscalYear - 1);
  const acts = activitiesOf(codes, fiscalYear);
  const comparisons = METRICS.map((metric) => ({
    metric,
    value: now[metric],
    previousValue: before[metric],
    change: now[metric] - before[metric],
    ...(compare ? nationalComparison(codes[0]!, fiscalYear, metric) : { nationalRank: null, nationalAverage: null, percentile: null }),
  }));
  return {
    fiscalYear,
    count: now.COUNT,
    participantCount: now.PARTICIPANTS,
    participatingAgencyCount: now.PARTICIPATING_AGENCIES,
    previousCount: before.COUNT,
    change: now.COUNT - before.COUNT,
    nationalRank: comparisons[0]!.nationalRank,
    nationalAverage: comparisons[0]!.nationalAverage,
    percentile: comparisons[0]!.percentile,
    byKind: KINDS.map((kind) => ({ kind, count: acts.filter((f) => f.kind === kind).length })),
    virtuesPromoted: VIRTUES.map((virtue) => ({ virtue, count: acts.filter((f) => f.virtues.includes(virtue)).length })),
    comparisons,
  };
}

// ---- Queries ---------------------------------------------------------------------------------------

const STATS_FIELDS = `fiscalYear count participantCount participatingAgencyCount previousCount change
  nationalRank nationalAverage percentile byKind { kind count } virtuesPromoted { virtue count }
  comparisons { metric value previousValue change nationalRank nationalAverage percentile }`;
const PROVINCE_STATS = `query($reps: [_Any!]!, $fy: Int!) { _entities(representations: $reps) {
  ... on Province { code activityStats(fiscalYear: $fy) { ${STATS_FIELDS} } } } }`;
const GROUP_STATS = `query($reps: [_Any!]!, $fy: Int!) { _entities(representations: $reps) {
  ... on Region { code activityStats(fiscalYear: $fy) { ${STATS_FIELDS} } }
  ... on Nation { code activityStats(fiscalYear: $fy) { ${STATS_FIELDS} } } } }`;
const TREND = `query($reps: [_Any!]!, $from: Int!, $to: Int!) { _entities(representations: $reps) {
  ... on Province { code activityTrend(fromFiscalYear: $from, toFiscalYear: $to) { fiscalYear count participantCount participatingAgencyCount } } } }`;
const RANKING = `query($fy: Int!, $metric: ActivityMetric, $region: String) {
  activityRanking(fiscalYear: $fy, metric: $metric, region: $region) { rank value province { code } } }`;

const province = (code: string) => ({ __typename: 'Province', code });
const region = (code: string) => ({ __typename: 'Region', code });
const nation = () => ({ __typename: 'Nation', code: NATION_CODE });

type Stats = ReturnType<typeof expectedStats>;

/** Floats from SQL (numeric averages cast to float8) may differ from JavaScript's in the last bits. */
function expectStats(actual: Stats, expected: Stats) {
  const round = (s: Stats) => ({
    ...s,
    nationalAverage: s.nationalAverage === null ? null : Number(s.nationalAverage.toFixed(9)),
    percentile: s.percentile === null ? null : Number(s.percentile.toFixed(9)),
    comparisons: s.comparisons.map((c) => ({
      ...c,
      nationalAverage: c.nationalAverage === null ? null : Number(c.nationalAverage.toFixed(9)),
      percentile: c.percentile === null ? null : Number(c.percentile.toFixed(9)),
    })),
  });
  expect(round(actual)).toEqual(round(expected));
}

describe('activity statistics: national comparison, regions, trends, rankings', () => {
  let server: Server;

  beforeAll(async () => {
    server = await createServer({ config: inMemory, seed: true });
    for (const f of FIXTURES) {
      const date = new Date(`${f.startDate}T00:00:00Z`);
      await server.db.client.activity.create({
        data: {
          id: activityId(`test:stats:${f.key}`),
          titleTh: `กิจกรรมทดสอบ ${f.key}`,
          kind: f.kind,
          startDate: date,
          endDate: date,
          fiscalYear: fiscalYearOf(f.startDate),
          provinceCode: f.provinceCode,
          participantCount: f.participantCount,
          virtues: f.virtues,
          archivedAt: f.archived ? new Date() : null,
          ...SYNTHETIC,
          participants: { create: f.agencies.map((id) => ({ agencyId: id })) },
        },
      });
    }
  });
  afterAll(() => server?.close());

  it('has the ties and overlaps the other tests rely on (fixture sanity)', () => {
    expect(valuesOf(['TH-14'], 2565)).toEqual({ COUNT: 2, PARTICIPANTS: 115, PARTICIPATING_AGENCIES: 61 });
    expect(valuesOf(['TH-10'], 2565)).toEqual({ COUNT: 2, PARTICIPANTS: 50, PARTICIPATING_AGENCIES: 3 });
    expect(valuesOf(['TH-50'], 2565)).toEqual({ COUNT: 2, PARTICIPANTS: 50, PARTICIPATING_AGENCIES: 4 });
    expect(valuesOf(['TH-57'], 2565)).toEqual(valuesOf(['TH-90'], 2565));
    expect(valuesOf(['TH-50', 'TH-57'], 2565).PARTICIPATING_AGENCIES).toBe(5); // N1 in both
    expect(provincesOf('NORTH')).toEqual(expect.arrayContaining(['TH-50', 'TH-57']));
    expect(provincesOf('CENTRAL')).toEqual(expect.arrayContaining(['TH-14', 'TH-15']));
    expect(provincesOf('NORTH')).not.toContain('TH-38');
  });

  it('gives each province its values, previous year, change, breakdowns and national comparison', async () => {
    const codes = ['TH-14', 'TH-10', 'TH-50', 'TH-57', 'TH-90', 'TH-15', 'TH-38'];
    for (const fy of [2564, 2565, 2566, 2567]) {
      const data = await execute(server, PROVINCE_STATS, { reps: codes.map(province), fy });
      const byCode = new Map<string, Stats>(data._entities.map((e: { code: string; activityStats: Stats }) => [e.code, e.activityStats]));
      for (const code of codes) expectStats(byCode.get(code)!, expectedStats([code], fy, true));
    }
  });

  it('shows zeros for a province without activities, ranked with the other provinces at zero', async () => {
    const data = await execute(server, PROVINCE_STATS, { reps: [province('TH-38')], fy: 2565 });
    const stats: Stats = data._entities[0].activityStats;
    expect(stats).toMatchObject({ count: 0, participantCount: 0, participatingAgencyCount: 0, previousCount: 0, change: 0, percentile: 0 });
    expect(stats.byKind.every((k) => k.count === 0)).toBe(true);
    expect(stats.virtuesPromoted.every((v) => v.count === 0)).toBe(true);
    // Six provinces have activities in FY2565; the other 71 share rank 7.
    expect(stats.nationalRank).toBe(7);
    expect(stats.comparisons.map((c) => [c.metric, c.value, c.nationalRank])).toEqual([
      ['COUNT', 0, 7],
      ['PARTICIPANTS', 0, 7],
      ['PARTICIPATING_AGENCIES', 0, 7],
    ]);
  });

  it('ranks all 77 provinces consistently with their values, ties sharing a rank', async () => {
    const data = await execute(server, PROVINCE_STATS, { reps: PROVINCE_CODES.map(province), fy: 2565 });
    const rows: { code: string; activityStats: Stats }[] = data._entities;
    expect(rows).toHaveLength(77);
    for (const metric of METRICS) {
      const points = rows.map((r) => r.activityStats.comparisons.find((c) => c.metric === metric)!);
      for (const p of points) {
        expect(p.nationalRank).toBe(1 + points.filter((q) => q.value > p.value).length);
        expect(p.percentile).toBeCloseTo((100 * points.filter((q) => q.value < p.value).length) / 77, 9);
        expect(p.nationalAverage).toBeCloseTo(points.reduce((sum, q) => sum + q.value, 0) / 77, 9);
        for (const q of points) if (q.value === p.value) expect(q.nationalRank).toBe(p.nationalRank);
      }
    }
    const countRank = (code: string) => rows.find((r) => r.code === code)!.activityStats.nationalRank;
    expect(['TH-14', 'TH-10', 'TH-50'].map(countRank)).toEqual([1, 1, 1]);
    expect(['TH-57', 'TH-90', 'TH-15'].map(countRank)).toEqual([4, 4, 4]);
    expect(countRank('TH-38')).toBe(7);
  });

  it('totals regions and the nation over their provinces: sums for count and participants, distinct agencies', async () => {
    const regions = ['CENTRAL', 'NORTH', 'SOUTH', 'BKK', 'NORTHEAST', 'MPC-NORTH', 'MPC-CENTRAL'];
    for (const fy of [2564, 2565, 2566]) {
      const groups = await execute(server, GROUP_STATS, { reps: [...regions.map(region), nation()], fy });
      const provinces = await execute(server, PROVINCE_STATS, { reps: PROVINCE_CODES.map(province), fy });
      const provinceStats = new Map<string, Stats>(
        provinces._entities.map((e: { code: string; activityStats: Stats }) => [e.code, e.activityStats]),
      );
      for (const { code, activityStats } of groups._entities as { code: string; activityStats: Stats }[]) {
        const members = provincesOf(code);
        expect(members.length).toBeGreaterThan(0);
        expectStats(activityStats, expectedStats(members, fy, false));
        // Additive metrics equal the sum of the provinces' values from the same API.
        const sum = (f: (s: Stats) => number) => members.reduce((total, c) => total + f(provinceStats.get(c)!), 0);
        expect(activityStats.count).toBe(sum((s) => s.count));
        expect(activityStats.participantCount).toBe(sum((s) => s.participantCount));
        expect(activityStats.previousCount).toBe(sum((s) => s.previousCount));
        expect(activityStats.byKind.map((k) => k.count)).toEqual(KINDS.map((_, i) => sum((s) => s.byKind[i]!.count)));
        expect(activityStats.participatingAgencyCount).toBeLessThanOrEqual(sum((s) => s.participatingAgencyCount));
      }
    }
    // An agency active in two provinces of a region counts once for the region.
    const fy2565 = await execute(server, GROUP_STATS, { reps: [region('NORTH'), region('CENTRAL'), nation()], fy: 2565 });
    const [north, central, th] = fy2565._entities as { activityStats: Stats }[];
    expect(north!.activityStats).toMatchObject({ count: 3, participantCount: 62, participatingAgencyCount: 5 });
    expect(central!.activityStats).toMatchObject({ count: 3, participantCount: 122, participatingAgencyCount: 62 });
    // The national activity without a province and the archived one are not in the nation's totals.
    expect(th!.activityStats).toMatchObject({ count: 9, participantCount: 85 + 30 + 50 + 50 + 12 + 12 + 7, previousCount: 3 });
    expect(th!.activityStats.nationalRank).toBeNull();
    expect(th!.activityStats.comparisons.every((c) => c.nationalRank === null && c.percentile === null && c.nationalAverage === null)).toBe(
      true,
    );
  });

  it('gives a trend row for every fiscal year of the range, zeros included', async () => {
    const codes = ['TH-14', 'TH-50', 'TH-90', 'TH-38'];
    const data = await execute(server, TREND, { reps: codes.map(province), from: 2562, to: 2567 });
    for (const { code, activityTrend } of data._entities as { code: string; activityTrend: unknown[] }[]) {
      expect(activityTrend).toEqual(
        [2562, 2563, 2564, 2565, 2566, 2567].map((fiscalYear) => {
          const v = valuesOf([code], fiscalYear);
          return { fiscalYear, count: v.COUNT, participantCount: v.PARTICIPANTS, participatingAgencyCount: v.PARTICIPATING_AGENCIES };
        }),
      );
    }
    expect(data._entities[3].activityTrend.every((p: { count: number }) => p.count === 0)).toBe(true);
    const single = await execute(server, TREND, { reps: [province('TH-14')], from: 2565, to: 2565 });
    expect(single._entities[0].activityTrend).toEqual([
      { fiscalYear: 2565, count: 2, participantCount: 115, participatingAgencyCount: 61 },
    ]);
  });

  it('checks a trend’s range: Buddhist Era years, from ≤ to, at most 50 years', async () => {
    const error = async (from: number, to: number) =>
      (await executeRaw(server, TREND, { reps: [province('TH-14')], from, to })).errors?.[0];
    const ce = await error(2020, 2566);
    expect(ce?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromFiscalYear' });
    expect(ce?.message).toContain('2563');
    const ceTo = await error(2563, 2023);
    expect(ceTo?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toFiscalYear' });
    expect(ceTo?.message).toContain('2566');
    expect((await error(2566, 2565))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toFiscalYear' });
    expect((await error(2500, 2550))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toFiscalYear' });
    const fifty = await execute(server, TREND, { reps: [province('TH-38')], from: 2520, to: 2569 });
    expect(fifty._entities[0].activityTrend).toHaveLength(50);
  });

  it('rejects Common Era fiscal years on every stats field and the ranking, naming the BE year', async () => {
    const results = [
      await executeRaw(server, PROVINCE_STATS, { reps: [province('TH-14')], fy: 2022 }),
      await executeRaw(server, GROUP_STATS, { reps: [region('NORTH')], fy: 2022 }),
      await executeRaw(server, GROUP_STATS, { reps: [nation()], fy: 2022 }),
      await executeRaw(server, RANKING, { fy: 2022 }),
    ];
    for (const result of results) {
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
      expect(result.errors?.[0]?.message).toContain('2565');
    }
  });

  it('ranks provinces by each metric, highest first, ties by code; within a region when asked', async () => {
    for (const metric of METRICS) {
      const data = await execute(server, RANKING, { fy: 2565, metric });
      const rows: { rank: number; value: number; province: { code: string } }[] = data.activityRanking;
      const expected = PROVINCE_CODES.map((code) => ({ code, value: valuesOf([code], 2565)[metric] }))
        .map(({ code, value }) => ({ rank: nationalComparison(code, 2565, metric).nationalRank, value, province: { code } }))
        .sort((a, b) => a.rank - b.rank || (a.province.code < b.province.code ? -1 : 1));
      expect(rows).toEqual(expected);
    }
    const byCount = await execute(server, RANKING, { fy: 2565 });
    expect(byCount.activityRanking.slice(0, 6)).toEqual([
      { rank: 1, value: 2, province: { code: 'TH-10' } },
      { rank: 1, value: 2, province: { code: 'TH-14' } },
      { rank: 1, value: 2, province: { code: 'TH-50' } },
      { rank: 4, value: 1, province: { code: 'TH-15' } },
      { rank: 4, value: 1, province: { code: 'TH-57' } },
      { rank: 4, value: 1, province: { code: 'TH-90' } },
    ]);
    const north = await execute(server, RANKING, { fy: 2565, metric: 'PARTICIPANTS', region: 'north' });
    expect(north.activityRanking).toHaveLength(provincesOf('NORTH').length);
    expect(north.activityRanking.slice(0, 3)).toEqual([
      { rank: 1, value: 50, province: { code: 'TH-50' } },
      { rank: 2, value: 12, province: { code: 'TH-57' } },
      {
        rank: 3,
        value: 0,
        province: {
          code: provincesOf('NORTH')
            .filter((c) => c !== 'TH-50' && c !== 'TH-57')
            .sort()[0],
        },
      },
    ]);
    expect(new Set(north.activityRanking.slice(2).map((r: { rank: number }) => r.rank))).toEqual(new Set([3]));
  });

  it('rejects an unknown region, listing the known ones', async () => {
    const result = await executeRaw(server, RANKING, { fy: 2565, region: 'Isan' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'region' });
    expect(result.errors?.[0]?.message).toContain('NORTHEAST');
  });

  it('costs one SQL statement per stats field, the same for 1 province as for 77', async () => {
    const statements = async (query: string, variables: Record<string, unknown>) => {
      const mark = server.db.statements.count;
      await execute(server, query, variables);
      return server.db.statements.count - mark;
    };
    const all = PROVINCE_CODES.map(province);
    const one = [province('TH-14')];
    const both = `query($reps: [_Any!]!, $fy: Int!, $from: Int!, $to: Int!) { _entities(representations: $reps) {
      ... on Province { activityStats(fiscalYear: $fy) { ${STATS_FIELDS} }
                        activityTrend(fromFiscalYear: $from, toFiscalYear: $to) { fiscalYear count } } } }`;
    const counts = {
      stats: [await statements(PROVINCE_STATS, { reps: one, fy: 2565 }), await statements(PROVINCE_STATS, { reps: all, fy: 2565 })],
      trend: [await statements(TREND, { reps: one, from: 2563, to: 2569 }), await statements(TREND, { reps: all, from: 2563, to: 2569 })],
      both: [
        await statements(both, { reps: one, fy: 2565, from: 2563, to: 2569 }),
        await statements(both, { reps: all, fy: 2565, from: 2563, to: 2569 }),
      ],
      groups: [
        await statements(GROUP_STATS, { reps: [nation()], fy: 2565 }),
        await statements(GROUP_STATS, {
          reps: [...['BKK', 'CENTRAL', 'EAST', 'WEST', 'NORTH', 'NORTHEAST', 'SOUTH'].map(region), nation()],
          fy: 2565,
        }),
      ],
      ranking: [await statements(RANKING, { fy: 2565, region: 'SOUTH' }), await statements(RANKING, { fy: 2565 })],
    };
    expect(counts).toEqual({ stats: [1, 1], trend: [1, 1], both: [2, 2], groups: [1, 1], ranking: [1, 1] });
  });
});
