/**
 * A diagnostic variant of our gateway for the benchmark (`--gateways hive,apollo,hive-nodedup`): the
 * same gateway (gateway/src/gateway.ts, production mode, the harness's environment) with
 * GATEWAY_SHARE_READS=false, so identical reads in flight are each sent to the subgraphs (Apollo
 * Gateway has no such sharing either). Under load with identical requests, the difference between
 * `hive` and `hive-nodedup` is what sharing them is worth.
 *   HIVE_NODEDUP_PORT=4011 NETWORKS_URL=… npx tsx bench/hive-gateway-nodedup.ts
 */
import { readEnv } from '../packages/common/src/config.ts';
import { startGateway } from '../gateway/src/gateway.ts';

// GATEWAY_QUERY_PLANNER from the environment: the bench's `hive-rust` and `hive-js` are this script with `rust` and `js`.
const env = { ...readEnv(), GATEWAY_SHARE_READS: false };
const port = Number(process.env.HIVE_NODEDUP_PORT ?? 4011);
const gateway = await startGateway({ env, port });
console.log(`[hive-nodedup] ${gateway.url} ready (query planner: ${env.GATEWAY_QUERY_PLANNER})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void gateway.close().then(() => process.exit(0));
  });
}
