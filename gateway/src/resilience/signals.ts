/**
 * Ends each subgraph request's abort signal once its answer is in.
 *
 * Hive Gateway's HTTP executor (@graphql-tools/executor-http) keeps one long-lived AbortController per
 * subgraph, aborted only when the gateway is disposed, and combines it with every subgraph request's
 * own signal (@graphql-hive/signal's abortSignalAny). The combination adds an 'abort' listener to the
 * long-lived signal and takes it off only when the combined signal aborts or is garbage-collected.
 * A request that simply succeeds leaves its listener behind until the next garbage collection: under
 * load they pile up on the one signal per subgraph (Node's MaxListenersExceededWarning, "11 abort
 * listeners added to [AbortSignal]") along with a closure and a finalization record per request.
 *
 * Giving each subgraph request a signal of its own and aborting it when the request is over lets that
 * cleanup run at once: listeners never outlive their request. A client that goes away still aborts
 * its subgraph requests (its signal is followed). Streamed answers (@defer) are left as they were:
 * their request is not over when the executor returns.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { ExecutionRequest } from '@graphql-tools/utils';

const isStream = (value: unknown) => value != null && typeof value === 'object' && Symbol.asyncIterator in value;

export function endSubgraphSignals(): GatewayPlugin {
  return {
    onSubgraphExecute({ executor, setExecutor }) {
      setExecutor((async (request: ExecutionRequest) => {
        const controller = new AbortController();
        const parent = request.signal;
        const follow = () => controller.abort(parent?.reason);
        if (parent?.aborted) follow();
        else parent?.addEventListener('abort', follow, { once: true });
        let streamed = false;
        try {
          const result = await executor({ ...request, signal: controller.signal });
          streamed = isStream(result);
          return result;
        } finally {
          parent?.removeEventListener('abort', follow);
          if (!streamed) controller.abort();
        }
      }) as typeof executor);
    },
  };
}
