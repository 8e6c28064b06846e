/**
 * The gateway's defences (docs/SECURITY.md), assembled from the configuration: who is calling, rate
 * limits, operations by id (trusted documents and APQ), shape limits and list cost, and — in
 * production — introspection and field suggestions for staff only.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Env } from '@moral-registry/common';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Authenticate } from '../auth.ts';
import { Callers } from './caller.ts';
import { costSchema, useCostLimit } from './cost.ts';
import { openDocumentStore, type DocumentStore } from './documents.ts';
import { shapeLimitPlugins } from './limits.ts';
import { RegisteredOperations, persistedOperationPlugins } from './persisted.ts';
import { createRateLimiter } from './rate-limit.ts';
import { canonicalPathOnly, graphqlRoute } from './route.ts';
import { useStringInputLimits } from './strings.ts';
import { useReferenceArgumentChecks } from './arguments.ts';

export { authenticateOnce } from './caller.ts';

export interface Defences {
  /** Gateway plugins, in order; they identify the caller themselves (see caller.ts). */
  plugins: GatewayPlugin[];
  /** A metrics label for an operation name: the name of a registered document the request ran, else `other`. */
  operationLabel(request: Request | undefined, operationName: string | null | undefined): string;
  /** Options of createGatewayRuntime. */
  runtime: {
    batching: { limit: number } | false;
    disableIntrospection: { disableIf: (args: { context: { request: Request } }) => boolean } | undefined;
    cors: (request: Request) => CorsAnswer;
  };
  close(): Promise<void>;
}

type CorsAnswer = false | { origin: string[]; credentials: boolean; allowedHeaders: string[]; methods: string[]; maxAge: number };

/**
 * Cross-origin access (GATEWAY_CORS_ORIGINS): the configured origins, with credentials; `*`, any
 * origin without credentials; nothing configured, no CORS headers at all (a browser on another site
 * cannot read the answers). Yoga's default reflected any Origin with credentials allowed.
 */
export function corsPolicy(origins: readonly string[]): (request: Request) => CorsAnswer {
  const common = { allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id'], methods: ['GET', 'POST'], maxAge: 600 };
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin) return false;
    if (origins.includes(origin)) return { ...common, origin: [origin], credentials: true };
    if (origins.includes('*')) return { ...common, origin: ['*'], credentials: false };
    return false;
  };
}

export async function createDefences(options: {
  env: Env;
  authenticate: Authenticate;
  supergraph: string;
  graphqlPath: string;
  /** Trusted documents; by default the configured store (see documents.ts). */
  documents?: DocumentStore;
}): Promise<Defences> {
  const { env } = options;
  const production = env.NODE_ENV === 'production';
  const callers = new Callers(options.authenticate, env.GATEWAY_TRUSTED_PROXIES);
  const documents = options.documents ?? openDocumentStore(env);
  // The rule the server routes by, not a comparison of paths: see route.ts.
  const isGraphQLRoute = graphqlRoute(options.graphqlPath);
  const registered = new RegisteredOperations();
  // The supergraph as a schema of this copy of graphql (the gateway's own may come from another).
  const schema = costSchema(options.supergraph);
  const rateLimiter = env.GATEWAY_RATE_LIMITS
    ? await createRateLimiter(
        {
          windowSeconds: env.GATEWAY_RATE_LIMIT_WINDOW_SECONDS,
          points: {
            anonymous: env.GATEWAY_RATE_LIMIT_ANONYMOUS,
            partner: env.GATEWAY_RATE_LIMIT_API_KEY,
            staff: env.GATEWAY_RATE_LIMIT_STAFF,
          },
          redisUrl: env.REDIS_URL,
          keyPrefix: env.GATEWAY_RATE_LIMIT_PREFIX,
        },
        callers,
        isGraphQLRoute,
      )
    : null;

  // Every later check asks `callers` who is calling; this fills it in for each GraphQL request.
  const identify: GatewayPlugin = {
    async onRequest({ request, url, serverContext }) {
      if (!isGraphQLRoute(request, url)) return;
      const socket = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket;
      await callers.identify(request, socket?.remoteAddress);
    },
    // Answers are JSON (errors may quote what the client sent): never to be sniffed as HTML.
    onResponse({ response }) {
      response.headers.set('x-content-type-options', 'nosniff');
    },
  };

  return {
    operationLabel: (request, operationName) => registered.label(request, operationName),
    plugins: [
      canonicalPathOnly(options.graphqlPath, isGraphQLRoute),
      identify,
      ...(rateLimiter ? [rateLimiter.plugin] : []),
      ...persistedOperationPlugins({
        store: documents,
        callers,
        registered,
        partnersRegisteredOnly: production,
        apqCacheSize: env.GATEWAY_APQ_CACHE_SIZE,
        cacheMs: env.API_KEY_CACHE_SECONDS * 1000,
      }),
      ...shapeLimitPlugins(
        {
          maxDepth: env.GATEWAY_MAX_DEPTH,
          maxAliases: env.GATEWAY_MAX_ALIASES,
          maxTokens: env.GATEWAY_MAX_TOKENS,
          maxDirectives: env.GATEWAY_MAX_DIRECTIVES,
          maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
        },
        callers,
        production,
      ),
      useStringInputLimits(env.GATEWAY_MAX_STRING_LENGTH),
      useReferenceArgumentChecks(schema),
      useCostLimit(schema, env.GATEWAY_MAX_COST, {
        defaultListSize: env.GATEWAY_DEFAULT_LIST_SIZE,
        defaultPageSize: DEFAULT_PAGE_SIZE,
        maxPageSize: MAX_PAGE_SIZE,
      }),
    ],
    runtime: {
      batching: env.GATEWAY_MAX_BATCH > 0 ? { limit: env.GATEWAY_MAX_BATCH } : false,
      disableIntrospection: production ? { disableIf: ({ context }) => callers.get(context.request).kind !== 'staff' } : undefined,
      cors: corsPolicy(env.GATEWAY_CORS_ORIGINS),
    },
    async close() {
      await rateLimiter?.close();
      if (!options.documents) await documents.close();
    },
  };
}
