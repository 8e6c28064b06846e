/**
 * The gateway: Hive Gateway's runtime serving the supergraph composed at build time
 * (schema/supergraph.graphql), with the subgraph URLs taken from configuration.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { PROJECT_ROOT, SERVICES, readEnv, subgraphUrl, type Env, type ServiceName } from '@moral-registry/common';

export const SUPERGRAPH_PATH = path.join(PROJECT_ROOT, 'schema', 'supergraph.graphql');

/** Points each `@join__graph` of the committed supergraph at the URL where that subgraph runs. */
export function supergraphWithUrls(sdl: string, urls: Partial<Record<ServiceName, string>>): string {
  let result = sdl;
  for (const [name, url] of Object.entries(urls)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(result)) throw new Error(`The supergraph has no subgraph named "${name}"`);
    result = result.replace(pattern, `$1${url}$2`);
  }
  return result;
}

export interface GatewayOptions {
  host?: string;
  port?: number;
  /** Subgraph URLs; by default from NETWORKS_URL... or the configured ports. */
  subgraphUrls?: Partial<Record<ServiceName, string>>;
  env?: Env;
}

export interface RunningGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? readEnv();
  const urls = Object.fromEntries(SERVICES.map((s) => [s, options.subgraphUrls?.[s] ?? subgraphUrl(s, env)]));
  const production = env.NODE_ENV === 'production';
  const runtime = createGatewayRuntime({
    supergraph: supergraphWithUrls(readFileSync(SUPERGRAPH_PATH, 'utf8'), urls),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    landingPage: !production,
    graphiql: !production,
    maskedErrors: production,
    logging: env.NODE_ENV === 'test' ? 'error' : 'info',
  });
  const server = http.createServer(runtime);
  const host = options.host ?? env.HOST;
  await new Promise<void>((resolve) => server.listen(options.port ?? env.GATEWAY_PORT, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.dispose();
    },
  };
}
