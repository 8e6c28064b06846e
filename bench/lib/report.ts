/**
 * bench/RESULTS.md, regenerated from every result file: the goals of the latest full run as ratios
 * from that one run, the hand-written analysis (bench/NOTES.md), then every run's tables per scale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES, type ServiceName } from '../../packages/common/src/config.ts';
import { GATEWAYS, type GatewayName } from './cli.ts';
import type { GatewayResult } from './measure.ts';
import { readResults, resultFileName, type BenchResult } from './results.ts';

const BENCH_DIR = path.resolve(import.meta.dirname, '..');
export const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const NOTES_MD = path.join(BENCH_DIR, 'NOTES.md');

const GATEWAY_LABEL: Record<GatewayName, string> = {
  hive: 'ours (Hive Gateway)',
  apollo: 'Apollo Gateway',
  'hive-nodedup': 'ours without in-flight dedup',
  'hive-rust': 'ours, Rust planner, without in-flight dedup',
  'hive-js': 'ours, JS planner, without in-flight dedup',
};
const COMPARISON = 'national-comparison';
const COMPARISON_ONE = 'national-comparison-one';
const DASHBOARD = 'province-dashboard';
const COMPARISON_DISTINCT = 'national-comparison-distinct';
const DASHBOARD_DISTINCT = 'province-dashboard-distinct';
const SEARCHES = ['agency-search', 'agency-search-words', 'agency-search-filtered'];

const ms = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
const num = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString('en-US'));
const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const dbLabel = (r: BenchResult) => (r.database === 'pg' ? 'PostgreSQL' : 'embedded PGlite');

function gateway(r: BenchResult | undefined, scenario: string, g: GatewayName): GatewayResult | undefined {
  return r?.scenarios.find((s) => s.id === scenario)?.gateways[g];
}

function statementsText(counts: Record<ServiceName, number> | undefined): string {
  return counts ? SERVICES.map((s) => counts[s]).join('/') : '–';
}

type Status = 'met' | 'missed' | 'not measured';
type Check = { status: Status; gap?: string };
interface Goal {
  goal: string;
  target: string;
  measured: string;
  status: Status;
  /** How far off, when missed. */
  gap?: string;
}

function atLeast(value: number, target: number): Check {
  if (!Number.isFinite(value)) return { status: 'not measured' };
  return value >= target
    ? { status: 'met' }
    : { status: 'missed', gap: `${((1 - value / target) * 100).toFixed(0)} % short (×${(target / value).toFixed(2)} needed)` };
}

function atMost(value: number, target: number): Check {
  if (!Number.isFinite(value)) return { status: 'not measured' };
  return value <= target
    ? { status: 'met' }
    : { status: 'missed', gap: `${((value / target - 1) * 100).toFixed(0)} % over (÷${(value / target).toFixed(2)} needed)` };
}

function worst(statuses: Check[]): Check {
  const missed = statuses.filter((s) => s.status === 'missed');
  if (missed.length) return { status: 'missed', gap: missed.map((m) => m.gap).join('; ') };
  if (statuses.length && statuses.every((s) => s.status === 'met')) return { status: 'met' };
  return { status: 'not measured' };
}

/** One place a goal is measured in (a scale, a search): its text, and its check, whose gap names `where`. */
interface Measurement {
  where: string;
  text: string;
  check: Check;
}

/** A goal measured in several places: their texts, one a line, and the worst of their checks. */
function goalOver(goal: string, target: string, measurements: Measurement[]): Goal {
  return {
    goal,
    target,
    measured: measurements.map((m) => m.text).join('<br>') || '–',
    ...worst(measurements.map(({ where, check }) => ({ ...check, gap: check.gap && `${where}: ${check.gap}` }))),
  };
}

const SCENARIO_NUMBER: Record<string, string> = {
  [COMPARISON]: '1',
  [DASHBOARD]: '2',
  [COMPARISON_DISTINCT]: '1d (distinct queries)',
  [DASHBOARD_DISTINCT]: '2d (distinct queries)',
};

/** The goals of issues 3, 13 and 15, evaluated on the results of one run. */
export function goals(run: BenchResult[]): Goal[] {
  const byScale = new Map(run.map((r) => [r.scale, r]));
  const scales = [...byScale.keys()].sort((a, b) => a - b);
  const out: Goal[] = [];

  // 1. Statements per national comparison.
  {
    const parts: string[] = [];
    const checks: Check[] = [];
    for (const scale of scales) {
      const r = byScale.get(scale)!;
      const max = r.scenarios.find((s) => s.id === COMPARISON)?.maxStatements ?? {};
      for (const g of GATEWAYS) {
        const all = gateway(r, COMPARISON, g)?.statements?.perSubgraph;
        const one = gateway(r, COMPARISON_ONE, g)?.statements?.perSubgraph;
        if (!all || !one) continue;
        const same = SERVICES.every((s) => all[s] === one[s]);
        const over = SERVICES.filter((s) => max[s] !== undefined && all[s] > max[s]!);
        parts.push(`scale ${scale}, ${g}: 77 provinces ${statementsText(all)}, 1 province ${statementsText(one)}`);
        checks.push(
          same && over.length === 0
            ? { status: 'met' }
            : {
                status: 'missed',
                gap: [
                  !same ? `scale ${scale} ${g}: 77 provinces cost ${statementsText(all)} but 1 province ${statementsText(one)}` : '',
                  over.length ? `scale ${scale} ${g}: ${over.map((s) => `${s} sends ${all[s]} (max ${max[s]})`).join(', ')}` : '',
                ]
                  .filter(Boolean)
                  .join('; '),
              },
        );
      }
    }
    out.push({
      goal: 'SQL statements per national comparison (per subgraph net/agc/act/awd)',
      target: '≤ 1 per stats field per subgraph (1/1/1/1), same for 77 provinces as for 1',
      measured: parts.join('<br>') || '–',
      ...worst(checks),
    });
  }

  // 2. Throughput ratio on scenarios 1 and 2, and on their distinct-query variants (issue 15).
  for (const scenario of [COMPARISON, DASHBOARD, COMPARISON_DISTINCT, DASHBOARD_DISTINCT]) {
    const measurements = scales.flatMap((scale): Measurement[] => {
      const r = byScale.get(scale)!;
      const hive = gateway(r, scenario, 'hive')?.throughput?.rps;
      const apollo = gateway(r, scenario, 'apollo')?.throughput?.rps;
      if (hive === undefined || apollo === undefined) return [];
      const value = hive / apollo;
      const nodedup = gateway(r, scenario, 'hive-nodedup')?.throughput?.rps;
      const text =
        `scale ${scale}: **${ratio(value)}** (${num(hive)} / ${num(apollo)} req/s)` +
        (nodedup !== undefined ? `; without in-flight dedup ${ratio(nodedup / apollo)} (${num(nodedup)} req/s)` : '');
      return [{ where: `scale ${scale}`, text, check: atLeast(value, 1.5) }];
    });
    out.push(
      goalOver(
        `Throughput ours / Apollo Gateway, scenario ${SCENARIO_NUMBER[scenario]} (concurrency ${run[0]?.options.connections ?? 16})`,
        '≥ 1.5',
        measurements,
      ),
    );
  }

  // 3. Scenario 1 at scale 10 within 3× the raw SQL floor.
  {
    const r = byScale.get(10);
    const p50 = gateway(r, COMPARISON, 'hive')?.latency?.p50;
    const floor = r?.floor?.latency.p50;
    const apollo = gateway(r, COMPARISON, 'apollo')?.latency?.p50;
    const value = p50 !== undefined && floor !== undefined ? p50 / floor : NaN;
    const others = scales
      .filter((s) => s !== 10)
      .map((s) => {
        const x = byScale.get(s)!;
        const a = gateway(x, COMPARISON, 'hive')?.latency?.p50;
        const f = x.floor?.latency.p50;
        return a !== undefined && f !== undefined ? `scale ${s}: ${ratio(a / f)} (${ms(a)} / ${ms(f)} ms)` : '';
      })
      .filter(Boolean);
    const one = byScale.get(1);
    const p50One = gateway(one, COMPARISON, 'hive')?.latency?.p50;
    const floorOne = one?.floor?.latency.p50;
    const atScale1 = p50One !== undefined && floorOne !== undefined ? atMost(p50One / floorOne, 5) : { status: 'not measured' as Status };
    out.push({
      goal: 'Scenario 1 end-to-end p50 / raw SQL floor p50 (concurrency 1), scale 1 (issue 15: ≤ 5)',
      target: '≤ 5',
      measured: one ? `**${ratio((p50One ?? NaN) / (floorOne ?? NaN))}** (${ms(p50One)} / ${ms(floorOne)} ms)` : 'scale 1 not in this run',
      ...(atScale1.gap ? { ...atScale1, gap: `scale 1: ${atScale1.gap}` } : atScale1),
    });
    out.push({
      goal: 'Scenario 1 end-to-end p50 at scale 10 / raw SQL floor p50 (concurrency 1)',
      target: '≤ 3',
      measured:
        (r
          ? `**${ratio(value)}** (${ms(p50)} / ${ms(floor)} ms; Apollo Gateway ${ratio((apollo ?? NaN) / (floor ?? NaN))})`
          : 'scale 10 not in this run') + (others.length ? `<br>other scales: ${others.join('; ')}` : ''),
      ...atMost(value, 3),
    });
  }

  // 4. Growth from scale 1 to scale 10.
  {
    const a = gateway(byScale.get(1), COMPARISON, 'hive')?.latency?.p50;
    const b = gateway(byScale.get(10), COMPARISON, 'hive')?.latency?.p50;
    const aa = gateway(byScale.get(1), COMPARISON, 'apollo')?.latency?.p50;
    const bb = gateway(byScale.get(10), COMPARISON, 'apollo')?.latency?.p50;
    const value = a !== undefined && b !== undefined ? b / a : NaN;
    const rows1 = byScale.get(1)?.dataset.rows.Activity;
    const rows10 = byScale.get(10)?.dataset.rows.Activity;
    out.push({
      goal: 'Growth: scenario 1 p50 at scale 10 / at scale 1 (issue 15: ≤ 2; issue 3 asked ≤ 3)',
      target: '≤ 2',
      measured: Number.isFinite(value)
        ? `**${ratio(value)}** (${ms(b)} / ${ms(a)} ms; Apollo Gateway ${ratio((bb ?? NaN) / (aa ?? NaN))}; activities ×${ratio((rows10 ?? NaN) / (rows1 ?? NaN))})`
        : 'needs scales 1 and 10 in one run',
      ...atMost(value, 2),
    });
  }

  // 5. Issue 15: our p50 at concurrency 1 with read sharing off (hive-nodedup) ≤ 0.8 × Apollo Gateway's.
  for (const scenario of [COMPARISON, DASHBOARD]) {
    const measurements = scales.flatMap((scale): Measurement[] => {
      const r = byScale.get(scale)!;
      const ours = gateway(r, scenario, 'hive-nodedup')?.latency?.p50;
      const apollo = gateway(r, scenario, 'apollo')?.latency?.p50;
      if (ours === undefined || apollo === undefined) return [];
      const text = `scale ${scale}: **${ratio(ours / apollo)}** (${ms(ours)} / ${ms(apollo)} ms)`;
      return [{ where: `scale ${scale}`, text, check: atMost(ours / apollo, 0.8) }];
    });
    out.push(
      goalOver(
        `p50 ours without read sharing / Apollo Gateway, scenario ${SCENARIO_NUMBER[scenario]} (concurrency 1)`,
        '≤ 0.8',
        measurements,
      ),
    );
  }

  // 6. Issue 13: agency search through our gateway at scale 10 on PostgreSQL.
  {
    const r = byScale.get(10);
    const measurements = SEARCHES.flatMap((id): Measurement[] => {
      const s = r?.database === 'pg' ? r.scenarios.find((x) => x.id === id) : undefined;
      const p50 = s?.gateways.hive?.latency?.p50;
      if (!s || p50 === undefined) return [];
      return [{ where: s.label.split(' ')[0]!, text: `${s.label}: **${ms(p50)} ms**`, check: atMost(p50, 50) }];
    });
    out.push(goalOver('Agency search p50 through our gateway, scale 10, PostgreSQL (issue 13)', '≤ 50 ms', measurements));
  }
  return out;
}

/** The goals table of a run; `measuredOnly`: without the goals this run did not measure (none: empty). */
function goalsTable(run: BenchResult[], measuredOnly = false): string[] {
  const rows = goals(run).filter((g) => !measuredOnly || g.status !== 'not measured');
  if (!rows.length) return [];
  const lines = ['| goal | target | measured | status |', '| --- | --- | --- | --- |'];
  for (const g of rows) {
    const status = g.status === 'met' ? '✅ met' : g.status === 'missed' ? `❌ missed: ${g.gap}` : '– not measured';
    lines.push(`| ${g.goal} | ${g.target} | ${g.measured} | ${status} |`);
  }
  return lines;
}

function scaleSection(r: BenchResult): string[] {
  const lines: string[] = [];
  const load = `${r.machine.loadAverageStart.map((n) => n.toFixed(2)).join(' ')} → ${r.machine.loadAverageEnd.map((n) => n.toFixed(2)).join(' ')}`;
  lines.push(`#### Scale ${r.scale} on ${dbLabel(r)}${r.smoke ? ' (smoke run: proves the harness, not a measurement)' : ''}`);
  lines.push('');
  lines.push(
    `${r.startedAt} – ${r.finishedAt} · \`${r.command}\` · file \`results/${resultFileName(r)}\` · load average (1/5/15 min) ${load} · ` +
      (r.load.commands.length
        ? `data loaded in ${r.load.seconds.toFixed(0)} s (${r.load.commands.map((c) => `\`${c}\``).join(', ')})`
        : 'database of an earlier run reused (not loaded by this run)') +
      (r.load.vacuumAnalyzeSeconds !== undefined ? `, then VACUUM ANALYZE in ${r.load.vacuumAnalyzeSeconds} s` : ''),
  );
  lines.push('');
  const d = r.dataset;
  lines.push(
    `Data: ${Object.entries(d.rows)
      .map(([t, n]) => `${t} ${num(n)}${d.synthetic[t] ? ` (${num(d.synthetic[t])} synthetic)` : ''}`)
      .join(', ')}.`,
  );
  lines.push('');
  if (r.warnings.length) {
    for (const w of r.warnings) lines.push(`> ⚠️ ${w}`);
    lines.push('');
  }
  lines.push(
    `| scenario | gateway | p50 ms | p95 ms | p99 ms | samples | req/s @${r.options.connections} | p50 / p99 ms @${r.options.connections} | errors | SQL statements net/agc/act/awd | response |`,
  );
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const s of r.scenarios) {
    for (const g of GATEWAYS) {
      const x = s.gateways[g];
      if (!x) continue;
      if (x.failure) {
        lines.push(`| ${s.label} | ${GATEWAY_LABEL[g]} | failed: ${x.failure.replace(/\|/g, '\\|')} | | | | | | | | |`);
        continue;
      }
      const l = x.latency;
      const t = x.throughput;
      const errors = (l?.errors ?? 0) + (t ? t.graphqlErrors + t.connectionErrors + t.timeouts : 0);
      const stable = x.statements && !x.statements.stable ? ' (varies)' : '';
      lines.push(
        `| ${s.label} | ${GATEWAY_LABEL[g]} | ${ms(l?.p50)} | ${ms(l?.p95)} | ${ms(l?.p99)} | ${num(l?.samples)} | ${t ? `${num(t.rps)}${t.mode === 'amount' ? '¹' : ''}` : '–'} | ` +
          `${t ? `${ms(t.latencyP50)} / ${ms(t.latencyP99)}` : '–'} | ${l || t ? errors : '–'} | ${statementsText(x.statements?.perSubgraph)}${stable} | ` +
          `${(x.responseBytes / 1024).toFixed(1)} KiB |`,
      );
    }
    if (s.id === COMPARISON && r.floor) {
      const f = r.floor.latency;
      const each = r.floor.statements
        .filter((st) => st.latency)
        .map((st) => `${st.service} ${ms(st.latency.p50)}`)
        .join(', ');
      lines.push(
        `| ${s.label} | raw SQL floor | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${num(f.samples)} | – | – | – | 0/1/1/1${each ? ` (p50 ms: ${each})` : ''} | – |`,
      );
    }
  }
  if (r.scenarios.some((s) => Object.values(s.gateways).some((x) => x?.throughput?.mode === 'amount'))) {
    lines.push(
      '',
      `¹ Fewer than ${2 * r.options.connections} responses within ${r.options.durationSec} s: the time of ${2 * r.options.connections} responses was measured instead.`,
    );
  }
  lines.push('');
  const different = r.scenarios.filter((s) => s.sameData === false).map((s) => s.label);
  const notes: string[] = [];
  if (different.length) notes.push(`the gateways returned different data for: ${different.join(', ')}`);
  else notes.push('all gateways returned the same data for every scenario');
  if (r.floor) {
    notes.push(
      r.floor.mismatches.length
        ? `scenario 1 differs from the raw SQL in ${r.floor.mismatches.length} values (${r.floor.mismatches.slice(0, 3).join('; ')}…)`
        : 'scenario 1 equals the raw SQL aggregates for every province',
    );
  }
  lines.push(`Checks: ${notes.join('; ')}.`);
  lines.push('');
  // Where the CPU went during the throughput phases.
  const cpuRows = r.scenarios.flatMap((s) =>
    GATEWAYS.flatMap((g) => {
      const cpu = s.gateways[g]?.throughput?.cpu;
      if (!cpu) return [];
      const p = cpu.processes;
      const subgraphs = SERVICES.map((sv) => (p[sv] ?? 0).toFixed(1)).join('/');
      const t = s.gateways[g]!.throughput!;
      const perResponse = t.statementsPerResponse ? SERVICES.map((sv) => t.statementsPerResponse[sv]).join('/') : '–';
      return [
        `| ${s.label} | ${GATEWAY_LABEL[g]} | ${num(t.requests)} | ${perResponse} | ${(p[g] ?? 0).toFixed(1)} | ${subgraphs} | ${p.postgres?.toFixed(1) ?? '–'} | ${(p.harness ?? 0).toFixed(1)} | ${cpu.other?.toFixed(1) ?? '–'} | ${cpu.machineBusy?.toFixed(1) ?? '–'} / ${(cpu.seconds * r.machine.cores).toFixed(0)} | ${cpu.loadAverage.toFixed(2)} |`,
      ];
    }),
  );
  if (cpuRows.length) {
    lines.push(
      `<details><summary>Under load: SQL statements per response and CPU seconds during the throughput phases (${r.options.durationSec} s each, ${r.machine.cores} cores)</summary>`,
      '',
      '| scenario | gateway | responses | SQL statements per response net/agc/act/awd | CPU s: gateway | subgraphs net/agc/act/awd | PostgreSQL (this database) | load generator | everything else | machine busy / available | load avg |',
      '| --- | --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
      ...cpuRows,
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

function runSection(run: BenchResult[], withGoals: boolean): string[] {
  const first = run[0]!;
  const lines: string[] = [];
  const scales = run.map((r) => r.scale).join(', ');
  lines.push(`### Run ${first.runId}: ${dbLabel(first)}, scale ${scales}${run.every((r) => r.smoke) ? ' (smoke)' : ''}`);
  lines.push('');
  const m = first.machine;
  const v = first.versions;
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}. ` +
      `Versions: ${Object.entries(v)
        .map(([k, x]) => `${k} ${x}`)
        .join(', ')}. ` +
      `Code: ${first.git ? `${first.git.commit} with ${first.git.uncommittedFiles} uncommitted files` : 'unknown'}. ` +
      `Options: latency ≥ ${first.options.minSamples} samples and ≥ ${first.options.durationSec} s per scenario and gateway, throughput ${first.options.durationSec} s at ${first.options.connections} connections, ` +
      `DATABASE_POOL_SIZE ${first.options.databasePoolSize}, synthetic data ${first.options.synthetic ? `on${first.options.seed !== undefined ? ` (seed ${first.options.seed})` : ''}` : 'off'}.`,
  );
  lines.push('');
  if (withGoals) {
    const table = goalsTable(run, true);
    lines.push(...(table.length ? ['Goals this run measured:', '', ...table] : ['This run measured none of the goals.']), '');
  } else lines.push('Goals of this run: see the top of this file.', '');
  for (const r of run) lines.push(...scaleSection(r));
  return lines;
}

export function renderResults(results: BenchResult[]): string {
  const runs = new Map<string, BenchResult[]>();
  for (const r of [...results].sort((a, b) => a.scale - b.scale)) {
    const key = `${r.runId}-${r.database}`;
    runs.set(key, [...(runs.get(key) ?? []), r]);
  }
  const ordered = [...runs.values()].sort((a, b) => b[0]!.runId.localeCompare(a[0]!.runId));
  // The goals at the top are those of the newest full run (scenario 1 on both gateways); a run of a
  // few scenarios (e.g. the search ones) reports its goals in its own section.
  const complete = (run: BenchResult[]) =>
    !run.every((r) => r.smoke) &&
    run.some((r) => {
      const s = r.scenarios.find((x) => x.id === COMPARISON);
      return Boolean(s?.gateways.hive?.latency && s.gateways.apollo?.latency);
    });
  const latest = ordered.find(complete) ?? ordered.find((run) => !run.every((r) => r.smoke)) ?? ordered[0];
  const lines: string[] = [
    '# Benchmark results',
    '',
    '<!-- Generated by `npm run bench` (or `npm run bench -- --report`) from bench/results/*.json; edit bench/NOTES.md, not this file. -->',
    '',
    'How these are measured, and how to run them again: [README.md](README.md). Scenarios: [scenarios/](scenarios/).',
    '',
    '> **Shared machine.** The measuring machine has 2 cores, shared by the load generator, both gateways, the four',
    '> subgraphs and PostgreSQL, and (while these were measured) by other engineers running tests. Absolute figures',
    '> move with that load (the load average is recorded with every run); compare ratios from one run, as the goals do.',
    '',
  ];
  if (!latest) {
    lines.push('No results yet: run `npm run bench`.', '');
    return lines.join('\n');
  }
  lines.push(
    `## Goals (issues 3, 13 and 15), run ${latest[0]!.runId} on ${dbLabel(latest[0]!)}`,
    '',
    `Statement columns are per subgraph in the order ${SERVICES.join('/')}. "ours" is the Hive Gateway runtime (gateway/).`,
    '',
  );
  lines.push(...goalsTable(latest), '');
  if (existsSync(NOTES_MD)) {
    lines.push('## Analysis', '', readFileSync(NOTES_MD, 'utf8').trim(), '');
  }
  lines.push(
    '## Runs',
    '',
    'Newest first. Latency at concurrency 1 (sequential requests after a warm-up); throughput with autocannon.',
    '',
  );
  for (const run of ordered) lines.push(...runSection(run, run !== latest));
  return `${lines.join('\n').trimEnd()}\n`;
}

export function writeResultsMarkdown(): string {
  writeFileSync(RESULTS_MD, renderResults(readResults().map((r) => r.result)));
  return RESULTS_MD;
}
