/**
 * A diagnostic variant of our gateway for the benchmark (`--gateways hive,apollo,hive-nodedup`): the
 * same Hive Gateway runtime and options as gateway/src/gateway.ts in production mode, but with the
 * deduplication of identical in-flight subgraph requests turned off (Hive Gateway turns it on by
 * default; Apollo Gateway has none). Under load with identical requests, the difference between
 * `hive` and `hive-nodedup` is what the deduplication is worth.
 *   HIVE_NODEDUP_PORT=4011 NETWORKS_URL=… npx tsx bench/hive-gateway-nodedup.ts
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { SERVICES, readEnv, subgraphUrl } from '../packages/common/src/config.ts';
import { SUPERGRAPH_PATH, supergraphWithUrls } from '../gateway/src/gateway.ts';

const env = readEnv();
const port = Number(process.env.HIVE_NODEDUP_PORT ?? 4011);
const urls = Object.fromEntries(SERVICES.map((s) => [s, subgraphUrl(s, env)]));

const runtime = createGatewayRuntime({
  supergraph: supergraphWithUrls(readFileSync(SUPERGRAPH_PATH, 'utf8'), urls),
  graphqlEndpoint: '/graphql',
  healthCheckEndpoint: '/healthz',
  readinessCheckEndpoint: '/readyz',
  landingPage: false,
  graphiql: false,
  maskedErrors: true,
  logging: 'info',
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
});
const server = http.createServer(runtime);
await new Promise<void>((resolve) => server.listen(port, env.HOST, resolve));
console.log(`[hive-nodedup] http://${env.HOST}:${port}/graphql ready`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    void Promise.resolve(runtime.dispose()).then(() => process.exit(0));
  });
}
