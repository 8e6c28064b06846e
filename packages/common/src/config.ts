/**
 * Configuration, read once from the environment and validated. Every problem is listed before the
 * process exits, so a misconfigured deployment fails with one complete message.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

import { GATEWAY_DEFAULT_PORT, SERVICES, SUBGRAPHS, type ServiceName } from './subgraphs.ts';

export { SERVICES, SUBGRAPHS, serviceSchemaPath, type ServiceName } from './subgraphs.ts';

/**
 * Ports that browsers and Node's own `fetch` refuse to connect to (the WHATWG Fetch standard's "bad
 * ports", https://fetch.spec.whatwg.org/#port-blocking). `npm start`'s readiness probe, the gateway's
 * readiness check, import/export and the subgraphs' reference checks all use `fetch`, so a service
 * listening on one of these could never be reached by them: refuse it when the configuration is read.
 */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

const badPortMessage = (p: number) =>
  `${p} is a port that Node's fetch and browsers refuse to connect to (WHATWG "bad ports", e.g. 6000, 6665-6669); choose another one, e.g. 4000`;

const port = z.coerce
  .number()
  .int()
  .min(0)
  .max(65535)
  .superRefine((p, ctx) => {
    if (FETCH_BAD_PORTS.has(p)) ctx.addIssue({ code: 'custom', message: badPortMessage(p) });
  });

/** A service URL whose port `fetch` can reach (see FETCH_BAD_PORTS). */
const serviceUrl = z.url().superRefine((value, ctx) => {
  const url = new URL(value);
  const p = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (FETCH_BAD_PORTS.has(p)) ctx.addIssue({ code: 'custom', message: badPortMessage(p) });
});
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `{ NETWORKS_<suffix>: schema, AGENCIES_<suffix>: schema, … }` for every subgraph of the registry. */
function perService<Suffix extends string, S extends z.ZodType>(suffix: Suffix, schema: (name: ServiceName) => S) {
  return Object.fromEntries(SERVICES.map((name) => [`${name.toUpperCase()}_${suffix}`, schema(name)])) as Record<
    `${Uppercase<ServiceName>}_${Suffix}`,
    S
  >;
}

/** The project root (two levels above this package's src). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    GATEWAY_PORT: port.default(GATEWAY_DEFAULT_PORT),
    // Per subgraph of the registry (subgraphs.ts): <NAME>_PORT, <NAME>_URL and <NAME>_DATABASE_URL.
    ...perService('PORT', (name) => port.default(SUBGRAPHS[name].port)),
    ...perService('URL', () => serviceUrl.optional()),
    ...perService('DATABASE_URL', () =>
      z
        .string()
        .regex(/^postgres(ql)?:\/\//)
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    MIGRATE_ON_START: bool.default(true),
    /** Load reference and demo data at start-up; by default only on the embedded database. */
    SEED_ON_START: bool.optional(),
    /** Benchmarks: serve GET /debug/sql-statements with the number of SQL statements sent so far. */
    EXPOSE_SQL_COUNT: bool.default(false),
    /**
     * Shared by the gateway and the subgraphs: signs the viewer header. At least 32 characters; required
     * in production (development and tests fall back to a fixed, public development secret).
     */
    VIEWER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Lifetime of a signed viewer header (seconds). */
    VIEWER_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    /** Staff sign-in, development: HS256 secret of the staff JWTs (at least 32 characters). */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Staff sign-in, production: the identity provider's JWKS URL (RS256/ES256 tokens). */
    JWT_JWKS_URL: z.url().optional(),
    JWT_ISSUER: z.string().min(1).default('moral-registry'),
    JWT_AUDIENCE: z.string().min(1).default('moral-registry'),
    /** Longest lifetime of a staff JWT (exp − iat, and its age); tokens without exp or iat are refused. */
    JWT_MAX_LIFETIME_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    /** API keys: PostgreSQL database of the gateway's key table (schema `gateway`); default DATABASE_URL, else a file in DATA_DIR. */
    GATEWAY_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    /** How long the gateway caches an API key lookup (seconds); a revoked key stops working within this time. */
    API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
    // --- Operations: logs, metrics, tracing, shutdown, replicas (docs/OPERATIONS.md) ---
    /** Minimum level of the JSON logs; unset: `info`, or `error` under NODE_ENV=test (see logLevel()). */
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
    /** Human-readable coloured logs (pino-pretty) instead of JSON lines; for a developer's terminal. */
    LOG_PRETTY: bool.default(false),
    /** Serve Prometheus metrics at GET /metrics on every service. */
    METRICS_ENABLED: bool.default(true),
    /**
     * Bearer token Prometheus sends to scrape /metrics (`Authorization: Bearer <token>`), on every
     * service. Unset: /metrics is open outside production and closed (403) in production.
     */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** OTLP/HTTP collector (e.g. http://otel-collector:4318); set: traces are exported, unset: tracing is off. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    /** On SIGTERM/SIGINT: how long in-flight requests may take before their connections are cut. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    /** On SIGTERM/SIGINT: how long /readyz answers 503 while new connections are still accepted. */
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
    /** `npm start`: processes per subgraph behind a round-robin proxy, e.g. `agencies=2,awards=3`. */
    SUBGRAPH_REPLICAS: z
      .string()
      .regex(/^\s*[a-z]+=\d+\s*(,\s*[a-z]+=\d+\s*)*$/, 'must look like agencies=2,awards=3')
      .optional(),
    // --- end of operations ---
    // --- Caching and failures: response cache, upstream timeouts and retries (docs/RESILIENCE.md) ---
    /** Redis shared by every gateway replica (response cache; rate limits use it too); unset: in memory. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** Cache public reads (provinces, regions, the nation, stats, rankings) at the gateway. */
    GATEWAY_CACHE_ENABLED: bool.default(true),
    /** Lifetime of a cached answer made only of reference data (provinces, regions, districts, sectors). */
    GATEWAY_CACHE_REFERENCE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
    /** Lifetime of a cached answer with stats or rankings (a write through the gateway clears it sooner). */
    GATEWAY_CACHE_STATS_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
    /** Prefix of the cache's Redis keys, so deployments (or test runs) can share one Redis. */
    GATEWAY_CACHE_REDIS_PREFIX: z.string().min(1).max(100).default('moral-registry:response-cache:'),
    /** How long the gateway waits for one subgraph request, retries included, before answering without it. */
    GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** Retries of a subgraph request that failed to connect or got a 5xx/429; reads only, never mutations. */
    GATEWAY_UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    /** Wait before the first retry; each further retry waits twice as long. */
    GATEWAY_UPSTREAM_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(200),
    /** Send identical subgraph reads of one viewer that are in flight together once, and share the answer. */
    GATEWAY_SHARE_READS: bool.default(true),
    /**
     * The gateway's query planner: `rust`, Hive Router's planner and executor
     * (@graphql-hive/router-runtime), or `js`, Hive Gateway's own (stitching runtime); bench/NOTES.md
     * compares them.
     */
    GATEWAY_QUERY_PLANNER: z.enum(['rust', 'js']).default('rust'),
    // --- end of caching and failures ---
    // --- Gateway defences: abuse limits, trusted documents, rate limits (docs/SECURITY.md) ---
    /** Deepest selection nesting (fragments do not add a level). */
    GATEWAY_MAX_DEPTH: z.coerce.number().int().min(1).max(1000).default(12),
    /** Aliases per operation (fragments counted where they are spread). */
    GATEWAY_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(15),
    /** Tokens (names, punctuation, values) per document. */
    GATEWAY_MAX_TOKENS: z.coerce.number().int().min(10).max(1_000_000).default(2000),
    /** Directives per operation. */
    GATEWAY_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(10_000).default(20),
    /** Highest estimated list cost of an operation (see docs/SECURITY.md for the model). */
    GATEWAY_MAX_COST: z.coerce.number().int().min(1).default(10_000),
    /** Size assumed for a list without @listSize in the cost estimate. */
    GATEWAY_DEFAULT_LIST_SIZE: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Longest string argument or variable (characters), whatever the field; each field has its own, lower limit too. */
    GATEWAY_MAX_STRING_LENGTH: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
    /** Largest request body (bytes); larger ones get HTTP 413. */
    GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1000).default(1_000_000),
    /** Operations per batched request (a JSON array); 0 turns batching off. */
    GATEWAY_MAX_BATCH: z.coerce.number().int().min(0).max(100).default(5),
    /** Queries kept for automatic persisted queries (APQ), per replica; 0 turns APQ off. */
    GATEWAY_APQ_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
    /** Rate limits per API key, staff member and anonymous address (counters in REDIS_URL when set). */
    GATEWAY_RATE_LIMITS: bool.default(true),
    GATEWAY_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** Requests per window from one anonymous client address. */
    GATEWAY_RATE_LIMIT_ANONYMOUS: z.coerce.number().int().min(1).default(300),
    /** Requests per window with one partner API key. */
    GATEWAY_RATE_LIMIT_API_KEY: z.coerce.number().int().min(1).default(1200),
    /** Requests per window for one staff member (JWT subject, or a staff-role API key). */
    GATEWAY_RATE_LIMIT_STAFF: z.coerce.number().int().min(1).default(1200),
    /** Prefix of the rate-limit counters' Redis keys. */
    GATEWAY_RATE_LIMIT_PREFIX: z.string().min(1).max(100).default('moral-registry:rate-limit'),
    /**
     * Browser origins allowed to call the gateway cross-origin, comma-separated (e.g.
     * `https://portal.example.go.th,https://ayutthaya.example.go.th`); they may send credentials
     * (an Authorization header). `*`: any origin, never with credentials. Unset: no cross-origin access.
     */
    GATEWAY_CORS_ORIGINS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .refine((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o), 'must be * or origins like https://portal.example.go.th (no path)'),
        ),
      )
      .default([]),
    /** Reverse proxies in front of the gateway that append to X-Forwarded-For (0: use the socket's address). */
    GATEWAY_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
    // --- end of gateway defences ---
    // --- Spreadsheet imports (docs/SECURITY.md, "Spreadsheet imports"): what one XLSX may make `npm run import` hold ---
    /** Characters in one cell. */
    XLSX_MAX_CELL_CHARS: z.coerce.number().int().min(1).default(32_767),
    /** Shared strings plus their formatted runs in one workbook. */
    XLSX_MAX_SHARED_STRINGS: z.coerce.number().int().min(1).default(1_000_000),
    /** Bytes of XML one workbook may inflate to. */
    XLSX_MAX_INFLATED_BYTES: z.coerce
      .number()
      .int()
      .min(1000)
      .default(256 * 1024 * 1024),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.VIEWER_SECRET) ctx.addIssue({ code: 'custom', path: ['VIEWER_SECRET'], message: 'is required in production' });
      if (!env.JWT_JWKS_URL && !env.JWT_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'JWT_JWKS_URL (or JWT_SECRET) is required in production' });
      }
    }
  });

/** Public development secrets: used only outside production, when none is configured. */
export const DEVELOPMENT_VIEWER_SECRET = 'development-only-viewer-secret-do-not-use-in-production';
export const DEVELOPMENT_JWT_SECRET = 'development-only-jwt-secret-do-not-use-in-production';

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

let dotEnvLoaded = false;
/** Reads `.env` at the project root once, if there is one; variables already set win. */
function loadDotEnv(): void {
  if (dotEnvLoaded) return;
  dotEnvLoaded = true;
  const file = path.join(PROJECT_ROOT, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  if (env === process.env) loadDotEnv();
  // Empty strings in a .env file mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return result.data;
}

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | null }
  | {
      kind: 'postgres';
      url: string;
      schema: string;
      poolSize: number;
      /** Tests: the schema name gets the service's name appended and is dropped on close. */
      ephemeral?: boolean;
    };

export interface ServiceConfig {
  service: ServiceName;
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  database: DatabaseConfig;
  migrateOnStart: boolean;
  seedOnStart: boolean | undefined;
  exposeSqlCount: boolean;
  /** Verifies the viewer header (see viewer.ts). */
  viewerSecret: string;
  /** Longest lifetime a viewer header may have (VIEWER_TTL_SECONDS); longer-lived ones are refused. */
  viewerTtlSeconds: number;
  /** Where the other subgraphs answer (for reference checks). */
  peers: Partial<Record<ServiceName, string>>;
  /** Logs, metrics, tracing and shutdown (see operationsConfig). */
  operations: OperationsConfig;
}

/** Operations settings every process shares: logs, metrics, tracing, shutdown (docs/OPERATIONS.md). */
export interface OperationsConfig {
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  logPretty: boolean;
  metrics: boolean;
  /** Who may read /metrics (see metricsAllowed). */
  metricsToken: string | undefined;
  /** Without a token, /metrics is closed (production). */
  metricsClosedWithoutToken: boolean;
  /** Set: traces go to this OTLP/HTTP collector; unset: tracing is off. */
  otlpEndpoint: string | undefined;
  shutdownTimeoutMs: number;
  shutdownDelayMs: number;
}

export function operationsConfig(env: Env = readEnv()): OperationsConfig {
  return {
    // Tests stay quiet unless something is wrong.
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'error' : 'info'),
    logPretty: env.LOG_PRETTY,
    metrics: env.METRICS_ENABLED,
    metricsToken: env.METRICS_TOKEN,
    metricsClosedWithoutToken: env.NODE_ENV === 'production',
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
  };
}

export function viewerSecret(env: Env = readEnv()): string {
  return env.VIEWER_SECRET ?? DEVELOPMENT_VIEWER_SECRET;
}

const upper = (s: ServiceName) => s.toUpperCase() as Uppercase<ServiceName>;

export function serviceConfig(service: ServiceName, env: Env = readEnv()): ServiceConfig {
  const url = env[`${upper(service)}_DATABASE_URL`] ?? env.DATABASE_URL;
  return {
    service,
    env: env.NODE_ENV,
    host: env.HOST,
    port: env[`${upper(service)}_PORT`],
    database: url
      ? { kind: 'postgres', url, schema: service, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.resolve(PROJECT_ROOT, env.DATA_DIR, service) },
    migrateOnStart: env.MIGRATE_ON_START,
    seedOnStart: env.SEED_ON_START,
    exposeSqlCount: env.EXPOSE_SQL_COUNT,
    viewerSecret: viewerSecret(env),
    viewerTtlSeconds: env.VIEWER_TTL_SECONDS,
    peers: Object.fromEntries(SERVICES.filter((s) => s !== service).map((s) => [s, subgraphUrl(s, env)])),
    operations: operationsConfig(env),
  };
}

export function subgraphUrl(service: ServiceName, env: Env = readEnv()): string {
  return env[`${upper(service)}_URL`] ?? `http://${env.HOST}:${env[`${upper(service)}_PORT`]}/graphql`;
}
