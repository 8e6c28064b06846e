/**
 * District statistics through the gateway: the agencies, activities and awards subgraphs add stats to
 * District (owned by networks), each district ranked among the districts of its province, and the cost
 * of it in SQL statements: one per stats field per subgraph, for one district as for all 16 of Ayutthaya.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DISTRICT_CODES_BY_PROVINCE } from '@moral-registry/common';
import { post } from '@moral-registry/common/testing';
import { startStack, type Stack } from './harness.ts';

const FY = 2565;
const PROVINCE = 'TH-14';
const UTHAI = '1414';

const COMPARED = 'provinceRank provinceAverage provincePercentile nationalRank nationalAverage percentile';
const DISTRICT_STATS = `
  code
  agencyStats { total ${COMPARED} comparisons { metric value ${COMPARED} } }
  activityStats(fiscalYear: $fy) { count participantCount ${COMPARED} comparisons { metric value ${COMPARED} } }
  recognitionStats(fiscalYear: $fy) { total provinceLevel ${COMPARED} comparisons { metric value ${COMPARED} } }`;
// The province's 16 districts, and one district with its province: the networks subgraph reads a
// province and districts in both (two statements), the others only the stats.
const ALL_DISTRICTS = `query ($fy: Int!) { province(code: "${PROVINCE}") { code districts { ${DISTRICT_STATS} } } }`;
const ONE_DISTRICT = `query ($fy: Int!) { district(code: "${UTHAI}") { province { code } ${DISTRICT_STATS} } }`;

interface Compared {
  provinceRank: number | null;
  provinceAverage: number | null;
  provincePercentile: number | null;
  nationalRank: number | null;
  nationalAverage: number | null;
  percentile: number | null;
}
type Comparisons = { comparisons: ({ metric: string; value: number } & Compared)[] };
interface DistrictAnswer {
  code: string;
  agencyStats: { total: number } & Compared & Comparisons;
  activityStats: { count: number; participantCount: number } & Compared & Comparisons;
  recognitionStats: { total: number; provinceLevel: string | null } & Compared & Comparisons;
}

/** Rank among `values` (1 = highest; ties share), mean and percentile (share strictly lower), by counting. */
function withinProvince(value: number, values: number[]): Compared {
  return {
    provinceRank: 1 + values.filter((v) => v > value).length,
    provinceAverage: values.reduce((a, b) => a + b, 0) / values.length,
    provincePercentile: (100 * values.filter((v) => v < value).length) / values.length,
    nationalRank: null,
    nationalAverage: null,
    percentile: null,
  };
}

/** Counts per district code of the province, zeros included. */
function perDistrict(codes: readonly string[], rows: { district: { code: string } | null }[], weight = (_row: never) => 1) {
  const counts = new Map(codes.map((c) => [c, 0]));
  for (const row of rows) if (row.district) counts.set(row.district.code, counts.get(row.district.code)! + weight(row as never));
  return counts;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 240_000);
afterAll(() => stack?.close(), 240_000);

describe('district statistics through the gateway', () => {
  it('ranks each of Ayutthaya’s 16 districts within the province on agencies, activities and recognitions', async () => {
    // What a user can list: the province's agencies, activities and recognitions with their districts.
    const listed = await post(
      stack.gatewayUrl,
      `query ($fy: Int!) { province(code: "${PROVINCE}") {
         agencies(first: 100) { totalCount edges { node { district { code } } } }
         activities(fiscalYear: $fy, first: 100) { totalCount edges { node { participantCount district { code } } } }
         recognitions(fiscalYear: $fy, first: 100) { totalCount edges { node { status district { code } } } }
       } }`,
      { fy: FY },
    );
    const { agencies, activities, recognitions } = listed.province;
    for (const list of [agencies, activities, recognitions]) expect(list.edges).toHaveLength(list.totalCount);
    const codes = DISTRICT_CODES_BY_PROVINCE.get(PROVINCE)!;
    expect(codes).toHaveLength(16);
    const nodes = (list: { edges: { node: never }[] }) => list.edges.map((e) => e.node);
    const agencyCounts = perDistrict(codes, nodes(agencies));
    const activityCounts = perDistrict(codes, nodes(activities));
    const participants = perDistrict(codes, nodes(activities), (a: { participantCount: number }) => a.participantCount);
    const counted = nodes(recognitions).filter((r: { status: string }) => !['REJECTED', 'WITHDRAWN'].includes(r.status));
    const recognitionCounts = perDistrict(codes, counted);
    // The demo data has something to rank in each subgraph (else every district would tie at rank 1).
    for (const counts of [agencyCounts, activityCounts, recognitionCounts]) expect(Math.max(...counts.values())).toBeGreaterThan(0);

    const data = await post<{ province: { districts: DistrictAnswer[] } }>(stack.gatewayUrl, ALL_DISTRICTS, { fy: FY });
    const districts = data.province.districts;
    expect(districts.map((d) => d.code).sort()).toEqual([...codes]);
    const values = (m: Map<string, number>) => [...m.values()];
    for (const d of districts) {
      const agencies = agencyCounts.get(d.code)!;
      expect({ code: d.code, ...d.agencyStats, comparisons: undefined }).toEqual({
        code: d.code,
        total: agencies,
        ...withinProvince(agencies, values(agencyCounts)),
        comparisons: undefined,
      });
      expect(d.agencyStats.comparisons[0]).toEqual({ metric: 'TOTAL', value: agencies, ...withinProvince(agencies, values(agencyCounts)) });
      const count = activityCounts.get(d.code)!;
      expect({ code: d.code, ...d.activityStats, comparisons: undefined }).toEqual({
        code: d.code,
        count,
        participantCount: participants.get(d.code)!,
        ...withinProvince(count, values(activityCounts)),
        comparisons: undefined,
      });
      const people = participants.get(d.code)!;
      expect(d.activityStats.comparisons.find((c) => c.metric === 'PARTICIPANTS')).toEqual({
        metric: 'PARTICIPANTS',
        value: people,
        ...withinProvince(people, values(participants)),
      });
      const total = recognitionCounts.get(d.code)!;
      expect({ code: d.code, ...d.recognitionStats, comparisons: undefined }).toEqual({
        code: d.code,
        total,
        provinceLevel: null,
        ...withinProvince(total, values(recognitionCounts)),
        comparisons: undefined,
      });
    }
  });

  it('answers one district as it answers in the list of all 16', async () => {
    const all = await post<{ province: { districts: DistrictAnswer[] } }>(stack.gatewayUrl, ALL_DISTRICTS, { fy: FY });
    const one = await post<{ district: DistrictAnswer & { province: { code: string } } }>(stack.gatewayUrl, ONE_DISTRICT, { fy: FY });
    const { province, ...stats } = one.district;
    expect(province).toEqual({ code: PROVINCE });
    expect(stats).toEqual(all.province.districts.find((d) => d.code === UTHAI));
  });

  it('costs the same number of SQL statements for 16 districts as for 1, one per stats field per subgraph', async () => {
    // The two queries really differ (one district, the province's list of districts).
    expect(ONE_DISTRICT).not.toBe(ALL_DISTRICTS);
    const cost = async (query: string) => {
      const before = stack.statementsBy();
      const data = await post(stack.gatewayUrl, query, { fy: FY });
      const after = stack.statementsBy();
      return { data, statements: Object.fromEntries(Object.entries(after).map(([s, n]) => [s, n - before[s as keyof typeof before]])) };
    };
    const one = await cost(ONE_DISTRICT);
    expect(one.data.district.code).toBe(UTHAI);
    const all = await cost(ALL_DISTRICTS);
    expect(all.data.province.districts).toHaveLength(16);
    expect(Object.values(one.statements).every((n) => n > 0)).toBe(true);
    expect(all.statements).toEqual(one.statements);
    // networks: the province and its districts (or the district and its province); the others: one per stats field.
    expect(all.statements).toEqual({ networks: 2, agencies: 1, activities: 1, awards: 1 });
  });

  it('ranks the districts of every province each within its own province, in one agencies statement', async () => {
    const query = `{ provinces { code districts { code agencyStats { total provinceRank provinceAverage } } } }`;
    const before = stack.statementsBy();
    const data = await post(stack.gatewayUrl, query);
    const after = stack.statementsBy();
    expect(after.agencies - before.agencies).toBe(1);
    const chachoengsao = data.provinces.find((p: { code: string }) => p.code === 'TH-24');
    const ayutthaya = data.provinces.find((p: { code: string }) => p.code === PROVINCE);
    // Chachoengsao's districts have no agencies: they tie at rank 1 with an average of 0, whatever Ayutthaya's have.
    expect(chachoengsao.districts.length).toBe(DISTRICT_CODES_BY_PROVINCE.get('TH-24')!.length);
    for (const d of chachoengsao.districts) expect(d.agencyStats).toEqual({ total: 0, provinceRank: 1, provinceAverage: 0 });
    const totals = ayutthaya.districts.map((d: { agencyStats: { total: number } }) => d.agencyStats.total);
    const average = totals.reduce((a: number, b: number) => a + b, 0) / totals.length;
    expect(average).toBeGreaterThan(0);
    for (const d of ayutthaya.districts) expect(d.agencyStats.provinceAverage).toBe(average);
  });
});
