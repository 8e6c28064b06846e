/**
 * The gateway's /readyz: ready when every subgraph's own /readyz (which checks its database) answers
 * 200; otherwise 503 naming the subgraphs that are not. /healthz stays 200 as long as the gateway runs.
 *
 * A load balancer that routes by /readyz takes every gateway replica out while one subgraph is down,
 * although the gateway would still answer the other subgraphs' fields: route by /healthz, and use
 * /readyz for start-up ordering and alerts (docs/RESILIENCE.md).
 */
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { ServiceName } from '@moral-registry/common';

export const READINESS_PATH = '/readyz';
/** Hive Gateway's own readiness check (the supergraph is loaded: always, it is read from a file), moved aside. */
export const SUPERGRAPH_READINESS_PATH = '/readyz/supergraph';
/** How long one subgraph's /readyz may take before it counts as unreachable. */
export const READINESS_TIMEOUT_MS = 2000;

async function probe(graphqlUrl: string): Promise<string> {
  try {
    // Relative to the GraphQL URL, so a subgraph behind a path prefix (…/agencies/graphql) is probed there.
    const response = await fetch(new URL('readyz', graphqlUrl), { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok ? 'ready' : `not ready (HTTP ${response.status})`;
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? `no answer within ${READINESS_TIMEOUT_MS} ms` : 'unreachable';
  }
}

export function subgraphReadiness(urls: Record<ServiceName, string>): GatewayPlugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== READINESS_PATH) return;
      return (async () => {
        const states = Object.fromEntries(
          await Promise.all(Object.entries(urls).map(async ([name, graphqlUrl]) => [name, await probe(graphqlUrl)] as const)),
        );
        const unavailable = Object.keys(states).filter((name) => states[name] !== 'ready');
        const body = { status: unavailable.length ? 'not ready' : 'ready', unavailable, subgraphs: states };
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: unavailable.length ? 503 : 200,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        );
      })();
    },
  };
}
