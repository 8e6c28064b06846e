/**
 * The stats helper, once, on a real database (in-memory PGlite): two metrics declared as data over a
 * table of counts per area (province or district), fiscal year and kind, and what a national centre
 * would read from the statements it writes: ranks with ties, the national (or provincial) average,
 * percentiles, the previous year and the change, zeros for areas without data, totals of regions and
 * the nation without ranks, a ranking and a trend.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sqltag as sql } from '@prisma/client/runtime/client';
import type { RawQuerier } from './paging-sql.ts';
import {
  AreaStats,
  defineStats,
  fiscalStatsValue,
  queryRanking,
  queryStats,
  queryTrend,
  statsAreas,
  statsValue,
  type Metrics,
  type StatsAreas,
  type StatsSource,
} from './stats.ts';

let pg: PGlite;
let db: RawQuerier & { statements: number };

/** Two metrics, as a subgraph declares them: the headline first, with its own fields. */
const METRICS = {
  COUNT: { value: sql`sum(n)`, field: 'count', previousField: 'previousCount' },
  KINDS: { value: sql`count(DISTINCT kind)`, field: 'kinds' },
} as const satisfies Metrics<'COUNT' | 'KINDS'>;

/** Rows of an area's members (a province or district is its own; a region has its provinces). */
function source(areas: StatsAreas, years: [number, number] = [2564, 2565]): StatsSource {
  return {
    rows: sql`
      SELECT m.area, t.fy, t.kind, t.n
      FROM unnest(${[...areas.members.areas]}::text[], ${[...areas.members.codes]}::text[]) AS m(area, code)
      JOIN counts t ON t.code = m.code
      WHERE t.fy BETWEEN ${years[0]}::int AND ${years[1]}::int`,
  };
}

async function stats(level: 'province' | 'district' | 'group', codes: string[], fiscalYear = 2565) {
  const areas = statsAreas(level, codes);
  const rows = await queryStats(db, METRICS, { areas, source: source(areas), fiscalYear });
  return new Map(codes.map((code) => [code, fiscalStatsValue(METRICS, level, fiscalYear, rows.get(code))]));
}

beforeAll(async () => {
  pg = new PGlite();
  await pg.exec(`
    CREATE TABLE counts (code text NOT NULL, fy int NOT NULL, kind text NOT NULL, n int NOT NULL);
    INSERT INTO counts VALUES
      ('TH-10', 2565, 'meeting', 3), ('TH-10', 2565, 'market', 2), ('TH-10', 2564, 'meeting', 2),
      ('TH-14', 2565, 'meeting', 5), ('TH-14', 2566, 'meeting', 9),
      ('TH-38', 2565, 'training', 3), ('TH-38', 2564, 'training', 7),
      ('1401', 2565, 'meeting', 2), ('1414', 2565, 'meeting', 1), ('1414', 2565, 'market', 1), ('1414', 2564, 'meeting', 4);
  `);
  db = {
    statements: 0,
    async $queryRaw<T>(query: { text: string; values: unknown[] }) {
      db.statements++;
      return (await pg.query(query.text, query.values)).rows as T;
    },
  } as RawQuerier & { statements: number };
});

afterAll(() => pg.close());

describe('province stats', () => {
  it('ranks every metric among the 77 provinces, ties sharing a rank, with the average, percentile, previous year and change', async () => {
    const byCode = await stats('province', ['TH-10', 'TH-14', 'TH-38', 'TH-50']);
    const bangkok = byCode.get('TH-10')!;
    // Bangkok and Ayutthaya both held 5 activities: both first; Bueng Kan (3) third; the 74 others 0, 4th.
    expect(bangkok).toMatchObject({
      fiscalYear: 2565,
      count: 5,
      previousCount: 2,
      change: 3,
      kinds: 2,
      nationalRank: 1,
      nationalAverage: 13 / 77,
      percentile: (100 * 75) / 77,
      provinceRank: null,
    });
    expect(byCode.get('TH-14')).toMatchObject({ count: 5, previousCount: 0, change: 5, nationalRank: 1, kinds: 1 });
    expect(byCode.get('TH-38')).toMatchObject({ count: 3, previousCount: 7, change: -4, nationalRank: 3, percentile: (100 * 74) / 77 });
    expect(byCode.get('TH-50')).toMatchObject({ count: 0, previousCount: 0, change: 0, nationalRank: 4, percentile: 0 });
    expect(bangkok.comparisons).toEqual([
      {
        metric: 'COUNT',
        value: 5,
        previousValue: 2,
        change: 3,
        nationalRank: 1,
        nationalAverage: 13 / 77,
        percentile: (100 * 75) / 77,
        provinceRank: null,
        provinceAverage: null,
        provincePercentile: null,
      },
      {
        metric: 'KINDS',
        value: 2,
        previousValue: 1,
        change: 1,
        nationalRank: 1,
        nationalAverage: 4 / 77,
        percentile: (100 * 76) / 77,
        provinceRank: null,
        provinceAverage: null,
        provincePercentile: null,
      },
    ]);
  });

  it('answers 1 province or 77 with one statement, and a code outside the key list with zeros and no rank', async () => {
    const before = db.statements;
    await stats('province', ['TH-14']);
    const all = await stats('province', statsAreas('province', []).compared as string[]);
    expect(db.statements - before).toBe(2);
    expect(all.size).toBe(77);
    const unknown = (await stats('province', ['TH-99'])).get('TH-99')!;
    expect(unknown).toMatchObject({ count: 0, change: 0, nationalRank: null, nationalAverage: null });
    expect(unknown.comparisons.map((c) => c.metric)).toEqual(['COUNT', 'KINDS']);
  });

  it('shows no previous year or change without fiscal years', async () => {
    const areas = statsAreas('province', ['TH-14']);
    const rows = await queryStats(db, METRICS, { areas, source: { rows: sql`SELECT area, kind, n FROM (${source(areas).rows}) r` } });
    const value = statsValue(METRICS, 'province', rows.get('TH-14'));
    // Both years counted: Bueng Kan (3 + 7) and Bangkok (5 + 2) ahead of Ayutthaya (5), third.
    expect(value).toMatchObject({ count: 5, nationalRank: 3 });
    expect(value.comparisons[0]).toMatchObject({ previousValue: null, change: null });
    expect('change' in value).toBe(false);
  });
});

describe('district stats', () => {
  it("ranks a district among its province's districts, zeros included, in the province fields", async () => {
    const byCode = await stats('district', ['1401', '1414', '1402']);
    // Ayutthaya has 16 districts: Phra Nakhon Si Ayutthaya (1401) and Uthai (1414) held 2 each, the 14 others none.
    expect(byCode.get('1414')).toMatchObject({
      count: 2,
      previousCount: 4,
      change: -2,
      provinceRank: 1,
      provinceAverage: 4 / 16,
      provincePercentile: (100 * 14) / 16,
      nationalRank: null,
      nationalAverage: null,
      percentile: null,
    });
    expect(byCode.get('1401')).toMatchObject({ count: 2, provinceRank: 1 });
    expect(byCode.get('1402')).toMatchObject({ count: 0, provinceRank: 3, provincePercentile: 0 });
    expect(byCode.get('1414')!.comparisons[1]).toMatchObject({ metric: 'KINDS', value: 2, provinceRank: 1 });
  });
});

describe('region and nation stats', () => {
  it('totals a group over its provinces without comparing it', async () => {
    const byCode = await stats('group', ['TH', 'NORTHEAST', 'BKK']);
    expect(byCode.get('TH')).toMatchObject({ count: 13, previousCount: 9, change: 4, kinds: 3, nationalRank: null, provinceRank: null });
    expect(byCode.get('NORTHEAST')).toMatchObject({ count: 3, previousCount: 7, kinds: 1 });
    expect(byCode.get('BKK')).toMatchObject({ count: 5, kinds: 2 });
    expect(byCode.get('TH')!.comparisons.every((c) => c.nationalRank === null && c.percentile === null)).toBe(true);
  });
});

describe('ranking and trend', () => {
  it('orders provinces by one metric, highest first, ties by code, zeros included', async () => {
    const areas = statsAreas('province', []);
    const rows = await queryRanking(db, METRICS, 'COUNT', { areas, source: source(areas), fiscalYear: 2565, first: 4 });
    expect(rows).toEqual([
      { rank: 1, value: 5, province: { code: 'TH-10' } },
      { rank: 1, value: 5, province: { code: 'TH-14' } },
      { rank: 3, value: 3, province: { code: 'TH-38' } },
      { rank: 4, value: 0, province: { code: 'TH-11' } },
    ]);
    const lowest = await queryRanking(db, METRICS, 'COUNT', { areas, source: source(areas), fiscalYear: 2564, order: 'ASC', first: 77 });
    expect(lowest.at(-1)).toEqual({ rank: 1, value: 7, province: { code: 'TH-38' } });
  });

  it("gives every year of a range with each metric's field, zeros included", async () => {
    const areas = statsAreas('province', ['TH-14', 'TH-38']);
    const trend = await queryTrend(db, METRICS, { areas: ['TH-14', 'TH-38'], source: source(areas, [2563, 2566]), from: 2563, to: 2566 });
    expect(trend.get('TH-14')!.map((p) => [p.fiscalYear, p.count])).toEqual([
      [2563, 0],
      [2564, 0],
      [2565, 5],
      [2566, 9],
    ]);
    expect(trend.get('TH-38')![1]).toEqual({ fiscalYear: 2564, count: 7, kinds: 1 });
  });
});

describe('a declaration run by AreaStats', () => {
  const declaration = defineStats<'COUNT' | 'KINDS', { kinds: string[] }>()({
    metrics: METRICS,
    source: (areas, years) => source(areas, years && [years.from, years.to]),
    details: (areas, fiscalYear) => ({
      columns: sql`k.list AS kinds`,
      joins: sql`LEFT JOIN (
        SELECT area, json_agg(DISTINCT kind ORDER BY kind) AS list FROM stats_source WHERE fy = ${fiscalYear}::int GROUP BY area
      ) k ON k.area = s.area`,
    }),
    empty: { kinds: [] },
  });

  it('gives every code asked for its stats and details, zeros and the empty details for one without a row', async () => {
    const stats = new AreaStats(db, declaration);
    const before = db.statements;
    const byCode = await stats.inYear('province', 2565, ['TH-10', 'TH-99']);
    expect(db.statements - before).toBe(1);
    expect(byCode.get('TH-10')).toMatchObject({ count: 5, previousCount: 2, change: 3, nationalRank: 1, kinds: ['market', 'meeting'] });
    expect(byCode.get('TH-99')).toMatchObject({ count: 0, previousCount: 0, change: 0, nationalRank: null, kinds: [] });
    expect(stats.empty(2565)).toMatchObject({ fiscalYear: 2565, count: 0, kinds: [] });
    const ranking = await stats.ranking('KINDS', ['TH-10', 'TH-14', 'TH-38'], { fiscalYear: 2565 });
    expect(ranking.map((r) => [r.province.code, r.rank])).toEqual([
      ['TH-10', 1],
      ['TH-14', 2],
      ['TH-38', 2],
    ]);
  });
});
