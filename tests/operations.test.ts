/**
 * Operations, as an operator sees them: the gateway and a subgraph run as their own processes (as in
 * production) and answer with the request id, log one JSON line per request without variables, serve
 * Prometheus metrics, and send OpenTelemetry spans of one trace to a collector; tracing is off without
 * OTEL_EXPORTER_OTLP_ENDPOINT; a subgraph shuts down gracefully; replicas refuse PGlite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { PROJECT_ROOT, REQUEST_ID_HEADER, VIEWER_HEADER, signViewer, startTracing, viewerSecret } from '@moral-registry/common';
import { testDatabase } from '@moral-registry/common/testing';
import { createServer as agencies } from '@moral-registry/agencies';

interface Span {
  service: string;
  name: string;
  traceId: string;
}

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON at /v1/traces and keeps the spans. */
async function startCollector() {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const payload = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: { name: string; traceId: string }[] }[];
          }[];
        };
        for (const { resource, scopeSpans } of payload.resourceSpans) {
          const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const scope of scopeSpans) for (const span of scope.spans) spans.push({ service, name: span.name, traceId: span.traceId });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((r) => server.close(r)) };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

interface Service {
  child: ChildProcess;
  /** Parsed JSON log lines from stdout. */
  lines: Record<string, unknown>[];
  stdout: () => string;
}

/** Runs a service's main.ts as its own process, on the embedded database, and keeps its stdout. */
function run(entry: string, env: Record<string, string>): Service {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/DATABASE_URL$|^REDIS_URL$|^OTEL_/.test(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    // OTEL_BSP_SCHEDULE_DELAY: spans leave every 200 ms instead of every 5 s.
    env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'info', OTEL_BSP_SCHEDULE_DELAY: '200', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const lines: Record<string, unknown>[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    const complete = out.split('\n');
    out = complete.pop()!;
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { child, lines, stdout: () => JSON.stringify(lines) };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(service: Service | undefined) {
  if (!service || service.child.exitCode !== null) return;
  const exited = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGTERM');
  await exited;
}

const FIND_AGENCY = 'query FindAgency($id: ID!) { agency(id: $id) { nameTh } }';
/** Looks like a phone number: variables can hold personal data and must never reach the logs. */
const PERSONAL = '0812345678';

describe('a gateway and a subgraph in their own processes, traced', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let dataDir: string;
  let subgraph: Service | undefined;
  let gateway: Service | undefined;
  let gatewayUrl: string;
  let subgraphUrl: string;

  beforeAll(async () => {
    collector = await startCollector();
    dataDir = mkdtempSync(path.join(tmpdir(), 'registry-ops-'));
    const [agenciesPort, gatewayPort] = [await freePort(), await freePort()];
    subgraphUrl = `http://127.0.0.1:${agenciesPort}/graphql`;
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const env = { DATA_DIR: dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, AGENCIES_PORT: String(agenciesPort) };
    subgraph = run('services/agencies/src/main.ts', env);
    gateway = run('gateway/src/main.ts', { ...env, GATEWAY_PORT: String(gatewayPort), AGENCIES_URL: subgraphUrl });
    // A new embedded database on disk (initdb, migrations, reference data; every commit fsynced): give it time.
    await waitFor('the subgraph', async () => (await fetch(new URL('/readyz', subgraphUrl))).ok, 150_000);
    await waitFor('the gateway', async () => (await fetch(new URL('/healthz', gatewayUrl))).ok);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([stop(gateway), stop(subgraph)]);
    await collector?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function ask(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, requestId: response.headers.get(REQUEST_ID_HEADER), body: (await response.json()) as any };
  }

  it('answers with the request id, and both processes log one JSON line for it without the variables', async () => {
    const answer = await ask(FIND_AGENCY, { id: PERSONAL }, { [REQUEST_ID_HEADER]: 'ops-test-1' });
    expect(answer.status).toBe(200);
    expect(answer.requestId).toBe('ops-test-1');

    const line = (service: Service) => service.lines.find((l) => l.requestId === 'ops-test-1' && l.msg === 'request');
    const fromGateway = await waitFor('the gateway log line', () => line(gateway!));
    expect(fromGateway).toMatchObject({
      level: 'info',
      service: 'gateway',
      method: 'POST',
      path: '/graphql',
      operationName: 'FindAgency',
      status: 200,
    });
    expect(fromGateway.durationMs).toEqual(expect.any(Number));
    expect(fromGateway.errorCodes).toEqual(answer.body.errors ? expect.any(Array) : []);
    const fromSubgraph = await waitFor('the subgraph log line', () => line(subgraph!));
    expect(fromSubgraph).toMatchObject({ service: 'agencies', path: '/graphql', status: 200, errorCodes: [] });
    expect(gateway!.stdout() + subgraph!.stdout()).not.toContain(PERSONAL);

    // A malformed id is replaced, so what is logged and stored in the audit trail stays well-formed.
    const replaced = await ask(FIND_AGENCY, { id: 'x' }, { [REQUEST_ID_HEADER]: 'not a valid id; drop table' });
    expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the error codes a client got', async () => {
    const answer = await ask('query Broken { agencies { nope } }', {}, { [REQUEST_ID_HEADER]: 'ops-test-2' });
    expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const line = await waitFor('the log line', () => gateway!.lines.find((l) => l.requestId === 'ops-test-2'));
    expect(line).toMatchObject({ operationName: 'Broken', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('serves Prometheus metrics at /metrics on the gateway and on the subgraph', async () => {
    await ask('{ agencies(first: 1) { totalCount } }', {});
    const gatewayMetrics = await (await fetch(new URL('/metrics', gatewayUrl))).text();
    expect(gatewayMetrics).toMatch(/^graphql_yoga_http_duration_bucket\{.*statusCode="200"/m);
    expect(gatewayMetrics).toMatch(/^graphql_envelop_request_duration_bucket/m);
    expect(gatewayMetrics).toMatch(/^graphql_envelop_error_result\{phase="validate",code="GRAPHQL_VALIDATION_FAILED"/m);
    expect(gatewayMetrics).toMatch(/^graphql_gateway_fetch_duration_bucket/m);
    expect(gatewayMetrics).toMatch(/^graphql_gateway_subgraph_execute_duration_bucket\{.*subgraphName="agencies"/m);
    expect(gatewayMetrics).not.toContain('operationName="FindAgency"');

    const subgraphMetrics = await (await fetch(new URL('/metrics', subgraphUrl))).text();
    expect(subgraphMetrics).toMatch(/^http_requests_total\{method="POST",route="\/graphql",status="200",service="agencies"\} \d+/m);
    expect(subgraphMetrics).toMatch(/^http_request_duration_seconds_bucket\{.*route="\/graphql"/m);
    expect(subgraphMetrics).toMatch(/^db_pool_connections\{state="total",service="agencies"\} 1$/m);
  });

  it('sends the spans of one request, from the gateway and from the subgraph, as one trace', async () => {
    await ask('query Traced { agencies(first: 1) { totalCount } }', {});
    const operation = await waitFor('the gateway span', () => collector.spans.find((s) => s.name === 'graphql.operation Traced'));
    expect(operation.service).toBe('gateway');
    // The subgraph's HTTP server span joins the trace through the traceparent header the gateway sent.
    const fromSubgraph = await waitFor('the subgraph span', () =>
      collector.spans.find((s) => s.service === 'agencies' && s.traceId === operation.traceId),
    );
    expect(fromSubgraph.name).toBe('POST');
    expect(collector.spans.some((s) => s.traceId === operation.traceId && s.name === 'subgraph.execute (agencies)')).toBe(true);
  });
});

describe('tracing switched off', () => {
  it('without OTEL_EXPORTER_OTLP_ENDPOINT, nothing starts and the tracer stays the no-op one', async () => {
    expect(await startTracing('agencies', { otlpEndpoint: undefined })).toBeNull();
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe('00000000000000000000000000000000');
    span.end();
  });
});

describe('graceful shutdown of a subgraph', () => {
  it('fails /readyz at once, finishes the request in flight with 200, then refuses new connections', async () => {
    const server = await agencies({
      config: { ...testDatabase(), host: '127.0.0.1', operations: { ...opsDefaults(), shutdownTimeoutMs: 5_000, shutdownDelayMs: 300 } },
      seed: false,
    });
    const running = await server.listen(0);
    const base = `http://127.0.0.1:${running.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    // The pool Prisma's queries use: PostgreSQL reports its connections by state and its queue.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^db_pool_connections\{state="total",service="agencies"\} [1-9]/m);
    if (server.db.kind === 'postgres') {
      expect(metrics).toMatch(/^db_pool_connections\{state="idle",service="agencies"\} \d+$/m);
      expect(metrics).toMatch(/^db_pool_waiting_requests\{service="agencies"\} 0$/m);
    }

    // A slow client: it sends half of its request, and the rest only after shutdown has begun.
    const body = JSON.stringify({ query: '{ agencies(first: 1) { totalCount } }' });
    const viewer = await signViewer({ id: 'ops-test', role: 'ANONYMOUS', provinceCode: null }, viewerSecret());
    const slow = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [VIEWER_HEADER]: viewer },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 600);
    });
    await new Promise((r) => setTimeout(r, 100));

    const closed = server.close();
    const readiness = await fetch(`${base}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'not ready', reason: 'shutting down' });

    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.agencies.totalCount).toEqual(expect.any(Number));
    await closed;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe('npm start -- --replicas', () => {
  it('refuses replicas of a subgraph on the embedded database, saying to use DATABASE_URL', async () => {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/DATABASE_URL$/.test(key)));
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--replicas', 'agencies=2'], {
      cwd: PROJECT_ROOT,
      env: inherited,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('agencies: replicas need PostgreSQL');
    expect(stderr).toContain('DATABASE_URL');
  });
});

function opsDefaults() {
  return {
    logLevel: 'error' as const,
    logPretty: false,
    metrics: true,
    metricsToken: undefined,
    metricsClosedWithoutToken: false,
    otlpEndpoint: undefined,
    shutdownTimeoutMs: 10_000,
    shutdownDelayMs: 0,
  };
}
