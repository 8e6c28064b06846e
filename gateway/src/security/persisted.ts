/**
 * Operations sent by id (docs/SECURITY.md, "Trusted documents"):
 *
 * - trusted documents, registered with `npm run documents`, run by `documentId` (or the Apollo
 *   `extensions.persistedQuery.sha256Hash`); in production a PARTNER caller may run nothing else;
 * - automatic persisted queries (APQ) for everyone else, the public portal first: a client sends the
 *   hash alone, gets PersistedQueryNotFound the first time, sends the query with its hash once, and
 *   from then on the hash alone works (kept in memory, per replica).
 *
 * The plugins are Yoga's: APQ's registration step runs first, then the persisted-operations lookup,
 * which tries the trusted documents and then the APQ cache.
 */
import { createGraphQLError } from '@graphql-tools/utils';
import { createInMemoryAPQStore, useAPQ } from '@graphql-yoga/plugin-apq';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Callers } from './caller.ts';
import type { DocumentStore, TrustedDocument } from './documents.ts';
import { t } from '@moral-registry/common';

export const DOCUMENT_CODES = {
  notFound: 'PERSISTED_QUERY_NOT_FOUND',
  registeredOnly: 'PERSISTED_QUERY_ONLY',
  mismatch: 'PERSISTED_QUERY_MISMATCH',
} as const;

export interface PersistedOptions {
  store: DocumentStore;
  callers: Callers;
  /** Partner callers may run registered documents only (production). */
  partnersRegisteredOnly: boolean;
  /** Queries the APQ cache keeps; 0 turns APQ off. */
  apqCacheSize: number;
  /** How long a registered document found by id is remembered. */
  cacheMs: number;
}

const APQ_TTL_MS = 24 * 3600 * 1000;
const REMEMBERED_DOCUMENTS = 1000;

/** Looks documents up by id, remembering those found for a while (ids are content hashes). */
function rememberingLookup(store: DocumentStore, cacheMs: number): (id: string) => Promise<TrustedDocument[]> {
  const found = new Map<string, { documents: TrustedDocument[]; until: number }>();
  return async (id) => {
    const hit = found.get(id);
    if (hit && hit.until > Date.now()) return hit.documents;
    const documents = await store.find(id);
    if (cacheMs > 0 && documents.length) {
      if (found.size >= REMEMBERED_DOCUMENTS) found.delete(found.keys().next().value!);
      found.set(id, { documents, until: Date.now() + cacheMs });
    }
    return documents;
  };
}

/** `documentId` in the body (or a GET's query string), else the Apollo APQ hash. */
function documentIdOf(params: { extensions?: Record<string, any> } & Record<string, unknown>, request: Request): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  if (request.method === 'GET') {
    const id = new URL(request.url).searchParams.get('documentId');
    if (id) return id;
  }
  const apq = params.extensions?.persistedQuery;
  return apq?.version === 1 && typeof apq.sha256Hash === 'string' ? apq.sha256Hash : null;
}

/**
 * The operation names of the registered document each request ran, if it ran one: the only operation
 * names worth a metrics label (anything a caller makes up is `other`, see observability.ts).
 */
export class RegisteredOperations {
  private readonly byRequest = new WeakMap<Request, readonly string[]>();
  record(request: Request, document: TrustedDocument): void {
    this.byRequest.set(request, document.operationNames);
  }
  /** `operationName` if the request ran a registered document with that operation, else `other`. */
  label(request: Request | undefined, operationName: string | null | undefined): string {
    const names = request && this.byRequest.get(request);
    if (!names?.length) return 'other';
    const name = operationName ?? (names.length === 1 ? names[0] : null);
    return name && names.includes(name) ? name : 'other';
  }
}

export function persistedOperationPlugins(options: PersistedOptions & { registered: RegisteredOperations }): GatewayPlugin[] {
  const { callers } = options;
  const registeredOnly = (request: Request) => options.partnersRegisteredOnly && callers.get(request).kind === 'partner';
  const lookup = rememberingLookup(options.store, options.cacheMs);
  const apqStore = createInMemoryAPQStore({ max: Math.max(1, options.apqCacheSize), ttl: APQ_TTL_MS });
  const apq = useAPQ({ store: apqStore });

  // APQ's second step only (a query with its hash): the hash-alone lookup is the one below.
  const apqRegistration: GatewayPlugin = {
    onParams(payload) {
      if (!options.apqCacheSize || payload.params.query == null || registeredOnly(payload.request)) return;
      return apq.onParams!(payload as never) as never;
    },
  };

  const persisted = usePersistedOperations({
    allowArbitraryOperations: (request) => !registeredOnly(request),
    extractPersistedOperationId: (params, request) => documentIdOf(params as never, request),
    async getPersistedOperation(id, request) {
      const caller = callers.get(request);
      const registered = (await lookup(id)).find((d) => caller.kind !== 'partner' || d.keyId === null || d.keyId === caller.apiKeyId);
      if (registered) {
        options.registered.record(request, registered);
        return registered.document;
      }
      if (registeredOnly(request) || !options.apqCacheSize) return null;
      return (await apqStore.get(id)) ?? null;
    },
    customErrors: {
      // The message Apollo clients look for to send the query with its hash (APQ).
      notFound: { message: 'PersistedQueryNotFound', extensions: { code: DOCUMENT_CODES.notFound, http: { status: 404 } } },
      // Made per request: in the caller's language (with the runtime's own GraphQLError, so it keeps its status).
      persistedQueryOnly: () =>
        createGraphQLError(t('documents.registeredOnly'), { extensions: { code: DOCUMENT_CODES.registeredOnly, http: { status: 403 } } }),
      keyNotFound: () => createGraphQLError(t('documents.sendQuery'), { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } }),
    },
  });
  return [apqRegistration, persisted as GatewayPlugin];
}
