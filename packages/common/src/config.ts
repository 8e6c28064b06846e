/**
 * Configuration, read once from the environment and validated. Every problem is listed before the
 * process exits, so a misconfigured deployment fails with one complete message.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const SERVICES = ['networks', 'agencies', 'activities', 'awards'] as const;
export type ServiceName = (typeof SERVICES)[number];

const DEFAULT_PORTS: Record<ServiceName | 'gateway', number> = {
  gateway: 4000,
  networks: 4001,
  agencies: 4002,
  activities: 4003,
  awards: 4004,
};

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The project root (two levels above this package's src). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway),
    NETWORKS_PORT: port.default(DEFAULT_PORTS.networks),
    AGENCIES_PORT: port.default(DEFAULT_PORTS.agencies),
    ACTIVITIES_PORT: port.default(DEFAULT_PORTS.activities),
    AWARDS_PORT: port.default(DEFAULT_PORTS.awards),
    NETWORKS_URL: z.url().optional(),
    AGENCIES_URL: z.url().optional(),
    ACTIVITIES_URL: z.url().optional(),
    AWARDS_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    NETWORKS_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    AGENCIES_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    ACTIVITIES_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    AWARDS_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
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
    /** API keys: PostgreSQL database of the gateway's key table (schema `gateway`); default DATABASE_URL, else a file in DATA_DIR. */
    GATEWAY_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    /** How long the gateway caches an API key lookup (seconds); a revoked key stops working within this time. */
    API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
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
  /** Where the other subgraphs answer (for reference checks). */
  peers: Partial<Record<ServiceName, string>>;
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
    peers: Object.fromEntries(SERVICES.filter((s) => s !== service).map((s) => [s, subgraphUrl(s, env)])),
  };
}

export function subgraphUrl(service: ServiceName, env: Env = readEnv()): string {
  return env[`${upper(service)}_URL`] ?? `http://${env.HOST}:${env[`${upper(service)}_PORT`]}/graphql`;
}
