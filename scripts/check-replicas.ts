/**
 * The manual statelessness check of docs/OPERATIONS.md: `npm start -- --replicas agencies=2` on a
 * throw-away PostgreSQL database, a write through one agencies replica, the same record read through
 * the other one and through the gateway (whose agencies URL is the round-robin proxy). Prints what
 * each answered and exits 0 when both replicas agree. About 20 s; not part of `npm test`.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx scripts/check-replicas.ts
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { DEVELOPMENT_VIEWER_SECRET, PROJECT_ROOT, SERVICES, VIEWER_HEADER, signViewer } from '../packages/common/src/index.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to a PostgreSQL server where a throw-away database may be created.');
  process.exit(1);
}
const began = Date.now();
const elapsed = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;

// Spare ports, so a running `npm start` is not disturbed; replicas take GATEWAY_PORT + 100 onwards.
const PORTS = { GATEWAY_PORT: 24000, ...Object.fromEntries(SERVICES.map((s, i) => [`${s.toUpperCase()}_PORT`, 24001 + i])) };
const REPLICAS = [24100, 24101];
const database = `registry_replica_check_${process.pid}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}"`);
const checkUrl = new URL(url);
checkUrl.pathname = `/${database}`;

const stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--replicas', 'agencies=2'], {
  cwd: PROJECT_ROOT,
  env: {
    ...process.env,
    ...Object.fromEntries(Object.entries(PORTS).map(([k, v]) => [k, String(v)])),
    DATABASE_URL: checkUrl.toString(),
    SEED_ON_START: 'true',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let ok = false;
try {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    stack.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      out += chunk.toString('utf8');
      if (out.includes('ready in')) resolve();
    });
    stack.once('exit', (code) => reject(new Error(`npm start exited (${code})`)));
  });
  console.log(`stack ready after ${elapsed()}\n`);

  const viewer = await signViewer(
    { id: 'replica-check', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14', name: 'replica check' },
    DEVELOPMENT_VIEWER_SECRET,
  );
  const ask = async (port: number, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return JSON.stringify(await response.json());
  };

  const input = { nameTh: `ชมรมตรวจสำเนา ${process.pid}`, kind: 'COMMUNITY', provinceCode: 'TH-14' };
  const created = await ask(
    REPLICAS[0]!,
    'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id nameTh version } } }',
    { input },
    { [VIEWER_HEADER]: viewer },
  );
  console.log(`write through replica 1 (port ${REPLICAS[0]}): ${created}`);
  const id = (JSON.parse(created) as { data: { createAgency: { agency: { id: string } } } }).data.createAgency.agency.id;
  const read = await ask(REPLICAS[1]!, 'query ($id: ID!) { agency(id: $id) { id nameTh version } }', { id }, { [VIEWER_HEADER]: viewer });
  console.log(`read through replica 2 (port ${REPLICAS[1]}): ${read}`);
  const viaGateway = await ask(PORTS.GATEWAY_PORT, 'query ($id: ID!) { agency(id: $id) { nameTh } }', { id });
  console.log(`read through the gateway (port ${PORTS.GATEWAY_PORT}): ${viaGateway}`);
  ok = read.includes(id) && read.includes(input.nameTh) && viaGateway.includes(input.nameTh);
  console.log(ok ? '\nOK: what one replica wrote, the other read.' : '\nFAILED: the replicas disagree.');
} finally {
  const exited = new Promise((resolve) => stack.once('exit', resolve));
  stack.kill('SIGTERM');
  await exited;
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
  console.log(`done in ${elapsed()}`);
}
process.exit(ok ? 0 : 1);
