/**
 * The manual database-restart check of docs/RESILIENCE.md: `npm start` on a throw-away PostgreSQL
 * database, a stream of createAgency mutations through the gateway, and a real restart of the
 * PostgreSQL server in the middle of it (RESTART_COMMAND, run through the shell). The stack runs with
 * NODE_ENV=production, so the errors printed are what a caller sees: masked, no SQL. Afterwards every
 * write that answered with an id must be in the database, every other one must have answered with an
 * error, and the stack must answer again without being restarted itself. Prints the counts and
 * exits 0 when nothing committed was lost. About 30 s; not part of `npm test` (CI shares its server).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *   RESTART_COMMAND='pg_ctlcluster 15 main restart' npx tsx scripts/check-db-restart.ts
 */
import { exec, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { PROJECT_ROOT, readEnv, withPgClient } from '../packages/common/src/index.ts';
import { signStaffToken } from '../gateway/src/tokens.ts';

const url = process.env.DATABASE_URL;
const restart = process.env.RESTART_COMMAND;
if (!url || !restart) {
  console.error('Set DATABASE_URL (a server where a throw-away database may be created) and RESTART_COMMAND (how to restart it).');
  process.exit(1);
}
const began = Date.now();
const elapsed = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Spare ports, so a running `npm start` is not disturbed.
const PORTS = { GATEWAY_PORT: 25000, NETWORKS_PORT: 25001, AGENCIES_PORT: 25002, ACTIVITIES_PORT: 25003, AWARDS_PORT: 25004 };
const gateway = `http://127.0.0.1:${PORTS.GATEWAY_PORT}`;
const database = `registry_restart_check_${process.pid}`;
// The stack runs as in production (errors masked), which requires secrets: fresh ones for this run.
const secrets = { VIEWER_SECRET: randomBytes(32).toString('hex'), JWT_SECRET: randomBytes(32).toString('hex') };
const withAdmin = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => withPgClient(url, work);
await withAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
const checkUrl = new URL(url);
checkUrl.pathname = `/${database}`;

const stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
  cwd: PROJECT_ROOT,
  env: {
    ...process.env,
    ...Object.fromEntries(Object.entries(PORTS).map(([k, v]) => [k, String(v)])),
    DATABASE_URL: checkUrl.toString(),
    ...secrets,
    NODE_ENV: 'production',
    SEED_ON_START: 'true',
    LOG_LEVEL: 'warn',
    GATEWAY_RATE_LIMITS: 'false',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stackExited = false;
stack.once('exit', () => (stackExited = true));

interface Outcome {
  name: string;
  id?: string;
  error?: string;
  at: number;
}
const outcomes: Outcome[] = [];
let ok = false;
try {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    stack.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('ready in')) resolve();
    });
    stack.once('exit', (code) => reject(new Error(`npm start exited (${code})`)));
  });
  console.log(`stack ready after ${elapsed()}`);
  const token = await signStaffToken(
    { ...readEnv(), NODE_ENV: 'development', JWT_SECRET: secrets.JWT_SECRET },
    { sub: 'restart-check', role: 'PROVINCIAL_EDITOR', province: 'TH-14', name: 'scripts/check-db-restart.ts' },
  );

  let writing = true;
  const writer = async (worker: number) => {
    for (let n = 0; writing; n++) {
      const name = `ชมรมตรวจการเริ่มฐานข้อมูลใหม่ ${process.pid} ${worker}-${n}`;
      const at = Date.now();
      try {
        const response = await fetch(`${gateway}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }',
            variables: { input: { nameTh: name, kind: 'COMMUNITY', provinceCode: 'TH-14' } },
          }),
        });
        const body = (await response.json()) as { data?: { createAgency?: { agency?: { id: string } } }; errors?: { message: string }[] };
        const id = body.data?.createAgency?.agency?.id;
        outcomes.push(id ? { name, id, at } : { name, error: `${response.status} ${body.errors?.[0]?.message ?? 'no error'}`, at });
      } catch (error) {
        outcomes.push({ name, error: String(error), at });
      }
      await sleep(20);
    }
  };
  const writers = [writer(1), writer(2)];
  await sleep(3000);
  const before = outcomes.length;
  console.log(`${before} writes before the restart; restarting PostgreSQL: ${restart}`);
  const restartedAt = Date.now();
  // Asynchronously: the writers keep writing while the server goes down and comes back.
  await promisify(exec)(restart);
  console.log(`PostgreSQL restarted in ${((Date.now() - restartedAt) / 1000).toFixed(1)} s`);
  // Keep writing until writes succeed again, for at most 30 s.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && outcomes.filter((o) => o.at > restartedAt && o.id).length < 10) await sleep(200);
  writing = false;
  await Promise.all(writers);

  const succeeded = outcomes.filter((o) => o.id);
  const failed = outcomes.filter((o) => !o.id);
  const afterRestart = outcomes.filter((o) => o.at > restartedAt);
  const inDatabase = await withPgClient(checkUrl.toString(), async (client) => {
    const schema = await client.query<{ table_schema: string }>(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'Agency' LIMIT 1`,
    );
    const found = await client.query<{ id: string; nameTh: string }>(
      `SELECT id, "nameTh" FROM "${schema.rows[0]!.table_schema}"."Agency" WHERE "nameTh" LIKE $1`,
      [`ชมรมตรวจการเริ่มฐานข้อมูลใหม่ ${process.pid} %`],
    );
    return found.rows;
  });
  const storedIds = new Set(inDatabase.map((r) => r.id));
  const lost = succeeded.filter((o) => !storedIds.has(o.id!));
  // A write whose connection was cut while it committed may be stored although it answered an error.
  const appliedDespiteError = failed.filter((o) => inDatabase.some((r) => r.nameTh === o.name));
  const errors = new Map<string, number>();
  for (const o of failed) errors.set(o.error!, (errors.get(o.error!) ?? 0) + 1);
  const ready = await fetch(`${gateway}/readyz`);

  console.log(`\nwrites: ${outcomes.length}; answered with an id: ${succeeded.length}; answered with an error: ${failed.length}`);
  for (const [error, count] of errors) console.log(`  ${count} × ${error}`);
  console.log(`writes after the restart began: ${afterRestart.length}, of which succeeded: ${afterRestart.filter((o) => o.id).length}`);
  console.log(`answered with an id but missing from the database: ${lost.length}`);
  console.log(`answered with an error but stored all the same: ${appliedDespiteError.length}`);
  console.log(`gateway /readyz after: ${ready.status}; stack still running: ${!stackExited}`);
  ok = lost.length === 0 && failed.length + succeeded.length === outcomes.length && ready.status === 200 && !stackExited;
  ok &&= afterRestart.some((o) => o.id);
  console.log(ok ? '\nOK: no committed write lost, the stack recovered by itself.' : '\nFAILED.');
} finally {
  const exited = new Promise((resolve) => (stackExited ? resolve(null) : stack.once('exit', resolve)));
  stack.kill('SIGTERM');
  await exited;
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  console.log(`done in ${elapsed()}`);
}
process.exit(ok ? 0 : 1);
