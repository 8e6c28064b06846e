/**
 * `npm run bench -- [--scales 1,10] [--embedded] [--duration 10] [--keep] …` (see bench/README.md).
 *
 * For each scale: a fresh database, the project's own seed commands, the four subgraphs, our gateway
 * and Apollo Gateway as separate processes, then every scenario through both gateways (statements,
 * latency at concurrency 1, throughput at concurrency N) and the raw-SQL floor of scenario 1. Writes
 * bench/results/<run>-scale<N>-<pg|embedded>.json and regenerates bench/RESULTS.md. Every process
 * started here is stopped, and the database dropped, on success, on error and on Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICES } from '../packages/common/src/config.ts';
import { GATEWAYS, parseOptions, USAGE, type GatewayName, type Options } from './lib/cli.ts';
import { measureCpu, type CpuUsage } from './lib/cpu.ts';
import {
  createEmbeddedDatabase,
  createPostgresDatabase,
  datasetCounts,
  type BenchDatabase,
  type DatasetCounts,
  type SqlAccess,
} from './lib/database.ts';
import { compareWithFloor, measureFloor } from './lib/floor.ts';
import { gitState, machine, packageVersions } from './lib/machine.ts';
import { Measurer, stopLoad, type GatewayResult } from './lib/measure.ts';
import { Processes } from './lib/processes.ts';
import { goals, writeResultsMarkdown } from './lib/report.ts';
import { renderProfiles, summarizeProfiles } from './lib/profile.ts';
import { RESULTS_DIR, runIdOf, writeResult, type BenchResult, type ScenarioResult } from './lib/results.ts';
import { childEnv, startStack } from './lib/stack.ts';
import { FISCAL_YEAR, SCENARIOS } from './scenarios/index.ts';

const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const loadAverage = () => os.loadavg().map((n) => Math.round(n * 100) / 100);

const processes = new Processes();
/** Undo steps (drop the database …), run in reverse order on exit. */
const cleanups: (() => Promise<void>)[] = [];
let aborting = false;

async function cleanUp(): Promise<void> {
  stopLoad();
  await processes.stopAll();
  while (cleanups.length) {
    const undo = cleanups.pop()!;
    await undo().catch((error: unknown) => console.error(`[bench] clean-up failed: ${(error as Error).message}`));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (aborting) return;
    aborting = true;
    console.error(`\n[bench] ${signal}: stopping every process and removing the database`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function withSql<T>(db: BenchDatabase, fn: (sql: SqlAccess) => Promise<T>): Promise<T> {
  const sql = await db.open();
  try {
    return await fn(sql);
  } finally {
    await sql.close();
  }
}

function scenariosOf(options: Options) {
  if (!options.scenarios) return SCENARIOS;
  const unknown = options.scenarios.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return SCENARIOS.filter((s) => options.scenarios!.includes(s.id));
}

async function benchScale(options: Options, runId: string, scale: number, command: string): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadAverage();
  const warnings: string[] = [];
  log(`scale ${scale}: ${options.embedded ? 'embedded databases' : 'PostgreSQL database'} (load average ${loadAverageStart.join(' ')})`);
  const db: BenchDatabase = options.embedded
    ? await createEmbeddedDatabase(scale)
    : await createPostgresDatabase(options.adminUrl, scale, options.reuse);
  cleanups.push(() => db.dispose(options.keep));
  log(`scale ${scale}: ${db.label}`);

  // Load with the project's own commands.
  const seedEnv = childEnv({ ...db.env, NODE_ENV: 'production' });
  const commands = ['npm run seed'];
  if (options.synthetic) {
    commands.push(`npm run seed -- --synthetic --scale ${scale}${options.seed !== undefined ? ` --seed ${options.seed}` : ''}`);
  }
  const loadStart = Date.now();
  const counts: DatasetCounts[] = [];
  if (options.reuse) {
    warnings.push(`Reused the database of an earlier run (--reuse): not loaded by this run.`);
    commands.length = 0;
    counts.push(await withSql(db, datasetCounts));
  }
  for (const c of commands) {
    log(`scale ${scale}: ${c}`);
    const [cmd, ...args] = c.split(' ');
    await processes.run(c, cmd!, args, seedEnv);
    counts.push(await withSql(db, datasetCounts));
  }
  const loadSeconds = (Date.now() - loadStart) / 1000;
  log(`scale ${scale}: loaded in ${loadSeconds.toFixed(0)} s; VACUUM ANALYZE`);
  const analyzeStart = Date.now();
  await withSql(db, (sql) => sql.vacuumAnalyze());
  const analyzeSeconds = (Date.now() - analyzeStart) / 1000;
  const dataset = counts[counts.length - 1]!;
  log(
    `scale ${scale}: ${Object.entries(dataset.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  if (options.synthetic && counts.length === 2 && counts[1]!.rows.Agency === counts[0]!.rows.Agency) {
    warnings.push(
      `\`${commands[1]}\` added no agencies (the synthetic seed is not available yet?): this scale ran on the reference data and the Ayutthaya case only.`,
    );
  }
  if (!options.synthetic) warnings.push('Run with --no-synthetic: reference data and the Ayutthaya case only.');

  // The raw-SQL floor, before the services open the databases (PGlite allows one process per directory).
  const sql = await db.open();
  let floor: Awaited<ReturnType<typeof measureFloor>>;
  let floorCpu: CpuUsage;
  try {
    const endCpu = await measureCpu({}, db.postgresPids);
    floor = await measureFloor(sql, FISCAL_YEAR, {
      minSamples: options.samples,
      minSeconds: options.duration,
      maxSeconds: 3 * options.duration,
    });
    floorCpu = await endCpu();
    log(`scale ${scale}: raw SQL floor p50 ${floor.latency.p50} ms, p99 ${floor.latency.p99} ms (${floor.latency.samples} samples)`);
  } finally {
    await sql.close();
  }

  // The system under test.
  const logDir = path.join(RESULTS_DIR, 'tmp', `${runId}-scale${scale}-${db.kind}`);
  mkdirSync(logDir, { recursive: true });
  log(`scale ${scale}: starting the subgraphs and gateways (logs in ${path.relative(process.cwd(), logDir)})`);
  processes.cpuProfDir = options.cpuProf ? path.resolve(options.cpuProf, `s${scale}`) : undefined;
  const stack = await startStack({ processes, databaseEnv: db.env, postgresPids: db.postgresPids, gateways: options.gateways, logDir });
  const measurer = new Measurer(stack, { duration: options.duration, minSamples: options.samples, connections: options.connections });
  const scenarios: ScenarioResult[] = [];
  const comparisonData: Partial<Record<GatewayName, unknown>> = {};
  try {
    for (const [index, scenario] of scenariosOf(options).entries()) {
      // Alternate which gateway goes first, so neither always measures on a machine warmed by the other.
      const order = index % 2 === 0 ? options.gateways : [...options.gateways].reverse();
      const results: Partial<Record<GatewayName, GatewayResult>> = {};
      const data: Partial<Record<GatewayName, string>> = {};
      for (const g of order) {
        const url = stack.gateways[g]!;
        const first = await measurer.firstAnswer(url, scenario);
        results[g] = { url, responseBytes: first.bytes, failure: first.failure };
        if (first.failure) {
          warnings.push(`${scenario.label} via ${g}: ${first.failure}`);
          log(`scale ${scale}: ${scenario.id} via ${g} FAILED: ${first.failure}`);
        } else data[g] = JSON.stringify(first.data);
        if (scenario.id === 'national-comparison' && first.data) comparisonData[g] = first.data;
      }
      const ok = order.filter((g) => !results[g]!.failure);
      for (const g of ok) {
        results[g]!.statements = await measurer.statements(stack.gateways[g]!, scenario);
        log(
          `scale ${scale}: ${scenario.id} via ${g}: SQL statements ${SERVICES.map((s) => `${s} ${results[g]!.statements!.perSubgraph[s]}`).join(', ')}`,
        );
      }
      if (scenario.measure === 'full') {
        for (const g of ok) {
          results[g]!.latency = await measurer.latency(stack.gateways[g]!, scenario);
          const l = results[g]!.latency!;
          log(
            `scale ${scale}: ${scenario.id} via ${g}: p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms (${l.samples} samples, ${l.errors} errors)`,
          );
          processes.assertAlive();
        }
        for (const g of ok) {
          results[g]!.throughput = await measurer.throughput(stack.gateways[g]!, scenario);
          const t = results[g]!.throughput!;
          const errors = t.graphqlErrors + t.connectionErrors + t.timeouts;
          log(
            `scale ${scale}: ${scenario.id} via ${g}: ${t.rps} req/s at ${t.connections} connections (${errors} errors, load ${t.cpu.loadAverage})`,
          );
          if (errors) {
            warnings.push(
              `${scenario.label} via ${g}: ${errors} failed responses under load (${t.non2xx} non-2xx, ${t.timeouts} timeouts)` +
                (t.failures[0] ? `, e.g. ${t.failures[0].slice(0, 200)}` : ''),
            );
          }
          processes.assertAlive();
        }
      }
      const answers = Object.values(data);
      scenarios.push({
        id: scenario.id,
        label: scenario.label,
        title: scenario.title,
        measure: scenario.measure,
        variables: scenario.variables,
        maxStatements: scenario.maxStatements,
        gateways: Object.fromEntries(GATEWAYS.filter((g) => results[g]).map((g) => [g, results[g]])),
        sameData: answers.length > 1 ? answers.every((a) => a === answers[0]) : undefined,
      });
    }
  } finally {
    measurer.close();
    stack.close();
    log(`scale ${scale}: stopping the services`);
    // Gateways first, so the subgraphs have no open connections left when they close.
    await processes.stopAll(options.gateways);
    await processes.stopAll();
  }
  if (processes.cpuProfDir) {
    // Requests each gateway answered while measured (warm-ups and statement counts left out); the
    // subgraphs served every gateway.
    const servedBy = (g: string) =>
      scenarios.reduce((n, s) => {
        const x = s.gateways[g as GatewayName];
        return n + (x?.latency?.samples ?? 0) + (x?.throughput?.requests ?? 0);
      }, 0);
    const all = options.gateways.reduce((n, g) => n + servedBy(g), 0);
    console.log(`\n[bench] CPU profiles of scale ${scale} (${processes.cpuProfDir}):\n`);
    console.log(renderProfiles(summarizeProfiles(processes.cpuProfDir), (p) => ((GATEWAYS as string[]).includes(p) ? servedBy(p) : all)));
  }

  const mismatches = Object.entries(comparisonData).flatMap(([g, d]) => compareWithFloor(d, floor.values).map((m) => `${g}: ${m}`));
  if (mismatches.length)
    warnings.push(`scenario 1 differs from the raw SQL aggregates in ${mismatches.length} values, e.g. ${mismatches[0]}`);
  const { values: _values, ...floorResult } = floor;

  // Drop the database now rather than at exit (the next scale needs the disk).
  await cleanups.pop()!();
  return {
    format: 1,
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    scale,
    database: db.kind,
    smoke: options.duration < 10 || scale < 1,
    command,
    options: {
      durationSec: options.duration,
      minSamples: options.samples,
      connections: options.connections,
      synthetic: options.synthetic,
      seed: options.seed,
      databasePoolSize: process.env.DATABASE_POOL_SIZE || '10 (default)',
    },
    machine: { ...machine(), loadAverageStart, loadAverageEnd: loadAverage() },
    versions: { ...packageVersions(), database: await db.version() },
    git: gitState(),
    load: { seconds: Math.round(loadSeconds), commands, vacuumAnalyzeSeconds: Math.round(analyzeSeconds * 10) / 10 },
    dataset,
    floor: { ...floorResult, mismatches, loadAverage: floorCpu.loadAverage, cpu: floorCpu },
    scenarios,
    warnings,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const parsed = parseOptions(argv);
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  if (parsed.reportOnly) {
    log(`wrote ${path.relative(process.cwd(), writeResultsMarkdown())}`);
    return;
  }
  const options = parsed;
  scenariosOf(options); // fail early on unknown ids
  const runId = runIdOf(new Date());
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  log(
    `run ${runId}: scales ${options.scales.join(', ')} on ${options.embedded ? 'embedded PGlite' : 'PostgreSQL'}; ${os.cpus().length} cores, load average ${loadAverage().join(' ')}`,
  );
  const results: BenchResult[] = [];
  for (const scale of options.scales) {
    const result = await benchScale(options, runId, scale, command);
    results.push(result);
    log(`wrote ${path.relative(process.cwd(), writeResult(result))}`);
    writeResultsMarkdown();
  }
  log(`wrote ${path.relative(process.cwd(), writeResultsMarkdown())}`);
  for (const g of goals(results)) {
    console.log(
      `  ${g.status === 'met' ? 'met   ' : g.status === 'missed' ? 'MISSED' : 'n/a   '} ${g.goal}: ${g.measured.replace(/<br>/g, '; ').replace(/\*\*/g, '')}`,
    );
  }
}

try {
  await main();
  await cleanUp();
} catch (error) {
  if (!aborting) {
    console.error(`[bench] ${(error as Error).stack ?? error}`);
    await cleanUp();
    process.exit(1);
  }
}
