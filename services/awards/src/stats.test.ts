/**
 * The national comparison of recognitions: province, region and nation stats, trends and rankings.
 * Every expected number is counted here, in plain JavaScript, from the fixture list (and the seeded
 * demo recognitions of Ayutthaya), never taken from the service; region membership comes from the
 * networks subgraph's reference data, not from the key list the service uses.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stableId } from '@moral-registry/common';
import { countedRanking, execute, executeRaw, inMemory, nationalComparison, withMessage } from '@moral-registry/common/testing';
import { loadReferenceData } from '../../networks/src/seed/reference-data.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { createServer } from './server.ts';
import { DEMO_RECOGNITIONS } from './seed/index.ts';

let server: Awaited<ReturnType<typeof createServer>>;

type Fixture = Prisma.RecognitionCreateManyInput;
type Level = NonNullable<Fixture['level']>;
type Status = Fixture['status'];

const LEVELS: Level[] = ['PROMOTING', 'MORAL', 'MODEL', 'OUTSTANDING_MODEL'];
const METRICS = ['TOTAL', 'MODEL_OR_HIGHER', 'NATIONALLY_CONFIRMED'] as const;
type Metric = (typeof METRICS)[number];

let sequence = 0;
/** A virtue honour to an agency of the province; `extra` turns it into an assessment or an award. */
const rec = (provinceCode: string | null, fiscalYear: number, status: Status, extra: Partial<Fixture> = {}): Fixture => ({
  id: stableId('recognition', `stats-test:${++sequence}`),
  programme: 'VIRTUE_HONOUR',
  virtue: 'HONESTY',
  scope: 'PROVINCIAL',
  provinceCode,
  fiscalYear,
  status,
  recipientKind: 'AGENCY',
  recipientId: stableId('agency', `stats-test:${provinceCode}:${sequence % 3}`),
  sourceKind: 'USER_ENTRY',
  sourceLabel: 'test',
  ...extra,
});
const honour = (province: string | null, fy: number, virtue: Fixture['virtue'], status: Status) => rec(province, fy, status, { virtue });
const assessment = (province: string, fy: number, level: Level, status: Status) =>
  rec(province, fy, status, { programme: 'MORAL_UNIT_ASSESSMENT', virtue: null, level });
/** The province's own moral-province assessment (recipient: the Province entity). */
const own = (province: string, fy: number, level: Level, status: Status) =>
  rec(province, fy, status, { programme: 'MORAL_UNIT_ASSESSMENT', virtue: null, level, recipientKind: 'PROVINCE', recipientId: province });

/**
 * FY2564–2566 over several regions. FY2565: Bangkok (TH-10) ties Ayutthaya's seeded 4 (TH-14),
 * Chiang Mai (TH-50) ties Nakhon Ratchasima (TH-30) at 3; Bueng Kan (TH-38) has nothing at all.
 */
const FIXTURES: Fixture[] = [
  // Bangkok
  honour('TH-10', 2564, 'HONESTY', 'NOMINATED'),
  assessment('TH-10', 2564, 'MORAL', 'PROVINCE_CERTIFIED'),
  own('TH-10', 2565, 'MODEL', 'NATIONALLY_CONFIRMED'),
  own('TH-10', 2565, 'OUTSTANDING_MODEL', 'REJECTED'), // higher, but rejected: the province level stays MODEL
  assessment('TH-10', 2565, 'OUTSTANDING_MODEL', 'NATIONALLY_CONFIRMED'),
  honour('TH-10', 2565, 'GRATITUDE', 'PROVINCE_CERTIFIED'),
  honour('TH-10', 2565, 'SUFFICIENCY', 'WITHDRAWN'),
  rec('TH-10', 2565, 'NATIONALLY_CONFIRMED', { programme: 'MORAL_AWARD', virtue: null, scope: 'NATIONAL' }),
  { ...assessment('TH-10', 2565, 'OUTSTANDING_MODEL', 'NATIONALLY_CONFIRMED'), archivedAt: new Date('2024-01-01') },
  own('TH-10', 2566, 'PROMOTING', 'NOMINATED'),
  own('TH-10', 2566, 'MORAL', 'PROVINCE_CERTIFIED'),
  honour('TH-10', 2566, 'VOLUNTEERISM', 'NOMINATED'),
  // Nonthaburi (Bangkok and vicinities)
  honour('TH-12', 2563, 'DISCIPLINE', 'PROVINCE_CERTIFIED'),
  honour('TH-12', 2565, 'GRATITUDE', 'NOMINATED'),
  own('TH-12', 2566, 'PROMOTING', 'WITHDRAWN'),
  // Chiang Mai (North)
  honour('TH-50', 2565, 'DISCIPLINE', 'NOMINATED'),
  honour('TH-50', 2565, 'DISCIPLINE', 'NOMINATED'),
  assessment('TH-50', 2565, 'MODEL', 'PROVINCE_CERTIFIED'),
  assessment('TH-50', 2565, 'PROMOTING', 'REJECTED'),
  honour('TH-50', 2566, 'SUFFICIENCY', 'NOMINATED'),
  honour('TH-50', 2566, 'HONESTY', 'PROVINCE_CERTIFIED'),
  honour('TH-50', 2566, 'GRATITUDE', 'NATIONALLY_CONFIRMED'),
  assessment('TH-50', 2566, 'OUTSTANDING_MODEL', 'NATIONALLY_CONFIRMED'),
  assessment('TH-50', 2566, 'MODEL', 'REJECTED'),
  // Nakhon Ratchasima (Northeast, as Bueng Kan)
  honour('TH-30', 2564, 'HONESTY', 'WITHDRAWN'),
  assessment('TH-30', 2565, 'MORAL', 'NATIONALLY_CONFIRMED'),
  assessment('TH-30', 2565, 'MORAL', 'NATIONALLY_CONFIRMED'),
  honour('TH-30', 2565, 'HONESTY', 'NATIONALLY_CONFIRMED'),
  own('TH-30', 2566, 'OUTSTANDING_MODEL', 'PROVINCE_CERTIFIED'),
  // Songkhla (South)
  honour('TH-90', 2565, 'VOLUNTEERISM', 'PROVINCE_CERTIFIED'),
  own('TH-90', 2566, 'OUTSTANDING_MODEL', 'PROVINCE_CERTIFIED'),
  honour('TH-90', 2566, 'VOLUNTEERISM', 'PROVINCE_CERTIFIED'),
  // A national agency's honour belongs to no province: it is in no province's, region's or the nation's stats.
  honour(null, 2565, 'HONESTY', 'NATIONALLY_CONFIRMED'),
];

const REFERENCE = loadReferenceData();
const PROVINCES = REFERENCE.provinces.map((p) => p.code);
const NSO = [...new Set(REFERENCE.provinces.map((p) => p.regionCode))];
const MPC = [...new Set(REFERENCE.provinces.map((p) => p.mpcRegionCode))];
const membersOf = (region: string) =>
  REFERENCE.provinces.filter((p) => p.regionCode === region || p.mpcRegionCode === region).map((p) => p.code);

// ---- expected values, counted from the fixtures ----

interface Row {
  provinceCode?: string | null;
  fiscalYear: number;
  status: Status;
  programme: Fixture['programme'];
  level?: Level | null;
  virtue?: Fixture['virtue'];
  recipientKind: Fixture['recipientKind'];
  archivedAt?: Fixture['archivedAt'];
}
const ALL: Row[] = [...DEMO_RECOGNITIONS, ...FIXTURES];
const LIVE = ALL.filter((r) => !r.archivedAt);
const isCounted = (r: Row) => r.status !== 'REJECTED' && r.status !== 'WITHDRAWN';
const COUNTS: Record<Metric, (r: Row) => boolean> = {
  TOTAL: isCounted,
  MODEL_OR_HIGHER: (r) => isCounted(r) && (r.level === 'MODEL' || r.level === 'OUTSTANDING_MODEL'),
  NATIONALLY_CONFIRMED: (r) => r.status === 'NATIONALLY_CONFIRMED',
};
const rowsOf = (provinces: string[], fy: number) => LIVE.filter((r) => r.fiscalYear === fy && provinces.includes(r.provinceCode ?? ''));
const valueOf = (metric: Metric, provinces: string[], fy: number) => rowsOf(provinces, fy).filter(COUNTS[metric]).length;

function tally(values: (string | null | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) if (v) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Values and breakdowns of a province, region or the nation (a list of provinces). */
function expectedValues(provinces: string[], fy: number) {
  const rows = rowsOf(provinces, fy);
  const counted = rows.filter(isCounted);
  const ownLevels = counted.filter((r) => r.recipientKind === 'PROVINCE' && r.programme === 'MORAL_UNIT_ASSESSMENT').map((r) => r.level!);
  return {
    total: counted.length,
    previousTotal: valueOf('TOTAL', provinces, fy - 1),
    byLevel: tally(counted.map((r) => r.level)),
    byVirtue: tally(counted.map((r) => r.virtue)),
    byProgramme: tally(counted.map((r) => r.programme)),
    byStatus: tally(rows.map((r) => r.status)),
    ownLevel: ownLevels.length ? ownLevels.reduce((a, b) => (LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b)) : null,
  };
}

/** A province's comparison of one metric with the 77: rank 1 + those higher, percentile the share lower. */
function expectedComparison(metric: Metric, province: string, fy: number) {
  const values = PROVINCES.map((p) => valueOf(metric, [p], fy));
  const value = valueOf(metric, [province], fy);
  const previousValue = valueOf(metric, [province], fy - 1);
  return {
    metric,
    value,
    previousValue,
    change: value - previousValue,
    ...nationalComparison(value, values),
  };
}

// ---- queries ----

const STATS = `recognitionStats(fiscalYear: $fy) {
  fiscalYear total previousTotal change nationalRank nationalAverage percentile provinceLevel
  byLevel { level count } byVirtue { virtue count } byStatus { status count } byProgramme { programme count }
  comparisons { metric value previousValue change nationalRank nationalAverage percentile }
}`;
/** An _entities operation declaring the variables its selection uses (GraphQL refuses unused ones). */
const ENTITIES = (selection: string) => {
  const declared = ['$fy: Int!', '$from: Int!', '$to: Int!'].filter((d) => selection.includes(d.split(':')[0]!));
  return `query($reps: [_Any!]!, ${declared.join(', ')}) { _entities(representations: $reps) { ${selection} } }`;
};
const PROVINCE_STATS = ENTITIES(`... on Province { code ${STATS} }`);
const GROUP_STATS = ENTITIES(`... on Region { code ${STATS} } ... on Nation { code ${STATS} }`);
const TREND = `recognitionTrend(fromFiscalYear: $from, toFiscalYear: $to) { fiscalYear total }`;
const reps = (typename: string, codes: string[]) => codes.map((code) => ({ __typename: typename, code }));
const vars = (representations: object[], fy = 2565, from = 2564, to = 2566) => ({ reps: representations, fy, from, to });

interface Stats {
  fiscalYear: number;
  total: number;
  previousTotal: number;
  change: number;
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
  provinceLevel: string | null;
  byLevel: { level: string; count: number }[];
  byVirtue: { virtue: string; count: number }[];
  byStatus: { status: string; count: number }[];
  byProgramme: { programme: string; count: number }[];
  comparisons: ReturnType<typeof expectedComparison>[];
}
const asRecord = <K extends string>(list: ({ count: number } & Record<K, string>)[], key: K) =>
  Object.fromEntries(list.map((e) => [e[key], e.count]));

async function provinceStats(codes: string[], fy: number): Promise<Map<string, Stats>> {
  const data = await execute(server, PROVINCE_STATS, vars(reps('Province', codes), fy));
  return new Map(data._entities.map((e: { code: string; recognitionStats: Stats }) => [e.code, e.recognitionStats]));
}

/** The numbers of a stats object that do not depend on ranking, checked against the fixtures. */
function expectValues(stats: Stats, provinces: string[], fy: number) {
  const expected = expectedValues(provinces, fy);
  expect(stats.fiscalYear).toBe(fy);
  expect(stats.total).toBe(expected.total);
  expect(stats.previousTotal).toBe(expected.previousTotal);
  expect(stats.change).toBe(expected.total - expected.previousTotal);
  expect(asRecord(stats.byLevel, 'level')).toEqual(expected.byLevel);
  expect(asRecord(stats.byVirtue, 'virtue')).toEqual(expected.byVirtue);
  expect(asRecord(stats.byProgramme, 'programme')).toEqual(expected.byProgramme);
  expect(asRecord(stats.byStatus, 'status')).toEqual(expected.byStatus);
  // Levels in the order of the scale.
  const levels = stats.byLevel.map((l) => l.level as Level);
  expect(levels).toEqual([...levels].sort((a, b) => LEVELS.indexOf(a) - LEVELS.indexOf(b)));
  expect(stats.comparisons.map((c) => c.metric)).toEqual([...METRICS]);
  for (const c of stats.comparisons) {
    expect(c.value).toBe(valueOf(c.metric, provinces, fy));
    expect(c.previousValue).toBe(valueOf(c.metric, provinces, fy - 1));
    expect(c.change).toBe(c.value - c.previousValue);
  }
}

beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
  await server.db.client.recognition.createMany({ data: FIXTURES });
});
afterAll(() => server?.close());

describe('recognition stats of the 77 provinces', () => {
  it.each([2564, 2565, 2566])('counts every province’s FY%i against the fixtures, with the year before and the change', async (fy) => {
    const stats = await provinceStats(PROVINCES, fy);
    expect(stats.size).toBe(77);
    for (const code of PROVINCES) {
      const s = stats.get(code)!;
      expectValues(s, [code], fy);
      expect(s.provinceLevel).toBe(expectedValues([code], fy).ownLevel);
      for (const c of s.comparisons) {
        const expected = expectedComparison(c.metric, code, fy);
        expect(c.nationalRank).toBe(expected.nationalRank);
        expect(c.nationalAverage).toBeCloseTo(expected.nationalAverage, 10);
        expect(c.percentile).toBeCloseTo(expected.percentile, 10);
      }
      // The headline metric is TOTAL.
      const total = s.comparisons.find((c) => c.metric === 'TOTAL')!;
      expect([s.total, s.previousTotal, s.change]).toEqual([total.value, total.previousValue, total.change]);
      expect([s.nationalRank, s.nationalAverage, s.percentile]).toEqual([total.nationalRank, total.nationalAverage, total.percentile]);
    }
  });

  it('ranks consistently with the values: higher value, better rank; ties share a rank and the next rank skips', async () => {
    const stats = [...(await provinceStats(PROVINCES, 2565))].map(([code, s]) => ({ code, ...s }));
    for (const a of stats) {
      for (const b of stats) {
        if (a.total > b.total) expect(a.nationalRank!).toBeLessThan(b.nationalRank!);
        if (a.total === b.total) expect(a.nationalRank).toBe(b.nationalRank);
      }
      expect(a.nationalRank).toBe(1 + stats.filter((b) => b.total > a.total).length);
    }
    const byCode = new Map(stats.map((s) => [s.code, s]));
    // The fixtures' ties: Bangkok and Ayutthaya share first place, Chiang Mai and Nakhon Ratchasima third.
    expect([byCode.get('TH-10')!.total, byCode.get('TH-14')!.total]).toEqual([4, 4]);
    expect([byCode.get('TH-10')!.nationalRank, byCode.get('TH-14')!.nationalRank]).toEqual([1, 1]);
    expect([byCode.get('TH-50')!.nationalRank, byCode.get('TH-30')!.nationalRank]).toEqual([3, 3]);
    expect(byCode.get('TH-90')!.nationalRank).toBe(5);
    expect(byCode.get('TH-38')!.nationalRank).toBe(7);
    expect(byCode.get('TH-10')!.nationalAverage).toBeCloseTo(stats.reduce((sum, s) => sum + s.total, 0) / 77, 10);
    expect(byCode.get('TH-50')!.percentile).toBeCloseTo((100 * 73) / 77, 10);
  });

  it('shows zeros for a province without any recognition, still ranked among the 77', async () => {
    const buengKan = (await provinceStats(['TH-38'], 2565)).get('TH-38')!;
    const zeros = { total: 0, previousTotal: 0, change: 0, provinceLevel: null, byLevel: [], byVirtue: [], byStatus: [], byProgramme: [] };
    expect(buengKan).toMatchObject(zeros);
    expect(buengKan.percentile).toBe(0);
    expect(buengKan.comparisons.map((c) => [c.metric, c.value, c.previousValue, c.change])).toEqual(METRICS.map((m) => [m, 0, 0, 0]));
    expect(buengKan.nationalRank).toBe(expectedComparison('TOTAL', 'TH-38', 2565).nationalRank);
  });

  it('gives the province’s own assessment level: the highest not rejected or withdrawn, only its own', async () => {
    const levels = async (fy: number) =>
      Object.fromEntries(
        [...(await provinceStats(['TH-10', 'TH-12', 'TH-14', 'TH-30', 'TH-90'], fy))].map(([c, s]) => [c, s.provinceLevel]),
      );
    // FY2565: Bangkok's OUTSTANDING_MODEL self-assessment was rejected; its agency's OUTSTANDING_MODEL is not the province's.
    expect(await levels(2565)).toEqual({ 'TH-10': 'MODEL', 'TH-12': null, 'TH-14': null, 'TH-30': null, 'TH-90': null });
    // FY2566: Nonthaburi's was withdrawn.
    expect(await levels(2566)).toEqual({
      'TH-10': 'MORAL',
      'TH-12': null,
      'TH-14': null,
      'TH-30': 'OUTSTANDING_MODEL',
      'TH-90': 'OUTSTANDING_MODEL',
    });
  });

  it('returns the same stats for a province asked alone as among the 77', async () => {
    const all = await provinceStats(PROVINCES, 2566);
    for (const code of ['TH-10', 'TH-38', 'TH-50']) expect((await provinceStats([code], 2566)).get(code)).toEqual(all.get(code));
  });
});

describe('recognition stats of regions and the nation', () => {
  it.each([2565, 2566])('totals every region (NSO and MPC) and the nation over their provinces, FY%i', async (fy) => {
    const data = await execute(server, GROUP_STATS, vars([...reps('Region', [...NSO, ...MPC]), ...reps('Nation', ['TH'])], fy));
    const provinces = await provinceStats(PROVINCES, fy);
    const groups: [string, string[]][] = [...NSO, ...MPC].map((r) => [r, membersOf(r)]);
    groups.push(['TH', PROVINCES]);
    expect(data._entities.map((e: { code: string }) => e.code)).toEqual(groups.map(([code]) => code));
    for (const [i, [code, members]] of groups.entries()) {
      const stats: Stats = data._entities[i].recognitionStats;
      withMessage(code, () => expect(members.length).toBeGreaterThan(0));
      expectValues(stats, members, fy);
      // The sum of what the service says about the member provinces, metric by metric.
      for (const c of stats.comparisons) {
        const sum = (f: (p: Stats) => number) => members.reduce((acc, p) => acc + f(provinces.get(p)!), 0);
        const of = (p: Stats) => p.comparisons.find((x) => x.metric === c.metric)!;
        withMessage(`${code} ${c.metric}`, () =>
          expect([c.value, c.previousValue]).toEqual([sum((p) => of(p).value), sum((p) => of(p).previousValue)]),
        );
        expect([c.nationalRank, c.nationalAverage, c.percentile]).toEqual([null, null, null]);
      }
      expect([stats.nationalRank, stats.nationalAverage, stats.percentile, stats.provinceLevel]).toEqual([null, null, null, null]);
    }
    // Every province is in exactly one NSO region: the NSO regions add up to the nation.
    const nation: Stats = data._entities.at(-1).recognitionStats;
    const nso: Stats[] = data._entities.slice(0, NSO.length).map((e: { recognitionStats: Stats }) => e.recognitionStats);
    expect(nso.reduce((sum, s) => sum + s.total, 0)).toBe(nation.total);
  });

  it('leaves recognitions without a province (national agencies) out of the nation, which is the sum of its provinces', async () => {
    const data = await execute(server, GROUP_STATS, vars(reps('Nation', ['TH']), 2565));
    const all = LIVE.filter((r) => r.fiscalYear === 2565 && isCounted(r)).length;
    expect(data._entities[0].recognitionStats.total).toBe(all - 1);
  });

  it('refuses region and nation codes it does not know', async () => {
    const result = await executeRaw(server, GROUP_STATS, vars([...reps('Region', ['ATLANTIS']), ...reps('Nation', ['LA'])]));
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(result.errors?.map((e) => e.message).sort()).toEqual(['Nation LA does not exist', 'Region ATLANTIS does not exist']);
  });
});

describe('recognition trends', () => {
  it('gives one row per fiscal year, zeros included, for every requested province', async () => {
    const codes = ['TH-10', 'TH-12', 'TH-38'];
    const data = await execute(server, ENTITIES(`... on Province { code ${TREND} }`), vars(reps('Province', codes), 2565, 2562, 2567));
    for (const [i, code] of codes.entries()) {
      expect(data._entities[i].recognitionTrend).toEqual(
        [2562, 2563, 2564, 2565, 2566, 2567].map((fiscalYear) => ({ fiscalYear, total: valueOf('TOTAL', [code], fiscalYear) })),
      );
    }
    expect(data._entities[2].recognitionTrend.every((p: { total: number }) => p.total === 0)).toBe(true);
    expect(data._entities[0].recognitionTrend.map((p: { total: number }) => p.total)).toEqual([0, 0, 2, 4, 3, 0]);
    const single = await execute(server, ENTITIES(`... on Province { ${TREND} }`), vars(reps('Province', ['TH-14']), 2565, 2565, 2565));
    expect(single._entities[0].recognitionTrend).toEqual([{ fiscalYear: 2565, total: 4 }]);
  });

  it('rejects Common Era years, a reversed range and more than 50 years', async () => {
    const trend = (from: number, to: number) =>
      executeRaw(server, ENTITIES(`... on Province { ${TREND} }`), vars(reps('Province', ['TH-14']), 2565, from, to));
    const ce = await trend(2020, 2566);
    expect(ce.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromFiscalYear' });
    expect(ce.errors?.[0]?.message).toContain('2563');
    expect((await trend(2560, 2023)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toFiscalYear' });
    expect((await trend(2566, 2565)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toFiscalYear' });
    expect((await trend(2500, 2550)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toFiscalYear' });
    expect((await trend(2500, 2549)).errors).toBeUndefined();
  });
});

describe('recognition ranking', () => {
  const RANKING = `query($fy: Int!, $metric: RecognitionMetric, $region: String) {
    recognitionRanking(fiscalYear: $fy, metric: $metric, region: $region) { rank value province { code } }
  }`;
  type RankRow = { rank: number; value: number; province: { code: string } };

  /** Ranks, values and order computed from the fixtures: value descending, then code. */
  const expectedRanking = (metric: Metric, provinces: string[], fy: number) =>
    countedRanking(provinces, (code) => valueOf(metric, [code], fy));

  it.each(METRICS)('orders the 77 provinces by %s, ties sharing a rank, then by code', async (metric) => {
    for (const fy of [2565, 2566]) {
      const rows: RankRow[] = (await execute(server, RANKING, { fy, metric })).recognitionRanking;
      expect(rows).toHaveLength(77);
      expect(rows).toEqual(expectedRanking(metric, PROVINCES, fy));
    }
  });

  it('ranks by TOTAL by default, agreeing with the stats’ national rank', async () => {
    const rows: RankRow[] = (await execute(server, RANKING, { fy: 2565 })).recognitionRanking;
    const stats = await provinceStats(PROVINCES, 2565);
    for (const row of rows)
      expect([row.rank, row.value]).toEqual([stats.get(row.province.code)!.nationalRank, stats.get(row.province.code)!.total]);
    expect(rows.slice(0, 4).map((r) => [r.rank, r.province.code])).toEqual([
      [1, 'TH-10'],
      [1, 'TH-14'],
      [3, 'TH-30'],
      [3, 'TH-50'],
    ]);
  });

  it('ranks within a region (NSO or MPC code, any case)', async () => {
    for (const region of ['NORTHEAST', 'mpc-central', 'BKK']) {
      const rows: RankRow[] = (await execute(server, RANKING, { fy: 2565, metric: 'NATIONALLY_CONFIRMED', region })).recognitionRanking;
      expect(rows).toEqual(expectedRanking('NATIONALLY_CONFIRMED', membersOf(region.toUpperCase()), 2565));
    }
  });

  it('refuses an unknown region and a Common Era year', async () => {
    const region = await executeRaw(server, RANKING, { fy: 2565, region: 'ATLANTIS' });
    expect(region.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'region' });
    expect(region.errors?.[0]?.message).toContain('NORTHEAST');
    const ce = await executeRaw(server, RANKING, { fy: 2022 });
    expect(ce.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
    expect(ce.errors?.[0]?.message).toContain('2565');
  });
});

describe('input and cost guards', () => {
  it('rejects a Common Era fiscal year on province, region and nation stats, naming the Buddhist Era year', async () => {
    for (const representations of [reps('Province', ['TH-14']), reps('Region', ['NORTH']), reps('Nation', ['TH'])]) {
      const result = await executeRaw(
        server,
        representations[0]!.__typename === 'Province' ? PROVINCE_STATS : GROUP_STATS,
        vars(representations, 2021),
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
      expect(result.errors?.[0]?.message).toContain('2564');
    }
  });

  it('refuses a province code outside the 77', async () => {
    const result = await executeRaw(server, PROVINCE_STATS, vars(reps('Province', ['TH-99'])));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers stats and trends for 77 provinces with as many SQL statements as for one: one per field', async () => {
    const cost = async (selection: string, entities: object[]) => {
      const before = server.db.statements.count;
      const data = await execute(server, ENTITIES(selection), vars(entities, 2566, 2560, 2569));
      expect(data._entities).toHaveLength(entities.length);
      return server.db.statements.count - before;
    };
    const one = reps('Province', ['TH-14']);
    const all = reps('Province', PROVINCES);
    const stats = `... on Province { ${STATS} }`;
    const trend = `... on Province { ${TREND} }`;
    expect(await cost(stats, one)).toBe(1);
    expect(await cost(stats, all)).toBe(1);
    expect(await cost(trend, one)).toBe(1);
    expect(await cost(trend, all)).toBe(1);
    expect(await cost(`... on Province { ${STATS} ${TREND} }`, one)).toBe(2);
    expect(await cost(`... on Province { ${STATS} ${TREND} }`, all)).toBe(2);
    // Regions and the nation together: one statement per fiscal year.
    const groups = [...reps('Region', [...NSO, ...MPC]), ...reps('Nation', ['TH'])];
    expect(await cost(`... on Region { ${STATS} } ... on Nation { ${STATS} }`, groups)).toBe(1);
  });

  it('ranks with one statement', async () => {
    const before = server.db.statements.count;
    await execute(server, `{ recognitionRanking(fiscalYear: 2565, region: "NORTH") { rank } }`);
    expect(server.db.statements.count - before).toBe(1);
  });
});
