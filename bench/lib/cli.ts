/** Command-line options of `npm run bench`. */
import { parseArgs } from 'node:util';

export interface Options {
  scales: number[];
  embedded: boolean;
  /** Seconds of load at concurrency N, and the minimum seconds of sequential samples. */
  duration: number;
  /** Minimum sequential samples per scenario and gateway at concurrency 1. */
  samples: number;
  connections: number;
  keep: boolean;
  /** Reuse a database kept by an earlier --keep run: no drop, no load (PostgreSQL only; implies --keep). */
  reuse: boolean;
  /** Load `npm run seed -- --synthetic --scale N` after `npm run seed`. */
  synthetic: boolean;
  /** Seed of the synthetic generator (passed on as `--seed`). */
  seed?: number;
  scenarios?: string[];
  gateways: GatewayName[];
  adminUrl: string;
  /** Only regenerate RESULTS.md from bench/results/*.json. */
  reportOnly: boolean;
  /** Write V8 CPU profiles of the gateways and subgraphs here (one folder per scale and process). */
  cpuProf?: string;
}

/**
 * `hive`: our gateway; `apollo`: the peer; `hive-nodedup`: ours without in-flight deduplication (on
 * the default query planner); `hive-rust` and `hive-js`: ours without it, on Hive Router's Rust query
 * planner (the default since 2026-12-05) or on Hive Gateway's own (GATEWAY_QUERY_PLANNER=rust|js).
 * The last three are diagnostics, not measured by default.
 */
export type GatewayName = 'hive' | 'apollo' | 'hive-nodedup' | 'hive-rust' | 'hive-js';
export const GATEWAYS: GatewayName[] = ['hive', 'apollo', 'hive-nodedup', 'hive-rust', 'hive-js'];
export const DEFAULT_GATEWAYS: GatewayName[] = ['hive', 'apollo'];

export const USAGE = `Usage: npm run bench -- [options]

  --scales 1,10        synthetic dataset scales, one full measurement each (default 1,10)
  --embedded           embedded PGlite databases in a temporary DATA_DIR instead of PostgreSQL
  --duration 10        seconds of load at concurrency --connections; also the minimum seconds of
                       sequential samples at concurrency 1 (default 10)
  --samples 200        minimum sequential samples per scenario and gateway (default 200; capped at
                       3 × duration seconds)
  --connections 16     concurrency of the throughput measurement (default 16)
  --keep               keep the database (moral_bench_s<scale>) or the temporary DATA_DIR
  --reuse              measure on a database kept by an earlier --keep run, without dropping or
                       loading it (PostgreSQL only; for re-measuring; the result says so)
  --no-synthetic       load only \`npm run seed\` (reference data and the Ayutthaya case)
  --seed S             seed of the synthetic dataset (passed to \`npm run seed -- --synthetic\`)
  --cpu-prof DIR       CPU profiles of the gateways and subgraphs (node --cpu-prof) in DIR/s<scale>/<process>,
                       summarised by category at the end (bench/lib/profile.ts; also npx tsx bench/profile.ts DIR)
  --scenarios a,b      only these scenario ids (see bench/scenarios/index.ts)
  --gateways hive,apollo
                       gateways to measure (default hive,apollo); hive-nodedup adds our gateway with
                       Hive's in-flight request deduplication off (diagnostic); hive-rust and hive-js the
                       same on Hive Router's Rust query planner (the default) or on Hive Gateway's own
                       (GATEWAY_QUERY_PLANNER=rust|js)
  --report             only regenerate bench/RESULTS.md from bench/results/*.json

Environment: BENCH_DATABASE_URL, the PostgreSQL admin URL
(default postgresql://postgres@127.0.0.1:5432/postgres); databases are created and dropped through it.`;

function numberList(value: string, name: string): number[] {
  const numbers = value.split(',').map((s) => Number(s.trim()));
  if (numbers.length === 0 || numbers.some((n) => !Number.isFinite(n) || n <= 0)) {
    throw new Error(`--${name} must be a comma-separated list of positive numbers, got "${value}"`);
  }
  return numbers;
}

function positive(value: string, name: string, integer = true): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  return n;
}

function nonNegativeInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowNegative: true,
    options: {
      scales: { type: 'string', default: '1,10' },
      embedded: { type: 'boolean', default: false },
      duration: { type: 'string', default: '10' },
      samples: { type: 'string', default: '200' },
      connections: { type: 'string', default: '16' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      synthetic: { type: 'boolean', default: true },
      seed: { type: 'string' },
      scenarios: { type: 'string' },
      gateways: { type: 'string', default: DEFAULT_GATEWAYS.join(',') },
      report: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.reuse && values.embedded) throw new Error('--reuse works only on PostgreSQL');
  const gateways = values.gateways.split(',').map((g) => g.trim());
  for (const g of gateways) {
    if (!GATEWAYS.includes(g as GatewayName)) throw new Error(`--gateways: unknown gateway "${g}" (${GATEWAYS.join(', ')})`);
  }
  return {
    scales: numberList(values.scales, 'scales'),
    embedded: values.embedded,
    duration: positive(values.duration, 'duration', false),
    samples: positive(values.samples, 'samples'),
    connections: positive(values.connections, 'connections'),
    keep: values.keep || values.reuse,
    reuse: values.reuse,
    synthetic: values.synthetic,
    seed: values.seed === undefined ? undefined : nonNegativeInteger(values.seed, 'seed'),
    scenarios: values.scenarios?.split(',').map((s) => s.trim()),
    gateways: gateways as GatewayName[],
    adminUrl: process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
    reportOnly: values.report,
    cpuProf: values['cpu-prof'],
  };
}
