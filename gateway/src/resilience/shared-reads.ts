/**
 * Identical subgraph reads in flight at the same moment are sent once and their answer shared: when
 * a province's dashboard or the national comparison is opened by many people at once, each subgraph
 * gets one request instead of one per viewer.
 *
 * Hive Gateway's HTTP transport deduplicates too, but it keys on every header, and every subgraph
 * request carries the request id of the client request it serves (docs/OPERATIONS.md), so no two
 * are ever alike there. Here the key is what decides the answer: the subgraph, the operation, the
 * variables, the viewer (id, role, province) and the language of its messages, never the request id. Two viewers never share an
 * answer (contact details are staff-only), mutations are never shared, and an answer is shared only
 * while it is in flight: nothing is kept. A shared request reaches the subgraph with the request id
 * of the first one; the gateway's own log line has every request's id.
 */
import { getOperationAST, print, type DocumentNode } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { ExecutionRequest } from '@graphql-tools/utils';
import { currentLanguage, type Viewer } from '@moral-registry/common';

interface Request {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  operationType?: string;
  context?: { viewer?: Viewer | null };
}

const printed = new WeakMap<DocumentNode, string>();
const text = (document: DocumentNode) => {
  let value = printed.get(document);
  if (value === undefined) printed.set(document, (value = print(document)));
  return value;
};

function keyOf(subgraph: string, request: Request): string | null {
  const type = request.operationType ?? getOperationAST(request.document, request.operationName)?.operation;
  if (type !== 'query') return null;
  const viewer = request.context?.viewer;
  if (!viewer) return null;
  const query = text(request.document);
  // An incremental answer (@defer, @stream) is a stream that only one reader can consume.
  if (query.includes('@defer') || query.includes('@stream')) return null;
  return JSON.stringify([
    subgraph,
    viewer.id,
    viewer.role,
    viewer.provinceCode ?? null,
    currentLanguage(),
    request.operationName ?? null,
    query,
    request.variables ?? null,
  ]);
}

/** `inFlight` is exposed for tests: the number of shared reads waiting for their answer. */
export function sharedReads(): GatewayPlugin & { inFlight(): number } {
  const pending = new Map<string, Promise<unknown>>();
  return {
    inFlight: () => pending.size,
    onSubgraphExecute({ subgraphName, executor, setExecutor }) {
      const shared = (request: ExecutionRequest) => {
        const key = keyOf(subgraphName, request as Request);
        if (key === null) return executor(request);
        const running = pending.get(key);
        if (running) return running;
        const started = Promise.resolve(executor(request));
        pending.set(key, started);
        const forget = () => pending.delete(key);
        started.then(forget, forget);
        return started;
      };
      setExecutor(shared as typeof executor);
    },
  };
}
