/**
 * Asking another subgraph: a subgraph that must check a reference it does not own (an agency's
 * network, an activity's participating agencies, a recognition's recipient) asks the owning subgraph
 * directly through its federation entry point `_entities`, forwarding the viewer in a freshly signed
 * header. It never reads another subgraph's tables.
 */
import { GraphQLError } from 'graphql';
import type { ServiceName } from './config.ts';
import { REQUEST_ID_HEADER, VIEWER_HEADER, signViewer, type Viewer } from './viewer.ts';
import { currentLanguage, t } from './i18n/index.ts';

export interface Peers {
  /**
   * The entities of `typename` with these keys, in the same order, null where the owner knows none.
   * `selection` is the selection set inside `... on Type { }`.
   */
  entities<T>(service: ServiceName, typename: string, keys: readonly Record<string, unknown>[], selection: string): Promise<(T | null)[]>;
  /** Runs a query on another subgraph (e.g. a lookup by name) and returns its data. */
  query<T>(service: ServiceName, document: string, variables?: Record<string, unknown>): Promise<T>;
}

export function peerUnavailable(service: ServiceName, reason: string): GraphQLError {
  return new GraphQLError(t('error.peerUnavailable', { service, reason }), {
    extensions: { code: 'SERVICE_UNAVAILABLE', service },
  });
}

export function createPeers(options: {
  urls: Partial<Record<ServiceName, string>>;
  secret: string;
  /** Lifetime of the signed viewer header (the peers refuse longer-lived ones). */
  ttlSeconds?: number;
  viewer: Viewer;
  requestId?: string | null;
  timeoutMs?: number;
}): Peers {
  async function post<T>(service: ServiceName, query: string, variables: Record<string, unknown>): Promise<T> {
    const url = options.urls[service];
    if (!url) throw peerUnavailable(service, 'its URL is not configured');
    let body: { data?: T | null; errors?: { message: string }[] };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [VIEWER_HEADER]: await signViewer(options.viewer, options.secret, options.ttlSeconds),
          ...(options.requestId ? { [REQUEST_ID_HEADER]: options.requestId } : {}),
          // A peer's refusal may reach the caller: in the caller's language.
          'accept-language': currentLanguage(),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw peerUnavailable(service, (error as Error).name === 'TimeoutError' ? 'no answer in time' : 'not reachable');
    }
    if (!body.data || body.errors?.length) throw peerUnavailable(service, body.errors?.[0]?.message ?? 'no data');
    return body.data;
  }
  return {
    async entities<T>(service: ServiceName, typename: string, keys: readonly Record<string, unknown>[], selection: string) {
      if (keys.length === 0) return [];
      const query = `query Peer($keys: [_Any!]!) { _entities(representations: $keys) { ... on ${typename} { ${selection} } } }`;
      const data = await post<{ _entities: (T | null)[] }>(service, query, { keys: keys.map((k) => ({ __typename: typename, ...k })) });
      return data._entities.map((e) => (e && Object.keys(e).length ? e : null));
    },
    query: <T>(service: ServiceName, document: string, variables: Record<string, unknown> = {}) => post<T>(service, document, variables),
  };
}
