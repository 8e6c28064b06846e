/**
 * The gateway: Hive Gateway's runtime serving the supergraph composed at build time
 * (schema/supergraph.graphql), with the subgraph URLs taken from configuration.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import {
  PROJECT_ROOT,
  REQUEST_ID_HEADER,
  SERVICES,
  VIEWER_HEADER,
  readEnv,
  signViewer,
  subgraphUrl,
  viewerSecret,
  type Env,
  type ServiceName,
  type Viewer,
} from '@moral-registry/common';
import { openApiKeyStore, type ApiKeyStore } from './api-keys.ts';
import { createAuthenticator } from './auth.ts';

export { signStaffToken } from './tokens.ts';
export { openApiKeyStore, FileApiKeyStore, PostgresApiKeyStore, type ApiKeyStore, type ApiKey } from './api-keys.ts';

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
  /** API keys; by default the configured store (see api-keys.ts). */
  apiKeys?: ApiKeyStore;
}

interface AuthContext {
  viewer: Viewer;
  requestId: string;
  viewerHeader?: Promise<string>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface RunningGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? readEnv();
  const urls = Object.fromEntries(SERVICES.map((s) => [s, options.subgraphUrls?.[s] ?? subgraphUrl(s, env)]));
  const production = env.NODE_ENV === 'production';
  const apiKeys = options.apiKeys ?? openApiKeyStore(env);
  const authenticate = createAuthenticator(env, apiKeys);
  const secret = viewerSecret(env);
  // Authenticates each request once, before planning; bad credentials end it with 401.
  const authPlugin: GatewayPlugin<AuthContext> = {
    async onContextBuilding({ context, extendContext }) {
      const incoming = context.request.headers.get(REQUEST_ID_HEADER);
      const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      extendContext({ viewer: await authenticate(context.request.headers), requestId });
    },
  };
  const runtime = createGatewayRuntime<AuthContext>({
    supergraph: supergraphWithUrls(readFileSync(SUPERGRAPH_PATH, 'utf8'), urls),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    landingPage: !production,
    graphiql: !production,
    maskedErrors: production,
    logging: env.NODE_ENV === 'test' ? 'error' : 'info',
    plugins: () => [authPlugin],
    // The viewer goes to every subgraph in a header signed with the shared secret (see viewer.ts).
    propagateHeaders: {
      async fromClientToSubgraphs({ context }) {
        if (!context.viewer) return {};
        context.viewerHeader ??= signViewer(context.viewer, secret, env.VIEWER_TTL_SECONDS);
        return { [VIEWER_HEADER]: await context.viewerHeader, [REQUEST_ID_HEADER]: context.requestId };
      },
    },
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
      if (!options.apiKeys) await apiKeys.close();
    },
  };
}
