/**
 * Spreadsheet import benchmark (docs/IMPORT.md):
 *   npx tsx bench/import.ts [--rows 10000] [--embedded] [--concurrency 2] [--keep]
 *
 * Starts the four subgraphs and the gateway as child processes (bench/lib, NODE_ENV=production) on a
 * fresh database: PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres,
 * a database `moral_bench_import` made and dropped here) or, with --embedded, the embedded PGlite in a
 * temporary DATA_DIR. Loads the reference data with `npm run seed`, writes a CSV of N synthetic
 * agencies (Thai headers, names marked "(ข้อมูลสังเคราะห์)", province names, district codes, sector
 * labels) and imports it through the gateway with a NATIONAL_ADMIN token, in this process, as
 * `npm run import` would. Prints rows/s, seconds, and this process's memory (the importer's own: the
 * services run elsewhere): resident memory before the import and at its peak, sampled every 20 ms,
 * and, when run with `--expose-gc` (npx tsx --expose-gc bench/import.ts …), the peak of the live
 * heap, measured after a full collection every 250 ms: what the importer really holds, without the
 * garbage V8 lets pile up before it collects.
 */
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { readEnv, withPgClient } from '../packages/common/src/index.ts';
import { signStaffToken } from '../gateway/src/tokens.ts';
import { HttpApi, REFERENCE_QUERY, dataOf, formatSummary, importFile, type ReferenceData } from '@moral-registry/spreadsheets';
import { Processes } from './lib/processes.ts';
import { BENCH_SECRETS, childEnv, startStack } from './lib/stack.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    embedded: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a whole number');

const log = (message: string) => console.log(`[bench:import ${new Date().toISOString().slice(11, 19)}] ${message}`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const processes = new Processes();
const work = await mkdtemp(path.join(os.tmpdir(), 'moral-bench-import-'));
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'moral_bench_import';

async function admin(sql: string): Promise<void> {
  await withPgClient(adminUrl, (client) => client.query(sql));
}

let databaseEnv: Record<string, string>;
if (values.embedded) {
  const dataDir = path.join(work, 'data');
  mkdirSync(dataDir);
  databaseEnv = { DATABASE_URL: '', DATA_DIR: dataDir };
} else {
  await admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DATABASE}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  databaseEnv = { DATABASE_URL: url.toString() };
}

async function cleanUp(): Promise<void> {
  await processes.stopAll();
  if (values.keep) log(`kept ${values.embedded ? work : `database ${DATABASE}`}`);
  else {
    if (!values.embedded) await admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await rm(work, { recursive: true, force: true });
  }
}
process.on('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

/** The synthetic agencies file: Thai headers, rows spread over the provinces and the sectors. */
async function writeCsv(file: string, reference: ReferenceData): Promise<void> {
  const out = createWriteStream(file);
  const put = (line: string) => (out.write(line) ? undefined : new Promise<void>((r) => out.once('drain', () => r())));
  const sectors = reference.networkSectors;
  const kinds = ['ชุมชน', 'โรงเรียน', 'วัด', 'ส่วนราชการ', 'บริษัท', 'มูลนิธิ', 'กลุ่มเกษตรกร', 'สื่อมวลชน'];
  await put('\uFEFFชื่อหน่วยงาน,ชื่อภาษาอังกฤษ,ประเภทหน่วยงาน,จังหวัด,อำเภอ/เขต,ภาคีเครือข่าย\r\n');
  for (let i = 1; i <= rows; i++) {
    const province = reference.provinces[i % reference.provinces.length]!;
    const district = province.districts[i % province.districts.length]!;
    const n = String(i).padStart(6, '0');
    await put(
      `หน่วยงานทดสอบนำเข้า ${n} (ข้อมูลสังเคราะห์),Import benchmark agency ${n} (synthetic),${kinds[i % kinds.length]},` +
        `จังหวัด${province.nameTh},${district.code},${sectors[i % sectors.length]!.nameTh}\r\n`,
    );
  }
  out.end();
  await finished(out);
}

try {
  log(`${values.embedded ? 'embedded PGlite in a temporary DATA_DIR' : `PostgreSQL database ${DATABASE}`}; ${rows} rows`);
  log('loading the reference data (npm run seed)');
  await processes.run('seed', 'npm', ['run', 'seed'], childEnv({ ...databaseEnv, NODE_ENV: 'production' }));
  const logDir = path.join(work, 'logs');
  mkdirSync(logDir);
  log('starting the subgraphs and the gateway');
  const stack = await startStack({ processes, databaseEnv, gateways: ['hive'], logDir });
  const url = stack.gateways.hive!;
  const token = await signStaffToken(
    { ...readEnv(), NODE_ENV: 'development', JWT_SECRET: BENCH_SECRETS.JWT_SECRET },
    { sub: 'bench-import', role: 'NATIONAL_ADMIN', name: 'bench/import.ts' },
  );

  const file = path.join(work, `agencies-${rows}.csv`);
  const reference = dataOf(await new HttpApi(url).request(REFERENCE_QUERY), 'reference data');
  await writeCsv(file, reference);
  log(`wrote ${file}`);

  global.gc?.();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = rssBefore;
  let peakLiveHeap = heapBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const collector = global.gc
    ? setInterval(() => {
        global.gc!();
        peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
      }, 250)
    : undefined;
  const summary = await importFile({
    file,
    type: 'agencies',
    url,
    token,
    synthetic: true,
    concurrency: Number(values.concurrency),
    progress: 'auto',
    errorFile: path.join(work, 'errors.csv'),
  });
  clearInterval(sampler);
  clearInterval(collector);
  peak = Math.max(peak, process.memoryUsage.rss());
  for (const line of formatSummary(summary)) console.log(line);

  const counted = dataOf(
    await new HttpApi(url).request<{ agencies: { totalCount: number } }>('{ agencies(first: 0) { totalCount } }'),
    'counting agencies',
  );
  const result = {
    database: values.embedded ? 'PGlite (embedded, file-backed)' : 'PostgreSQL',
    rows,
    concurrency: Number(values.concurrency),
    created: summary.created,
    rejected: summary.rejected,
    agenciesInDatabase: counted.agencies.totalCount,
    seconds: Math.round(summary.seconds * 10) / 10,
    rowsPerSecond: summary.rowsPerSecond,
    rssBeforeMB: mb(rssBefore),
    peakRssMB: mb(peak),
    peakRssGrowthMB: mb(peak - rssBefore),
    ...(global.gc ? { liveHeapBeforeMB: mb(heapBefore), peakLiveHeapMB: mb(peakLiveHeap) } : {}),
    fileMB: Math.round((statSync(file).size / 1024 / 1024) * 10) / 10,
    node: process.version,
    cpus: os.cpus().length,
  };
  console.log(JSON.stringify(result, null, 2));
  if (summary.rejected > 0 || summary.created !== rows) process.exitCode = 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
