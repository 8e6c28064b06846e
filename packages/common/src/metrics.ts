/**
 * Prometheus metrics of a subgraph, served at GET /metrics: HTTP requests by status, their latency,
 * GraphQL errors by code, and the database connection pool. Each server has its own registry, so the
 * four subgraphs of an in-process test stack do not mix their numbers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OperationsConfig } from './config.ts';
import type { PoolStats } from './database.ts';

/**
 * Whether a scrape of /metrics may be answered: with METRICS_TOKEN set, only with that bearer token
 * (Prometheus's `authorization: { credentials: … }`); without one, outside production only. Metrics
 * tell a stranger how the service is used and how loaded it is.
 */
export function metricsAllowed(
  operations: Pick<OperationsConfig, 'metricsToken' | 'metricsClosedWithoutToken'>,
  authorization: string | null | undefined,
): boolean {
  if (!operations.metricsToken) return !operations.metricsClosedWithoutToken;
  // Hashes of equal length, so the comparison takes the same time whatever was sent.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(authorization ?? ''), digest(`Bearer ${operations.metricsToken}`));
}

export const METRICS_REFUSED = 'Forbidden: /metrics needs Authorization: Bearer <METRICS_TOKEN>';

/** Paths are a label: anything else is `other`, so scanners cannot create unbounded series. */
const ROUTES = new Set(['/graphql', '/', '/healthz', '/readyz', '/metrics']);

export interface SubgraphMetrics {
  observeRequest(request: { method: string; path: string; status: number; seconds: number; errorCodes: string[] }): void;
  /** The Prometheus text exposition: content type and body. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createSubgraphMetrics(service: string, poolStats: () => PoolStats): SubgraphMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request arriving to the response being written, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors in responses, by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  // Read when Prometheus scrapes, so the numbers are current and cost nothing between scrapes.
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections by state (PGlite: one embedded connection, always reported as total)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats();
      this.set({ state: 'total' }, stats.total);
      if (stats.idle !== null) this.set({ state: 'idle' }, stats.idle);
    },
  });
  new Gauge({
    name: 'db_pool_waiting_requests',
    help: 'Queries waiting for a free database connection (PostgreSQL pool only)',
    registers: [registry],
    collect() {
      const { waiting } = poolStats();
      if (waiting !== null) this.set(waiting);
    },
  });
  return {
    observeRequest({ method, path, status, seconds, errorCodes }) {
      const labels = { method, route: ROUTES.has(path) ? path : 'other', status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
      for (const code of errorCodes) errors.inc({ code });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
