/**
 * The benchmark's peer: Apollo Gateway (@apollo/gateway) on Apollo Server's standalone HTTP server,
 * serving the same committed supergraph as our gateway with the same subgraph URLs. Defaults as
 * shipped (no tuning), as for our gateway. Run by bench/run.ts in its own process:
 *   APOLLO_GATEWAY_PORT=4010 NETWORKS_URL=… npx tsx bench/apollo-gateway.ts
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { SERVICES, readEnv, subgraphUrl, viewerSecret } from '../packages/common/src/config.ts';
import { ANONYMOUS, VIEWER_HEADER, signViewer } from '../packages/common/src/viewer.ts';
import { SUPERGRAPH_PATH, supergraphWithUrls } from '../gateway/src/gateway.ts';

const env = readEnv();
const port = Number(process.env.APOLLO_GATEWAY_PORT ?? 4010);
const urls = Object.fromEntries(SERVICES.map((s) => [s, subgraphUrl(s, env)]));

const secret = viewerSecret(env);
// The subgraphs answer only requests with a signed viewer: this peer forwards every request as anonymous
// (the benchmark's scenarios read public data), signing as our gateway does, once per subgraph request.
const gateway = new ApolloGateway({
  supergraphSdl: supergraphWithUrls(readFileSync(SUPERGRAPH_PATH, 'utf8'), urls),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest: async ({ request }) => {
        request.http?.headers.set(VIEWER_HEADER, await signViewer(ANONYMOUS, secret, env.VIEWER_TTL_SECONDS));
      },
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: env.HOST, port } });
console.log(`[apollo-gateway] ${url} ready`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[apollo-gateway] ${signal}: stopping`);
    void server.stop().then(() => process.exit(0));
  });
}
