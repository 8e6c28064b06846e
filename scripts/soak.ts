/**
 * Soak test of the embedded default (by hand, not in CI; docs/RESILIENCE.md): `npm start` on a fresh
 * DATA_DIR, then mixed reads and writes through the gateway for a while, sampling every process's
 * resident memory (each one's `/metrics`, process_resident_memory_bytes) once a minute, and looking
 * through everything the processes printed for warnings and errors at the end.
 *
 *   npx tsx scripts/soak.ts [--minutes 10] [--clients 4] [--base-port 24000]
 *
 * Ports: gateway on --base-port, subgraphs on the next four. Exit code 1 when a request failed, a
 * warning or error was printed, or a process grew by more than 25 % from the first sample to the last.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, SERVICES, readEnv } from '../packages/common/src/index.ts';
import { signStaffToken } from '../gateway/src/tokens.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    clients: { type: 'string', default: '4' },
    'base-port': { type: 'string', default: '24000' },
  },
});
const minutes = Number(values.minutes);
const clients = Number(values.clients);
const base = Number(values['base-port']);
const dataDir = mkdtempSync(path.join(tmpdir(), 'registry-soak-'));
// The gateway on the base port, the subgraphs of the registry on the ports after it.
const ports: Record<string, number> = { gateway: base, ...Object.fromEntries(SERVICES.map((s, i) => [s, base + 1 + i])) };
const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;

let log = '';
const stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
  cwd: PROJECT_ROOT,
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    GATEWAY_PORT: String(ports.gateway),
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_PORT`, String(ports[s])])),
    GATEWAY_RATE_LIMITS: 'false',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
stack.stdout.on('data', (d: Buffer) => (log += d.toString()));
stack.stderr.on('data', (d: Buffer) => (log += d.toString()));

const stop = async () => {
  stack.kill('SIGINT');
  await new Promise((r) => stack.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
};

const began = Date.now();
while (!log.includes('ready in')) {
  if (stack.exitCode !== null || Date.now() - began > 900_000) {
    console.error(`the stack did not start:\n${log}`);
    if (stack.exitCode === null) await stop();
    else rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`stack ready in ${((Date.now() - began) / 1000).toFixed(1)} s on ${dataDir}`);
// Warnings count from here: what the soak is about is the stack running, not its first start.
const startupLog = log.length;

const token = await signStaffToken(readEnv(), { sub: 'soak', role: 'NATIONAL_ADMIN', name: 'ทดสอบความทนทาน (soak)' });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
async function graphql(query: string): Promise<{ data?: any; errors?: { message: string }[] }> {
  const response = await fetch(gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

const READS = [
  `{ province(code: "TH-14") { nameTh agencyStats { total } networks { nameTh agencyCount } activities(fiscalYear: 2565, first: 5) { totalCount } } }`,
  `{ provinces { code nameTh agencyStats { total nationalRank } activityStats(fiscalYear: 2565) { count participantCount } recognitionStats(fiscalYear: 2565) { total } } }`,
  `{ agencies(provinceCode: "TH-38", first: 20) { totalCount edges { node { id nameTh version } } } }`,
];
const counts = { reads: 0, writes: 0, updates: 0, failures: 0 };
const failures: string[] = [];
const created: { id: string; version: number }[] = [];
let running = true;

async function client(n: number) {
  for (let i = 0; running; i++) {
    const roll = Math.random();
    try {
      if (roll < 0.2) {
        const result = await graphql(
          `mutation { createAgency(input: { nameTh: "ชมรมทดสอบความทนทาน ${n}-${i}-${Date.now()}", kind: COMMUNITY, provinceCode: "TH-38" }) { agency { id version } } }`,
        );
        if (result.errors) throw new Error(result.errors[0]!.message);
        created.push(result.data.createAgency.agency);
        counts.writes += 1;
      } else if (roll < 0.3 && created.length) {
        const agency = created[Math.floor(Math.random() * created.length)]!;
        const result = await graphql(
          `mutation { updateAgency(input: { id: "${agency.id}", version: ${agency.version}, nameEn: "Soak ${i}" }) { agency { version } } }`,
        );
        // Another client may have changed it first: a CONFLICT is the expected answer then.
        if (result.errors && !/version/i.test(result.errors[0]!.message)) throw new Error(result.errors[0]!.message);
        if (result.data?.updateAgency) agency.version = result.data.updateAgency.agency.version;
        counts.updates += 1;
      } else {
        const result = await graphql(READS[i % READS.length]!);
        if (result.errors) throw new Error(result.errors[0]!.message);
        counts.reads += 1;
      }
    } catch (error) {
      counts.failures += 1;
      if (failures.length < 10) failures.push((error as Error).message);
    }
  }
}

async function rss(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [name, port] of Object.entries(ports)) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const match = /^process_resident_memory_bytes(?:\{[^}]*\})? (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text);
      result[name] = match ? Number(match[1]) / 1024 / 1024 : NaN;
    } catch {
      result[name] = NaN;
    }
  }
  return result;
}

const samples: { minute: number; rss: Record<string, number> }[] = [];
const workers = Array.from({ length: clients }, (_, n) => client(n));
const soakBegan = Date.now();
samples.push({ minute: 0, rss: await rss() });
for (let minute = 1; minute <= minutes; minute++) {
  await new Promise((r) => setTimeout(r, 60_000));
  samples.push({ minute, rss: await rss() });
  const last = samples.at(-1)!.rss;
  console.log(
    `minute ${minute}: ${counts.reads} reads, ${counts.writes} creates, ${counts.updates} updates, ${counts.failures} failures; RSS MB ${Object.entries(
      last,
    )
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ')}`,
  );
}
running = false;
await Promise.all(workers);
const seconds = (Date.now() - soakBegan) / 1000;
await stop();

// The baseline is the sample after one minute: the first minute fills caches, compiles hot code and
// grows the heaps to their working size (the gateway's most of all).
const ready = samples[0]!.rss;
const first = (samples[1] ?? samples[0]!).rss;
const last = samples.at(-1)!.rss;
console.log(
  `\n${minutes} min, ${clients} clients: ${counts.reads} reads, ${counts.writes} creates, ${counts.updates} updates (${((counts.reads + counts.writes + counts.updates) / seconds).toFixed(1)} req/s), ${counts.failures} failures`,
);
console.log('process      RSS when ready (MB)  after 1 min (MB)  at end (MB)  change from 1 min');
let grew = false;
for (const name of Object.keys(ports)) {
  const change = (last[name]! - first[name]!) / first[name]!;
  if (change > 0.25) grew = true;
  console.log(
    `${name.padEnd(12)} ${ready[name]!.toFixed(1).padStart(19)} ${first[name]!.toFixed(1).padStart(17)} ${last[name]!.toFixed(1).padStart(12)} ${`${(change * 100).toFixed(1)} %`.padStart(18)}`,
  );
}
const warnings = log
  .slice(startupLog)
  .split('\n')
  .filter((line) => /Warning|"level":(40|50|60)|\[start\] .*stopped/.test(line));
console.log(`warnings and errors printed by the stack: ${warnings.length}`);
for (const line of warnings.slice(0, 20)) console.log(`  ${line.slice(0, 300)}`);
if (failures.length) console.log(`first failures:\n  ${failures.join('\n  ')}`);
process.exit(counts.failures || warnings.length || grew ? 1 : 0);
