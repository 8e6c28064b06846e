/** The result file of one scale of one run: bench/results/<run>-scale<N>-<pg|embedded>.json. */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ServiceName } from '../../packages/common/src/config.ts';
import type { GatewayName } from './cli.ts';
import type { CpuUsage } from './cpu.ts';
import type { DatasetCounts } from './database.ts';
import type { FloorResult } from './floor.ts';
import type { Machine, GitState } from './machine.ts';
import type { GatewayResult } from './measure.ts';

export const RESULTS_DIR = path.resolve(import.meta.dirname, '..', 'results');

export interface ScenarioResult {
  id: string;
  label: string;
  title: string;
  measure: 'full' | 'statements';
  variables: Record<string, unknown>;
  maxStatements?: Partial<Record<ServiceName, number>>;
  gateways: Partial<Record<GatewayName, GatewayResult>>;
  /** Whether every gateway returned the same data. */
  sameData?: boolean;
}

export interface BenchResult {
  format: 1;
  /** Start of the run (all scales of one run share it): the key for "ratios from one run". */
  runId: string;
  startedAt: string;
  finishedAt: string;
  scale: number;
  database: 'pg' | 'embedded';
  /** A short run that only proves the harness (duration under 10 s or scale under 1). */
  smoke: boolean;
  command: string;
  options: {
    durationSec: number;
    minSamples: number;
    connections: number;
    synthetic: boolean;
    seed?: number;
    databasePoolSize: string;
  };
  machine: Machine & { loadAverageStart: number[]; loadAverageEnd: number[] };
  versions: Record<string, string>;
  git?: GitState;
  /** Loading time of the seed commands, then of the VACUUM ANALYZE the harness runs before measuring. */
  load: { seconds: number; commands: string[]; vacuumAnalyzeSeconds?: number };
  dataset: DatasetCounts;
  floor?: Omit<FloorResult, 'values'> & {
    /** Differences between the gateways' scenario-1 numbers and the raw SQL (empty: they agree). */
    mismatches: string[];
    loadAverage: number;
    cpu: CpuUsage;
  };
  scenarios: ScenarioResult[];
  warnings: string[];
}

export function resultFileName(r: Pick<BenchResult, 'runId' | 'scale' | 'database'>): string {
  return `${r.runId}-scale${r.scale}-${r.database}.json`;
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, resultFileName(result));
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function readResults(): { file: string; result: BenchResult }[] {
  let files: string[];
  try {
    files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .map((f) => ({ file: f, result: JSON.parse(readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as BenchResult }))
    .filter(({ result }) => result.format === 1);
}

/** A run id from a date: 2025-11-26T0512Z (sorts by time, safe in file names). */
export function runIdOf(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}
