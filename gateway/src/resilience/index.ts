/**
 * Caching and failures at the gateway (docs/RESILIENCE.md): the response cache for public reads,
 * upstream timeouts and retries, subgraph failures named in the answer, identical reads in flight
 * sent once, and a /readyz that asks every subgraph.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Env, ServiceName } from '@moral-registry/common';
import { responseCachePlugins } from './cache.ts';
import { subgraphReadiness } from './readiness.ts';
import { sharedReads } from './shared-reads.ts';
import { upstreamPlugins } from './upstream.ts';
import { endSubgraphSignals } from './signals.ts';

export { READINESS_PATH, SUPERGRAPH_READINESS_PATH } from './readiness.ts';

export interface ResilienceOptions {
  env: Env;
  urls: Record<ServiceName, string>;
  supergraph: string;
}

export async function resiliencePlugins({ env, urls, supergraph }: ResilienceOptions): Promise<GatewayPlugin[]> {
  const log = (message: string, error: unknown) => console.error(`[gateway] ${message}: ${(error as Error)?.message ?? String(error)}`);
  // sharedReads after the upstream plugins: it wraps them, so a shared read is retried and timed out once.
  // endSubgraphSignals last: it wraps everything, so its signal reaches the HTTP executor (signals.ts).
  return [
    subgraphReadiness(urls),
    ...upstreamPlugins(env),
    ...(env.GATEWAY_SHARE_READS ? [sharedReads()] : []),
    ...(await responseCachePlugins({ env, supergraph, log })),
    endSubgraphSignals(),
  ];
}
