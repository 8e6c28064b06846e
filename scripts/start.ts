/**
 * `npm start`: the four subgraphs and the gateway, each in its own process. Waits until all of
 * them are ready and prints the URL; Ctrl-C stops them all cleanly.
 *
 * `npm start -- --replicas agencies=2` (or SUBGRAPH_REPLICAS=agencies=2) runs that many processes of a
 * subgraph on consecutive ports from GATEWAY_PORT + 100, behind a round-robin proxy on the subgraph's
 * own port, so the gateway's URL for it stays the same. Replicas share the subgraph's database, so
 * this needs PostgreSQL (DATABASE_URL): PGlite allows one process per data directory.
 *
 * Each service also starts alone: `npm start -w @moral-registry/<name>`.
 *
 * Supervision: a process that stops by itself is started again (after 1 s, then 2, 4 … 30 s; it gives
 * up after 5 stops within 2 minutes), so a subgraph killed with kill -9, or stopped by a full disk,
 * comes back and its database recovers. A service whose database needs an operator (read-only,
 * corrupted, migrated by a newer version; exit code 78) is not restarted: its one-line message says
 * what to do, and the others keep serving. The children stop by themselves if this process dies (even
 * by kill -9): they watch the IPC channel to it. A second `npm start` while one runs is refused at
 * once: every embedded data directory has one owner, and the ports are checked before anything starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import httpProxy from 'http-proxy';
import {
  PROJECT_ROOT,
  SERVICES,
  readEnv,
  serviceConfig,
  serviceMain,
  subgraphUrl,
  ConfigError,
  EXIT_DATABASE_UNUSABLE,
  howToStop,
  inspectLock,
  lockedMessage,
  type LockHolder,
  type Env,
  type ServiceName,
} from '../packages/common/src/index.ts';

const MAX_REPLICAS = 16;

function fail(message: string): never {
  console.error(`[start] ${message}`);
  process.exit(1);
}

let env: Env;
try {
  env = readEnv();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}

/** `agencies=2,awards=3` → counts per subgraph; every problem is reported before anything starts. */
function parseReplicas(spec: string | undefined): Map<ServiceName, number> {
  const counts = new Map<ServiceName, number>();
  const problems: string[] = [];
  for (const part of (spec ?? '').split(',').filter((p) => p.trim())) {
    const [name = '', count = ''] = part.split('=').map((s) => s.trim());
    const n = Number(count);
    if (!(SERVICES as readonly string[]).includes(name)) problems.push(`"${name}" is not a subgraph (${SERVICES.join(', ')})`);
    else if (!Number.isInteger(n) || n < 1 || n > MAX_REPLICAS)
      problems.push(`${name}: the number of replicas must be 1 to ${MAX_REPLICAS}`);
    else if (n > 1) counts.set(name as ServiceName, n);
  }
  for (const name of counts.keys()) {
    // Each PGlite database is a directory that one process opens; a second one would corrupt it.
    if (serviceConfig(name, env).database.kind === 'pglite') {
      problems.push(
        `${name}: replicas need PostgreSQL; the embedded PGlite database allows one process per data directory. ` +
          `Set DATABASE_URL (or ${name.toUpperCase()}_DATABASE_URL) to run it on PostgreSQL.`,
      );
    }
  }
  if (problems.length) fail(`--replicas: ${problems.join('; ')}`);
  return counts;
}

const { values: args } = parseArgs({ options: { replicas: { type: 'string' } }, allowPositionals: false });
const replicas = parseReplicas(args.replicas ?? env.SUBGRAPH_REPLICAS);

/** Refuses at once what would fail later: an embedded directory another process owns, a port in use. */
async function checkNothingRuns(): Promise<void> {
  const problems: string[] = [];
  const held: { dir: string; holder: LockHolder }[] = [];
  for (const service of SERVICES) {
    const database = serviceConfig(service, env).database;
    if (database.kind !== 'pglite' || !database.dataDir) continue;
    const lock = inspectLock(database.dataDir);
    if (lock.state === 'held') held.push({ dir: database.dataDir, holder: lock.holder });
  }
  const supervisors = new Set(held.map((h) => h.holder.startedBy));
  if (held.length && supervisors.size === 1 && held[0]!.holder.startedBy) {
    const holder = held[0]!.holder;
    fail(
      `the registry already runs here: npm start (pid ${holder.startedBy}) holds ${held.map((h) => path.relative(PROJECT_ROOT, h.dir)).join(', ')} ` +
        `(an embedded database has one owner at a time). Use that one (http://${env.HOST}:${env.GATEWAY_PORT}/graphql), ` +
        `${howToStop(holder)}, or run a second registry with another DATA_DIR and other ports.`,
    );
  }
  if (held.length) fail(`an embedded database is in use:\n  ${held.map((h) => lockedMessage(h.dir, h.holder)).join('\n  ')}`);
  const ports: [string, number][] = [
    ['GATEWAY_PORT', env.GATEWAY_PORT],
    ...SERVICES.map((s) => [`${s.toUpperCase()}_PORT`, env[`${s.toUpperCase() as Uppercase<ServiceName>}_PORT`]] as [string, number]),
  ];
  for (const [name, port] of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, env.HOST, () => probe.close(() => resolve(true)));
    });
    if (!free)
      problems.push(
        `${name}=${port} is in use on ${env.HOST} by another program (another registry? try http://${env.HOST}:${port}/healthz); stop it or choose another ${name}`,
      );
  }
  if (problems.length) fail(problems.join('\n  '));
}

const began = Date.now();
const children = new Map<string, ChildProcess>();
const proxies: http.Server[] = [];
/** Names of processes that stopped for good (their database needs an operator, or they kept crashing). */
const down = new Set<string>();
let stopping = false;

const RESTART_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];
const CRASH_WINDOW_MS = 120_000;
const MAX_CRASHES = 5;
const crashes = new Map<string, number[]>();

function start(name: string, entry: string, extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    // 'ipc': the child sees 'disconnect' when this process dies, whatever killed it.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // REGISTRY_STARTED_BY: the services' lock files name this process as the one to stop.
    env: { ...process.env, ...extraEnv, REGISTRY_STARTED_BY: String(process.pid) },
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    if (code === EXIT_DATABASE_UNUSABLE) {
      down.add(name);
      console.error(`[start] ${name} cannot run until its database is fixed (see the line above); the other services keep serving`);
      return;
    }
    const now = Date.now();
    const recent = [...(crashes.get(name) ?? []).filter((t) => now - t < CRASH_WINDOW_MS), now];
    crashes.set(name, recent);
    if (recent.length > MAX_CRASHES) {
      down.add(name);
      console.error(
        `[start] ${name} stopped ${recent.length} times within ${CRASH_WINDOW_MS / 60_000} minutes; not starting it again (the others keep serving)`,
      );
      return;
    }
    const delay = RESTART_DELAYS_MS[Math.min(recent.length - 1, RESTART_DELAYS_MS.length - 1)]!;
    console.error(`[start] ${name} stopped (${signal ?? `exit code ${code}`}); starting it again in ${delay / 1000} s`);
    setTimeout(() => {
      if (!stopping) start(name, entry, extraEnv);
    }, delay).unref();
  });
  return child;
}

/**
 * A round-robin HTTP proxy on `port` in front of `targets`: what a load balancer does in production.
 * A replica that does not answer gets a 502 for that request; the next request goes to the next one.
 */
async function roundRobinProxy(name: string, port: number, targets: string[]): Promise<http.Server> {
  const proxy = httpProxy.createProxyServer({ agent: new http.Agent({ keepAlive: true }), xfwd: true });
  proxy.on('error', (error, _req, res) => {
    if (res instanceof http.ServerResponse && !res.headersSent) {
      res
        .writeHead(502, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ errors: [{ message: `${name}: replica unavailable (${error.message})`, extensions: { code: 'BAD_GATEWAY' } }] }),
        );
    } else res.destroy();
  });
  let next = 0;
  const server = http.createServer((req, res) => proxy.web(req, res, { target: targets[next++ % targets.length] }));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, env.HOST, resolve));
  return server;
}

/**
 * Waits until `url`'s probe answers 200. A first start on an empty DATA_DIR creates, migrates and fills
 * four databases, which takes minutes on a busy machine: no deadline while the process runs, a note
 * every 30 s; a process that stopped for good ends the wait.
 */
async function waitReady(name: string, url: string, probe = '/readyz'): Promise<void> {
  const target = new URL(probe, url).toString();
  const began = Date.now();
  let noted = began;
  for (;;) {
    if (down.has(name)) throw new Error(`${name} is down`);
    try {
      if ((await fetch(target)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - noted >= 30_000) {
      noted = Date.now();
      console.log(
        `[start] still waiting for ${name} after ${Math.round((noted - began) / 1000)} s (a first start creates, migrates and fills its database)`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopAll(code: number): Promise<void> {
  stopping = true;
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  // The services drain for up to SHUTDOWN_TIMEOUT_MS; give them that and a little more.
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, env.SHUTDOWN_TIMEOUT_MS + env.SHUTDOWN_DELAY_MS + 5_000))]);
  for (const proxy of proxies) proxy.closeAllConnections();
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

await checkNothingRuns();
try {
  const ready: Promise<void>[] = [];
  let replicaPort = env.GATEWAY_PORT + 100;
  for (const service of SERVICES) {
    const entry = serviceMain(service);
    const count = replicas.get(service) ?? 1;
    if (count === 1) {
      start(service, entry);
      ready.push(waitReady(service, subgraphUrl(service, env)));
      continue;
    }
    const ports = Array.from({ length: count }, () => replicaPort++);
    ports.forEach((port, i) => {
      const name = `${service}#${i + 1}`;
      start(name, entry, { [`${service.toUpperCase()}_PORT`]: String(port) });
      ready.push(waitReady(name, `http://${env.HOST}:${port}/graphql`));
    });
    const port = env[`${service.toUpperCase() as Uppercase<ServiceName>}_PORT`];
    proxies.push(
      await roundRobinProxy(
        service,
        port,
        ports.map((p) => `http://${env.HOST}:${p}`),
      ),
    );
    console.log(`[start] ${service}: ${count} replicas on ports ${ports.join(', ')}, round-robin behind port ${port}`);
  }
  // The gateway serves a supergraph composed at build time, so it need not wait for the subgraphs.
  start('gateway', path.join('gateway', 'src', 'main.ts'));
  const gatewayUrl = `http://${env.HOST}:${env.GATEWAY_PORT}/graphql`;
  // The gateway after the subgraphs, on /healthz: its /readyz asks them all again, and says 503 (a
  // warning in its log) until they are up.
  const outcomes = await Promise.allSettled(ready);
  outcomes.push(...(await Promise.allSettled([waitReady('gateway', gatewayUrl, '/healthz')])));
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (down.has('gateway') || failed.some((o) => !/ is down$/.test((o.reason as Error).message))) {
    throw new Error(failed.map((o) => (o.reason as Error).message).join('; '));
  }
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  if (down.size) {
    console.log(
      `\nMoral-network registry running WITHOUT ${[...down].join(', ')} (see above) after ${seconds} s: ${gatewayUrl}\nPress Ctrl-C to stop.\n`,
    );
  } else console.log(`\nMoral-network registry ready in ${seconds} s: ${gatewayUrl}\nPress Ctrl-C to stop.\n`);
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  await stopAll(1);
}
