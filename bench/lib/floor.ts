/**
 * The raw-SQL floor of scenario 1: the same aggregates the three stats fields need, one statement
 * per stats field against each service's own tables, run directly (no GraphQL, no gateway). Each
 * iteration sends the three statements in parallel, as the three subgraphs would.
 */
import type { ServiceName } from '../../packages/common/src/config.ts';
import type { SqlAccess } from './database.ts';
import { latencyStats, sampleSequentially, type LatencyStats } from './stats.ts';

export interface ComparisonRow {
  agencies: number;
  activities: number;
  participants: number;
  participatingAgencies: number;
  recognitions: number;
}

const STATEMENTS: { service: ServiceName; field: string; sql: string }[] = [
  {
    service: 'agencies',
    field: 'agencyStats { total }',
    sql: `SELECT "provinceCode", count(*)::int AS total
          FROM "Agency"
          WHERE "provinceCode" = ANY($1) AND "archivedAt" IS NULL
          GROUP BY "provinceCode"`,
  },
  {
    service: 'activities',
    field: 'activityStats(fiscalYear) { count participantCount participatingAgencyCount }',
    // The figures per fiscal year and province that the activities service keeps by triggers for
    // this (ActivityTally, migration activity_tally), as the service reads them.
    sql: `SELECT "provinceCode",
                 coalesce(max(n) FILTER (WHERE measure = 'activities'), 0)::int AS count,
                 coalesce(max(n) FILTER (WHERE measure = 'participants'), 0)::int AS "participantCount",
                 coalesce(max(n) FILTER (WHERE measure = 'agencies'), 0)::int AS "participatingAgencyCount"
          FROM "ActivityTally"
          WHERE "fiscalYear" = $2 AND "provinceCode" = ANY($1) AND measure IN ('activities', 'participants', 'agencies')
          GROUP BY "provinceCode"`,
  },
  {
    service: 'awards',
    field: 'recognitionStats(fiscalYear) { total }',
    sql: `SELECT "provinceCode", count(*)::int AS total
          FROM "Recognition"
          WHERE "provinceCode" = ANY($1) AND "fiscalYear" = $2 AND "archivedAt" IS NULL
            AND status NOT IN ('REJECTED', 'WITHDRAWN')
          GROUP BY "provinceCode"`,
  },
];

export interface FloorResult {
  description: string;
  /** The statements, each with its own duration (measured inside the parallel iterations). */
  statements: { service: ServiceName; field: string; sql: string; latency: LatencyStats }[];
  latency: LatencyStats;
  /** Province code → the aggregates, for checking the gateways' answers. */
  values: Record<string, ComparisonRow>;
}

/** Runs a query and adds its duration (ms) to `times`. */
async function timed<T>(times: number[], run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await run();
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  return result;
}

async function runOnce(sql: SqlAccess, codes: string[], fiscalYear: number, times: number[][]): Promise<Record<string, ComparisonRow>> {
  const [agencies, activities, awards] = await Promise.all([
    timed(times[0]!, () => sql.query<{ provinceCode: string; total: number }>('agencies', STATEMENTS[0]!.sql, [codes])),
    timed(times[1]!, () =>
      sql.query<{ provinceCode: string; count: number; participantCount: number; participatingAgencyCount: number }>(
        'activities',
        STATEMENTS[1]!.sql,
        [codes, fiscalYear],
      ),
    ),
    timed(times[2]!, () => sql.query<{ provinceCode: string; total: number }>('awards', STATEMENTS[2]!.sql, [codes, fiscalYear])),
  ]);
  const values: Record<string, ComparisonRow> = Object.fromEntries(
    codes.map((c) => [c, { agencies: 0, activities: 0, participants: 0, participatingAgencies: 0, recognitions: 0 }]),
  );
  for (const r of agencies) values[r.provinceCode]!.agencies = r.total;
  for (const r of activities) {
    Object.assign(values[r.provinceCode]!, {
      activities: r.count,
      participants: r.participantCount,
      participatingAgencies: r.participatingAgencyCount,
    });
  }
  for (const r of awards) values[r.provinceCode]!.recognitions = r.total;
  return values;
}

export async function measureFloor(
  sql: SqlAccess,
  fiscalYear: number,
  limits: { minSamples: number; minSeconds: number; maxSeconds: number },
): Promise<FloorResult> {
  const codes = (await sql.query<{ code: string }>('networks', 'SELECT code FROM "Province" ORDER BY code')).map((r) => r.code);
  const times: number[][] = [[], [], []];
  const values = await runOnce(sql, codes, fiscalYear, times);
  const samples = await sampleSequentially(
    async () => {
      const started = process.hrtime.bigint();
      await runOnce(sql, codes, fiscalYear, times);
      return Number(process.hrtime.bigint() - started) / 1e6;
    },
    { warmup: 20, ...limits, afterWarmup: () => times.forEach((t) => (t.length = 0)) },
  );
  return {
    description: `${codes.length} provinces, FY${fiscalYear}: three statements in parallel, one per stats field`,
    statements: STATEMENTS.map((s, i) => ({ ...s, sql: s.sql.replace(/\s+/g, ' ').trim(), latency: latencyStats(times[i]!) })),
    latency: latencyStats(samples),
    values,
  };
}

/** Differences between the gateway's scenario-1 answer and the floor's values (empty when they agree). */
export function compareWithFloor(data: any, values: Record<string, ComparisonRow>): string[] {
  const problems: string[] = [];
  for (const p of (data?.provinces ?? []) as any[]) {
    const expected = values[p.code];
    if (!expected) {
      problems.push(`${p.code}: not in the floor's provinces`);
      continue;
    }
    const actual: ComparisonRow = {
      agencies: p.agencyStats?.total,
      activities: p.activityStats?.count,
      participants: p.activityStats?.participantCount,
      participatingAgencies: p.activityStats?.participatingAgencyCount,
      recognitions: p.recognitionStats?.total,
    };
    for (const key of Object.keys(expected) as (keyof ComparisonRow)[]) {
      if (actual[key] !== expected[key]) problems.push(`${p.code} ${key}: gateway ${actual[key]}, SQL ${expected[key]}`);
    }
  }
  return problems;
}
