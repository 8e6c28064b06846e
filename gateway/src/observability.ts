/**
 * The gateway's operations: request ids, one JSON log line per request, Prometheus metrics at
 * /metrics, OpenTelemetry spans when OTEL_EXPORTER_OTLP_ENDPOINT is set, and /readyz failing while
 * the gateway drains. Hive Gateway does the heavy lifting (its logger, prometheus and opentelemetry
 * plugins); this file configures them and adds the request line.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST } from 'graphql';
import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  Logger as HiveLogger,
  createCounter,
  createHistogram,
  usePrometheus,
  type GatewayConfigContext,
  type GatewayPlugin,
} from '@graphql-hive/gateway';
import { PinoLogWriter } from '@graphql-hive/logger/writers/pino';
import {
  METRICS_REFUSED,
  REQUEST_ID_HEADER,
  createLogger,
  errorCodes,
  logRequest,
  metricsAllowed,
  type Logger,
  type OperationsConfig,
} from '@moral-registry/common';

/** A metrics label for an operation name, from a bounded set (see security/persisted.ts). */
export type OperationLabel = (request: Request | undefined, operationName: string | null | undefined) => string;

/** Accepted from clients as is; anything else is replaced, so ids stay safe to log and store in the audit trail. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface Observability {
  /** The process's logger (pino), for start-up and shutdown lines. */
  logger: Logger;
  /** The same logger as Hive Gateway's `logging` option expects. */
  logging: HiveLogger;
  /** The request's id: the client's `x-request-id` when well-formed, else a new UUID; stable per request. */
  requestIdOf(request: Request): string;
  /** To put first in the gateway's plugins. */
  plugins(context: GatewayConfigContext, operationLabel: OperationLabel): GatewayPlugin[];
  /** From now on /readyz answers 503. */
  beginShutdown(): void;
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

interface RequestRecord {
  began: number;
  operationName: string | null;
  errorCodes: string[];
}

export async function createObservability(operations: OperationsConfig): Promise<Observability> {
  const logger = createLogger('gateway', operations);
  const hiveLevel = operations.logLevel === 'silent' ? false : operations.logLevel === 'fatal' ? 'error' : operations.logLevel;
  const logging = new HiveLogger({ level: hiveLevel, writers: [new PinoLogWriter(logger)] });
  const ids = new WeakMap<Request, string>();
  const records = new WeakMap<Request, RequestRecord>();
  let draining = false;

  const requestIdOf = (request: Request) => {
    let id = ids.get(request);
    if (!id) {
      const incoming = request.headers.get(REQUEST_ID_HEADER);
      id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      ids.set(request, id);
    }
    return id;
  };

  const requestLog: GatewayPlugin = {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      records.set(request, { began: performance.now(), operationName: null, errorCodes: [] });
      // Hive Gateway's own log lines for this request carry its id too.
      const context = serverContext as { log?: HiveLogger };
      if (context.log) context.log = context.log.child({ requestId: requestIdOf(request) });
      if (draining && url.pathname === '/readyz') {
        endResponse(
          new fetchAPI.Response('{"status":"not ready","reason":"shutting down"}', {
            status: 503,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
    },
    onParams({ request, params }) {
      const record = records.get(request);
      if (record) record.operationName = params.operationName ?? null;
    },
    // The document names the operation when the client did not (and before a validation failure).
    onValidate({ params, context }) {
      const record = records.get((context as { request: Request }).request);
      if (record && !record.operationName) record.operationName = getOperationAST(params.documentAST)?.name?.value ?? null;
    },
    onResultProcess({ request, result }) {
      const record = records.get(request);
      if (record && !Array.isArray(result) && 'errors' in result) record.errorCodes = errorCodes(result.errors);
    },
    onResponse({ request, response }) {
      const requestId = requestIdOf(request);
      response.headers.set(REQUEST_ID_HEADER, requestId);
      const record = records.get(request);
      if (!record) return;
      const url = new URL(request.url);
      logRequest(logger, {
        requestId,
        method: request.method,
        path: url.pathname,
        operationName: record.operationName,
        status: response.status,
        durationMs: Math.round(performance.now() - record.began),
        errorCodes: record.errorCodes,
      });
    },
  };

  const tracing = operations.otlpEndpoint ? (await import('@graphql-hive/gateway/opentelemetry')).useOpenTelemetry : null;
  const registry = operations.metrics ? gatewayRegistry() : null;

  return {
    logger,
    logging,
    requestIdOf,
    plugins: (context, operationLabel) => [
      requestLog,
      ...(registry ? [metricsGuard(operations), prometheus(registry, context, operationLabel)] : []),
      // Probes and scrapes are not worth a trace each.
      ...(tracing
        ? [tracing({ ...context, traces: { spans: { http: ({ request }) => !PROBES.has(new URL(request.url).pathname) } } })]
        : []),
    ],
    beginShutdown() {
      draining = true;
    },
  };
}

/** The code an error counts under; a failed validation reports no error object, only its phase. */
function errorCode(error: unknown, phase: string): string {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  if (typeof code === 'string') return code;
  if (phase === 'parse') return 'GRAPHQL_PARSE_FAILED';
  if (phase === 'validate') return 'GRAPHQL_VALIDATION_FAILED';
  return 'INTERNAL_SERVER_ERROR';
}

/** /metrics for Prometheus only (METRICS_TOKEN; closed in production without one): see metricsAllowed. */
function metricsGuard(operations: OperationsConfig): GatewayPlugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics' || metricsAllowed(operations, request.headers.get('authorization'))) return;
      endResponse(new fetchAPI.Response(METRICS_REFUSED, { status: 403, headers: { 'content-type': 'text/plain' } }));
    },
  };
}

function gatewayRegistry(): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Hive Gateway's Prometheus plugin with the metrics an operator watches: HTTP requests by status and
 * their latency, operations, errors by code, and each subgraph's fetch latency and errors. Callers
 * choose operation names, and every new label value is a new series kept for the life of the process
 * (and readable by anyone who reads /metrics): the only names used as labels are those of registered
 * documents, everything else counts as `other` (the log line and the trace carry the real name).
 */
function prometheus(registry: Registry, context: GatewayConfigContext, operationLabel: OperationLabel): GatewayPlugin {
  const subgraphLabels = ['subgraphName', 'operationName', 'operationType'] as const;
  type SubgraphExecution = {
    subgraphName: string;
    executionRequest: { operationType?: string; context?: { request?: Request; params?: { operationName?: string | null } } };
  };
  const fillSubgraphLabels = ({ subgraphName, executionRequest }: SubgraphExecution) => ({
    subgraphName,
    operationName: operationLabel(executionRequest.context?.request, executionRequest.context?.params?.operationName),
    operationType: executionRequest.operationType ?? 'query',
  });
  return usePrometheus({
    log: context.log,
    registry,
    endpoint: '/metrics',
    labels: { operationName: false, url: false, path: false },
    metrics: {
      graphql_yoga_http_duration: true,
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'GraphQL errors in responses, by phase and extensions.code',
          labelNames: ['phase', 'code'],
        },
        fillLabelsFn: ({ error, errorPhase }) => ({ phase: errorPhase, code: errorCode(error, errorPhase) }),
      }),
      graphql_gateway_fetch_duration: true,
      graphql_gateway_subgraph_execute_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_gateway_subgraph_execute_duration',
          help: 'Time spent on subgraph execution, by subgraph and registered operation (other: any other)',
          labelNames: subgraphLabels,
        },
        fillLabelsFn: fillSubgraphLabels as never,
      }),
      graphql_gateway_subgraph_execute_errors: createCounter({
        registry,
        counter: {
          name: 'graphql_gateway_subgraph_execute_errors',
          help: 'Errors of subgraph executions, by subgraph and registered operation (other: any other)',
          labelNames: subgraphLabels,
        },
        fillLabelsFn: fillSubgraphLabels as never,
      }),
    },
  });
}
