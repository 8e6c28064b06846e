/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: then spans go to that
 * collector over OTLP/HTTP, and W3C trace context links the gateway's spans to the subgraphs'.
 * When it is unset nothing is imported or started (the SDK is loaded on demand).
 */
import { createRequire } from 'node:module';
import type { OperationsConfig } from './config.ts';

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** Probes and scrapes are not worth a trace each. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Starts the process-wide tracer provider for `service`. `http`: trace incoming HTTP requests with the
 * node:http instrumentation (the subgraphs); the gateway passes false because Hive Gateway's
 * OpenTelemetry plugin makes its own HTTP, GraphQL and subgraph spans.
 */
export async function startTracing(
  service: string,
  operations: Pick<OperationsConfig, 'otlpEndpoint'>,
  options: { http?: boolean } = {},
): Promise<Tracing | null> {
  if (!operations.otlpEndpoint) return null;
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
  ]);
  const base = operations.otlpEndpoint.endsWith('/') ? operations.otlpEndpoint : `${operations.otlpEndpoint}/`;
  const sdk = new NodeSDK({
    serviceName: service,
    traceExporter: new OTLPTraceExporter({ url: new URL('v1/traces', base).toString() }),
    instrumentations:
      options.http === false
        ? []
        : [new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED.has(new URL(req.url ?? '/', 'http://x').pathname) })],
    // Traces only: metrics are scraped from /metrics and logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  // The services import node:http before tracing starts, and the instrumentation patches a module
  // when it is required; requiring it once more patches the copy already loaded.
  createRequire(import.meta.url)('node:http');
  return { shutdown: () => sdk.shutdown() };
}
