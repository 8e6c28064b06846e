/**
 * The system under test: the four subgraphs, our gateway (Hive Gateway runtime, gateway/src/main.ts)
 * and the peer (Apollo Gateway, bench/apollo-gateway.ts), each in its own process, on free ports.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { SERVICES, serviceMain, type ServiceName } from '../../packages/common/src/subgraphs.ts';
import type { GatewayName } from './cli.ts';
import { HttpClient } from './http.ts';
import type { Processes } from './processes.ts';

export interface Stack {
  subgraphs: Record<ServiceName, string>;
  gateways: Partial<Record<GatewayName, string>>;
  /** Process ids by name, for CPU accounting. */
  pids(): Record<string, number | undefined>;
  /** PostgreSQL backends serving the benchmark's database, for CPU accounting (PostgreSQL only). */
  postgresPids?: () => Promise<number[]>;
  /** SQL statements each subgraph has sent so far. */
  statements(): Promise<Record<ServiceName, number>>;
  close(): void;
}

const HOST = '127.0.0.1';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Fresh secrets for this run: the children run with NODE_ENV=production, which requires them
 * (docs/CONFIGURATION.md). Every child gets the same ones, so the gateways' signed viewer headers
 * and staff tokens signed here are accepted.
 */
export const BENCH_SECRETS = { VIEWER_SECRET: randomBytes(32).toString('hex'), JWT_SECRET: randomBytes(32).toString('hex') };

/** Environment every child gets: the caller's, without Apollo's reporting keys, plus the run's secrets and `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...BENCH_SECRETS, ...extra };
  delete env.APOLLO_KEY;
  delete env.APOLLO_GRAPH_REF;
  return env;
}

export async function startStack(options: {
  processes: Processes;
  databaseEnv: Record<string, string>;
  postgresPids?: () => Promise<number[]>;
  gateways: GatewayName[];
  logDir: string;
}): Promise<Stack> {
  const { processes, logDir } = options;
  const ports = {} as Record<ServiceName | GatewayName, number>;
  for (const name of [...SERVICES, ...options.gateways]) ports[name] = await freePort();
  const subgraphs = Object.fromEntries(SERVICES.map((s) => [s, `http://${HOST}:${ports[s]}/graphql`])) as Record<ServiceName, string>;
  const common = {
    ...options.databaseEnv,
    NODE_ENV: 'production',
    HOST,
    EXPOSE_SQL_COUNT: 'true',
    SEED_ON_START: 'false',
    MIGRATE_ON_START: 'true',
    // The benchmarks measure the subgraphs and the gateway's planning, not the response cache.
    GATEWAY_CACHE_ENABLED: 'false',
    // Load from one address would hit the anonymous rate limit at once (docs/SECURITY.md).
    GATEWAY_RATE_LIMITS: 'false',
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_PORT`, String(ports[s])])),
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, subgraphs[s]])),
  };
  const client = new HttpClient();
  const log = (name: string) => path.join(logDir, `${name}.log`);

  for (const s of SERVICES) processes.startService(s, serviceMain(s), childEnv(common), log(s));
  const gateways: Partial<Record<GatewayName, string>> = {};
  if (options.gateways.includes('hive')) {
    processes.startService(
      'hive',
      path.join('gateway', 'src', 'main.ts'),
      childEnv({ ...common, GATEWAY_PORT: String(ports.hive) }),
      log('hive'),
    );
    gateways.hive = `http://${HOST}:${ports.hive}/graphql`;
  }
  if (options.gateways.includes('hive-nodedup')) {
    processes.startService(
      'hive-nodedup',
      path.join('bench', 'hive-gateway-nodedup.ts'),
      childEnv({ ...common, HIVE_NODEDUP_PORT: String(ports['hive-nodedup']) }),
      log('hive-nodedup'),
    );
    gateways['hive-nodedup'] = `http://${HOST}:${ports['hive-nodedup']}/graphql`;
  }
  for (const [name, planner] of [
    ['hive-rust', 'rust'],
    ['hive-js', 'js'],
  ] as const) {
    if (!options.gateways.includes(name)) continue;
    processes.startService(
      name,
      path.join('bench', 'hive-gateway-nodedup.ts'),
      childEnv({ ...common, HIVE_NODEDUP_PORT: String(ports[name]), GATEWAY_QUERY_PLANNER: planner }),
      log(name),
    );
    gateways[name] = `http://${HOST}:${ports[name]}/graphql`;
  }
  if (options.gateways.includes('apollo')) {
    processes.startService(
      'apollo',
      path.join('bench', 'apollo-gateway.ts'),
      childEnv({ ...common, APOLLO_GATEWAY_PORT: String(ports.apollo) }),
      log('apollo'),
    );
    gateways.apollo = `http://${HOST}:${ports.apollo}/graphql`;
  }

  const readyz = async (url: string) => (await client.request(new URL('/readyz', url).toString(), 'GET', undefined, 5_000)).status === 200;
  const answers = async (url: string) => {
    const res = await client.post(url, JSON.stringify({ query: '{ __typename }' }));
    return res.status === 200 && res.body.includes('"Query"');
  };
  await Promise.all([
    ...SERVICES.map((s) => processes.waitReady(s, () => readyz(subgraphs[s]))),
    ...(gateways.hive ? [processes.waitReady('hive', () => readyz(gateways.hive!))] : []),
    ...(gateways['hive-nodedup'] ? [processes.waitReady('hive-nodedup', () => readyz(gateways['hive-nodedup']!))] : []),
    ...(gateways['hive-rust'] ? [processes.waitReady('hive-rust', () => readyz(gateways['hive-rust']!))] : []),
    ...(gateways['hive-js'] ? [processes.waitReady('hive-js', () => readyz(gateways['hive-js']!))] : []),
    ...(gateways.apollo ? [processes.waitReady('apollo', () => answers(gateways.apollo!))] : []),
  ]);

  return {
    subgraphs,
    gateways,
    postgresPids: options.postgresPids,
    pids: () => Object.fromEntries([...SERVICES, ...options.gateways].map((n) => [n, processes.pid(n)])),
    async statements() {
      const counts = await Promise.all(
        SERVICES.map((s) => client.getJson<{ statements: number }>(new URL('/debug/sql-statements', subgraphs[s]).toString())),
      );
      return Object.fromEntries(SERVICES.map((s, i) => [s, counts[i]!.statements])) as Record<ServiceName, number>;
    },
    close: () => client.close(),
  };
}
