/**
 * National comparison through the gateway: stats contributed by three subgraphs on Province, Region
 * and Nation, rankings whose rows are Province entities, and the cost of it all in SQL statements.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post, postRaw } from '@moral-registry/common/testing';
import { COMPARISON, startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 240_000);
afterAll(() => stack?.close(), 240_000);

describe('national comparison through the gateway', () => {
  it('ranks Ayutthaya first on agencies and activities and shares the last rank among the provinces with none', async () => {
    const data = await post(stack.gatewayUrl, COMPARISON, { fy: 2565 });
    expect(data.provinces).toHaveLength(77);
    const ayutthaya = data.provinces.find((p: { code: string }) => p.code === 'TH-14');
    expect(ayutthaya.agencyStats).toEqual({ total: 59, nationalRank: 1, nationalAverage: 59 / 77, percentile: (76 / 77) * 100 });
    expect(ayutthaya.activityStats).toMatchObject({ count: 1, participantCount: 85, previousCount: 0, change: 1, nationalRank: 1 });
    expect(ayutthaya.networkStats).toEqual({ chapters: 9, nationalRank: 1 });
    const bangkok = data.provinces.find((p: { code: string }) => p.code === 'TH-10');
    // 76 provinces tie at zero: they share rank 2.
    expect(bangkok.agencyStats.nationalRank).toBe(2);
    expect(bangkok.activityStats.nationalRank).toBe(2);
    expect(bangkok.agencyStats.percentile).toBe(0);
  });

  it('costs the same number of SQL statements for 77 provinces as for 1, one per stats field per subgraph', async () => {
    const one = COMPARISON.replace('provinces {', 'provinces: province(code: "TH-14") {');
    // The query for one province really asks for one (a replace that found nothing would compare 77 with 77).
    expect(one).not.toBe(COMPARISON);
    const answerForOne = await post(stack.gatewayUrl, one, { fy: 2565 });
    expect(answerForOne.provinces).toMatchObject({ code: 'TH-14', agencyStats: { total: 59 } });
    let before = stack.statementsBy();
    await post(stack.gatewayUrl, one, { fy: 2565 });
    const forOne = Object.fromEntries(Object.entries(stack.statementsBy()).map(([s, n]) => [s, n - before[s as keyof typeof before]]));
    before = stack.statementsBy();
    expect((await post(stack.gatewayUrl, COMPARISON, { fy: 2565 })).provinces).toHaveLength(77);
    const forAll = Object.fromEntries(Object.entries(stack.statementsBy()).map(([s, n]) => [s, n - before[s as keyof typeof before]]));
    expect(Object.values(forOne).every((n) => n > 0)).toBe(true);
    expect(forAll).toEqual(forOne);
    // networks: the provinces and their network stats; the others: one statement per stats field.
    expect(forAll).toEqual({ networks: 2, agencies: 1, activities: 1, awards: 1 });
  });

  it('totals regions and the nation as the sum of their provinces', async () => {
    const data = await post(
      stack.gatewayUrl,
      `{ nation { code nameTh agencyStats { total } activityStats(fiscalYear: 2565) { count participantCount } recognitionStats(fiscalYear: 2565) { total }
           regions { code agencyStats { total } activityStats(fiscalYear: 2565) { count } provinces { agencyStats { total } activityStats(fiscalYear: 2565) { count } } } } }`,
    );
    expect(data.nation).toMatchObject({ code: 'TH', nameTh: 'ประเทศไทย' });
    expect(data.nation.regions).toHaveLength(7);
    let agencies = 0;
    for (const region of data.nation.regions) {
      const sum = region.provinces.reduce((n: number, p: { agencyStats: { total: number } }) => n + p.agencyStats.total, 0);
      const activities = region.provinces.reduce((n: number, p: { activityStats: { count: number } }) => n + p.activityStats.count, 0);
      expect({ region: region.code, agencies: region.agencyStats.total, activities: region.activityStats.count }).toEqual({
        region: region.code,
        agencies: sum,
        activities,
      });
      agencies += sum;
    }
    expect(data.nation.agencyStats.total).toBe(agencies);
    expect(data.nation.agencyStats.total).toBe(59);
    expect(data.nation.activityStats).toEqual({ count: 1, participantCount: 85 });
  });

  it('ranks provinces by one subgraph’s metric and shows other subgraphs’ stats beside each row', async () => {
    const data = await post(
      stack.gatewayUrl,
      `{ activityRanking(fiscalYear: 2565, metric: PARTICIPANTS, region: "CENTRAL") { rank value province { code nameTh agencyStats { total } recognitionStats(fiscalYear: 2565) { total } } } }`,
    );
    const rows = data.activityRanking;
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({ rank: 1, value: 85, province: { code: 'TH-14', nameTh: 'พระนครศรีอยุธยา', agencyStats: { total: 59 } } });
    expect(rows.slice(1).every((r: { rank: number; value: number }) => r.rank === 2 && r.value === 0)).toBe(true);
  });

  it('rejects a CE fiscal year and an unknown region with clear errors', async () => {
    const ce = await postRaw(stack.gatewayUrl, `{ nation { activityStats(fiscalYear: 2022) { count } } }`);
    expect(ce.errors?.[0]?.message).toContain('2565');
    const region = await postRaw(stack.gatewayUrl, `{ agencyRanking(region: "ATLANTIS") { rank } }`);
    expect(region.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
