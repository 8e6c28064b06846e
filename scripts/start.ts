/**
 * `npm start`: the four subgraphs and the gateway, each in its own process. Waits until all of
 * them are ready and prints the URL; Ctrl-C stops them all cleanly.
 * Each service also starts alone: `npm start -w @moral-registry/<name>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT, SERVICES, readEnv, subgraphUrl, ConfigError } from '../packages/common/src/index.ts';

let env;
try {
  env = readEnv();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const began = Date.now();
const children = new Map<string, ChildProcess>();
let stopping = false;

function start(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
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
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 10_000))]);
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  // The gateway serves a supergraph composed at build time, so it need not wait for the subgraphs.
  for (const service of SERVICES) start(service, path.join('services', service, 'src', 'main.ts'));
  start('gateway', path.join('gateway', 'src', 'main.ts'));
  const gatewayUrl = `http://${env.HOST}:${env.GATEWAY_PORT}/graphql`;
  await Promise.all([...SERVICES.map((service) => waitReady(service, subgraphUrl(service, env))), waitReady('gateway', gatewayUrl)]);
  console.log(`\nMoral-network registry ready in ${((Date.now() - began) / 1000).toFixed(1)} s: ${gatewayUrl}\nPress Ctrl-C to stop.\n`);
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  await stopAll(1);
}
