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
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import httpProxy from 'http-proxy';
import {
  PROJECT_ROOT,
  SERVICES,
  readEnv,
  serviceConfig,
  subgraphUrl,
  ConfigError,
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

const began = Date.now();
const children = new Map<string, ChildProcess>();
const proxies: http.Server[] = [];
let stopping = false;

function start(name: string, entry: string, extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...extraEnv },
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping the others`);
      void stopAll(1);
    }
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

async function waitReady(name: string, url: string, timeoutMs = 120_000): Promise<void> {
  const readyz = new URL('/readyz', url).toString();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited before it was ready`);
    try {
      if ((await fetch(readyz)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not ready at ${readyz} within ${timeoutMs / 1000} s`);
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

try {
  const ready: Promise<void>[] = [];
  let replicaPort = env.GATEWAY_PORT + 100;
  for (const service of SERVICES) {
    const entry = path.join('services', service, 'src', 'main.ts');
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
  await Promise.all([...ready, waitReady('gateway', gatewayUrl)]);
  console.log(`\nMoral-network registry ready in ${((Date.now() - began) / 1000).toFixed(1)} s: ${gatewayUrl}\nPress Ctrl-C to stop.\n`);
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  await stopAll(1);
}
