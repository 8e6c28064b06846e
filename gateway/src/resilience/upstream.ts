/**
 * Failure handling between the gateway and the subgraphs. A subgraph that is down, slow or answers
 * garbage costs only its own fields: they come back null, with one error that names the subgraph
 * (`extensions.serviceName`) and says what happened, in every environment (production masks
 * unexpected errors, but "the awards subgraph could not be reached" is neither a stack trace nor SQL,
 * and a client needs it to tell an outage from an empty answer). The subgraph's address and the
 * request the gateway sent it stay in the gateway's log.
 *
 * Reads that failed to connect, or got a 5xx or 429, are retried with backoff (Hive Gateway's
 * useUpstreamRetry); mutations never are, a retried write could be applied twice. The timeout
 * (useUpstreamTimeout) bounds one subgraph request with its retries, so a slow subgraph costs at most
 * GATEWAY_UPSTREAM_TIMEOUT_MS and is not asked again while it is struggling.
 */
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import { createGraphQLError } from '@graphql-tools/utils';
import { useUpstreamRetry, useUpstreamTimeout, type GatewayPlugin } from '@graphql-hive/gateway';
import type { Env } from '@moral-registry/common';
import { t } from '@moral-registry/common';

/** What Hive Gateway calls a failure to get an answer from a subgraph (as opposed to errors the subgraph sent). */
const TRANSPORT_CODES = new Set(['SUBREQUEST_HTTP_ERROR', 'RESPONSE_VALIDATION_FAILED', 'GATEWAY_TIMEOUT']);

/** By name: under the test runner our code gets graphql's ESM build and the gateway's libraries its CommonJS one. */
const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof Error && error.name === 'GraphQLError';

function isTransportError(error: unknown): boolean {
  if (!isGraphQLError(error)) return true;
  const code = error.extensions?.code;
  if (typeof code === 'string' && TRANSPORT_CODES.has(code)) return true;
  // Errors a subgraph sends are rebuilt from its JSON, without an original error; failures to reach it carry one.
  return !!error.originalError && !isGraphQLError(error.originalError);
}

function unavailable(subgraph: string, error: unknown, timeoutMs: number): GraphQLError {
  const extensions = isGraphQLError(error) ? error.extensions : {};
  const code = typeof extensions.code === 'string' && TRANSPORT_CODES.has(extensions.code) ? extensions.code : 'SUBREQUEST_HTTP_ERROR';
  const status = (extensions.response as { status?: number } | undefined)?.status;
  const message =
    code === 'GATEWAY_TIMEOUT'
      ? t('upstream.timeout', { subgraph, timeoutMs })
      : code === 'RESPONSE_VALIDATION_FAILED'
        ? t('upstream.unreadable', { subgraph, status: status ? ` (HTTP ${status})` : '' })
        : t('upstream.unreachable', { subgraph });
  // Made with the gateway's own graphql build: it masks errors of another build as unexpected (see isGraphQLError).
  return createGraphQLError(message, { extensions: { code, serviceName: subgraph } });
}

interface SubgraphRequest {
  document: DocumentNode;
  operationName?: string;
  operationType?: string;
}

const isRead = (request: SubgraphRequest) =>
  (request.operationType ?? getOperationAST(request.document, request.operationName)?.operation) === 'query';

interface ExecutionResultLike {
  data?: unknown;
  errors?: readonly unknown[];
}

/** Replaces transport failures (thrown or returned) by one clear error naming the subgraph. */
function namingFailures(timeoutMs: number): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executor, setExecutor, log }) {
      const report = (error: unknown) => {
        log.warn({ error: error instanceof Error ? error.message : String(error) }, `subgraph ${subgraphName} failed`);
        return unavailable(subgraphName, error, timeoutMs);
      };
      setExecutor(async (request) => {
        try {
          const result = (await executor(request)) as ExecutionResultLike;
          if (Symbol.asyncIterator in Object(result) || !result.errors?.some(isTransportError)) return result as never;
          return { ...result, errors: result.errors.map((e) => (isTransportError(e) ? report(e) : e)) } as never;
        } catch (error) {
          return { errors: [report(error)] } as never;
        }
      });
    },
  };
}

/**
 * One failed subgraph request is copied onto every entity it was asked for (77 identical errors for
 * a list of provinces); a client needs it once per place.
 */
const onceEach: GatewayPlugin = {
  onExecutionResult({ result, setResult }) {
    if (!result || Symbol.asyncIterator in result || !result.errors || result.errors.length < 2) return;
    const seen = new Set<string>();
    const errors = result.errors.filter((error) => {
      const key = JSON.stringify([error.message, error.path, error.extensions?.code, error.extensions?.serviceName]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (errors.length < result.errors.length) setResult({ ...result, errors });
  },
};

export function upstreamPlugins(env: Env): GatewayPlugin[] {
  const timeoutMs = env.GATEWAY_UPSTREAM_TIMEOUT_MS;
  const retry = { maxRetries: env.GATEWAY_UPSTREAM_RETRIES, retryDelay: env.GATEWAY_UPSTREAM_RETRY_DELAY_MS / 2, retryDelayFactor: 2 };
  // Order matters: each plugin wraps the executor of those before it, so the timeout covers all retries
  // and the failure naming sees whatever the timeout or the last retry left.
  return [
    useUpstreamRetry(({ executionRequest }) => (isRead(executionRequest) ? retry : undefined)),
    useUpstreamTimeout(timeoutMs),
    namingFailures(timeoutMs),
    onceEach,
  ];
}
