/**
 * The gateway: Hive Gateway's runtime serving the supergraph composed at build time
 * (schema/supergraph.graphql), with the subgraph URLs taken from configuration.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { unifiedGraphHandler as routerRuntime } from '@graphql-hive/router-runtime';
import {
  PROJECT_ROOT,
  REQUEST_ID_HEADER,
  SERVICES,
  VIEWER_HEADER,
  currentLanguage,
  gracefulServer,
  languageOf,
  operationsConfig,
  readEnv,
  signViewer,
  subgraphUrl,
  viewerSecret,
  withLanguage,
  type Env,
  type ServiceName,
  type Viewer,
} from '@moral-registry/common';
import { openApiKeyStore, type ApiKeyStore } from './api-keys.ts';
import { createAuthenticator } from './auth.ts';
import { DEFAULT_QUERY, consolePlugin, renderConsole } from './console.ts';
import { exportsPlugin } from './exports.ts';
import { createObservability } from './observability.ts';
import { authenticateOnce, createDefences } from './security/index.ts';
import type { DocumentStore } from './security/documents.ts';
import { SUPERGRAPH_READINESS_PATH, resiliencePlugins } from './resilience/index.ts';

export { signStaffToken } from './tokens.ts';
export { openApiKeyStore, FileApiKeyStore, PostgresApiKeyStore, type ApiKeyStore, type ApiKey } from './api-keys.ts';
export {
  openDocumentStore,
  FileDocumentStore,
  PostgresDocumentStore,
  type DocumentStore,
  type TrustedDocument,
} from './security/documents.ts';

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
  /** Trusted documents; by default the configured store (see security/documents.ts). */
  documents?: DocumentStore;
}

interface AuthContext {
  viewer: Viewer;
  requestId: string;
  viewerHeader?: Promise<string>;
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
  const apiKeys = options.apiKeys ?? openApiKeyStore(env);
  // Memoized per request: the defences below identify the caller before the auth plugin runs.
  const authenticate = authenticateOnce(createAuthenticator(env, apiKeys));
  const secret = viewerSecret(env);
  // --- Operations (docs/OPERATIONS.md): request ids, JSON logs, /metrics, tracing, draining ---
  const operations = operationsConfig(env);
  const ops = await createObservability(operations);
  // --- end of operations ---
  // Authenticates each request once, before planning; bad credentials end it with 401.
  const authPlugin: GatewayPlugin<AuthContext> = {
    async onContextBuilding({ context, extendContext }) {
      extendContext({ viewer: await authenticate(context.request.headers), requestId: ops.requestIdOf(context.request) });
    },
  };
  const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
  // --- Caching and failures (docs/RESILIENCE.md): response cache, upstream timeouts and retries,
  // subgraph failures named in the answer, /readyz asking every subgraph ---
  const resilience = await resiliencePlugins({
    env,
    urls: urls as Record<ServiceName, string>,
    supergraph,
  });
  // --- end of caching and failures ---
  // --- Defences (docs/SECURITY.md): rate limits, trusted documents and APQ, shape limits, list cost,
  // introspection and field suggestions for staff only in production ---
  const defences = await createDefences({
    env,
    authenticate,
    supergraph,
    graphqlPath: '/graphql',
    documents: options.documents,
  });
  // --- end of defences ---
  // Downloads (exports.ts) read through this runtime's own GraphQL endpoint, in process.
  let graphql: ((request: Request, serverContext: Record<string, unknown>) => Promise<Response>) | null = null;
  const runtime = createGatewayRuntime<AuthContext>({
    ...defences.runtime,
    supergraph: supergraphWithUrls(supergraph, urls),
    ...(env.GATEWAY_QUERY_PLANNER === 'rust' ? { unifiedGraphHandler: routerRuntime } : {}),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    // /readyz belongs to resilience (it asks every subgraph); Hive Gateway's own check moves aside.
    readinessCheckEndpoint: SUPERGRAPH_READINESS_PATH,
    // GraphiQL and the landing page from the gateway's own assets (console.ts), never from a CDN.
    landingPage: false,
    graphiql: production ? false : { title: 'ทะเบียนเครือข่ายคุณธรรม · GraphiQL', defaultQuery: DEFAULT_QUERY },
    renderGraphiQL: renderConsole,
    maskedErrors: production,
    // Operations: our pino logger, and our request id (observability.ts) instead of Hive Gateway's.
    logging: ops.logging,
    requestId: false,
    plugins: (context) => [
      ...ops.plugins(context, defences.operationLabel),
      consolePlugin({ graphqlPath: '/graphql', landingPage: !production, console: !production }),
      exportsPlugin({
        graphqlPath: '/graphql',
        authenticate,
        graphql: (request, serverContext) => graphql!(request, serverContext),
        onError: (error) => ops.logger.error({ err: error }, 'export failed'),
      }),
      authPlugin,
      ...defences.plugins,
      ...resilience,
    ],
    // The viewer goes to every subgraph in a header signed with the shared secret (see viewer.ts).
    propagateHeaders: {
      async fromClientToSubgraphs({ context }) {
        if (!context.viewer) return {};
        context.viewerHeader ??= signViewer(context.viewer, secret, env.VIEWER_TTL_SECONDS);
        return {
          [VIEWER_HEADER]: await context.viewerHeader,
          [REQUEST_ID_HEADER]: context.requestId,
          'accept-language': currentLanguage(),
        };
      },
    },
  });
  graphql = async (request, serverContext) => runtime.fetch(request, serverContext);
  // Messages in the language the caller prefers (Accept-Language; packages/common/src/i18n), here and,
  // through the header below, in every subgraph.
  const server = http.createServer((req, res) => withLanguage(languageOf(req.headers['accept-language']), () => runtime(req, res)));
  const graceful = gracefulServer(server, { timeoutMs: operations.shutdownTimeoutMs, delayMs: operations.shutdownDelayMs });
  const host = options.host ?? env.HOST;
  await new Promise<void>((resolve) => server.listen(options.port ?? env.GATEWAY_PORT, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    close: async () => {
      // Operations: /readyz fails, then in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS).
      ops.beginShutdown();
      await graceful.close();
      await runtime.dispose();
      await defences.close();
      if (!options.apiKeys) await apiKeys.close();
    },
  };
}
