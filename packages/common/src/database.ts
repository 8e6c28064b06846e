/**
 * Opens a service's own database: an embedded PGlite directory by default, PostgreSQL (the service's
 * own schema) when a URL is configured. Applies pending Prisma migrations and counts the SQL
 * statements the service sends, so tests and benchmarks can prove there is no N+1.
 */
import path from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DatabaseConfig } from './config.ts';
import { applyMigrations, type MigrationAdapterFactory, type PrismaProject } from './schema-engine.ts';
import type { Logger } from './logger.ts';
import {
  EmbeddedDatabaseError,
  openEmbedded,
  recordTransactionOutcomes,
  transactionOutcome,
  type EmbeddedDatabase,
  type EmbeddedFailure,
  type DurableOptions,
} from './embedded/pglite.ts';
import type { LockHolder } from './embedded/lock.ts';
import { inMemoryPGlite } from './embedded/memory.ts';
import { backfillSearch, type SearchTable } from './search.ts';

/** Counts the SQL statements a service sends to its database. */
export class StatementCounter {
  count = 0;
  private recent: string[] = [];
  constructor(private readonly keep = 200) {}
  record(sql: string | undefined): void {
    this.count += 1;
    if (sql !== undefined) {
      this.recent.push(sql);
      if (this.recent.length > this.keep) this.recent.shift();
    }
  }
  /** Statements recorded since `mark` (a previous `count`), newest last. */
  since(mark: number): string[] {
    const n = this.count - mark;
    return n <= 0 ? [] : this.recent.slice(-Math.min(n, this.recent.length));
  }
}

const COUNTED = new Set(['queryRaw', 'executeRaw']);
const WRAPPED = new Set(['connect', 'connectToShadowDb', 'startTransaction']);

function counting<T extends object>(target: T, counter: StatementCounter): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop === 'string' && COUNTED.has(prop)) {
        return (...args: unknown[]) => {
          counter.record((args[0] as { sql?: string } | undefined)?.sql);
          return fn.apply(obj, args);
        };
      }
      if (typeof prop === 'string' && WRAPPED.has(prop)) {
        return async (...args: unknown[]) => {
          const result = await fn.apply(obj, args);
          return result && typeof result === 'object' ? counting(result, counter) : result;
        };
      }
      return fn.bind(obj);
    },
  });
}

/** Connection pool counters for /metrics; `null` where the driver has no such thing (PGlite). */
export interface PoolStats {
  total: number;
  idle: number | null;
  waiting: number | null;
}

/** Which migrations a database has, against the ones this code knows. */
export interface MigrationStatus {
  applied: string[];
  /** In this code, not applied yet. */
  pending: string[];
  /** Applied, but not in this code: the database was migrated by a newer (or another) version. */
  unknown: string[];
}

export interface Database<Client> {
  client: Client;
  kind: DatabaseConfig['kind'];
  /** Where the data lives, for start-up messages (no credentials). */
  location: string;
  statements: StatementCounter;
  /** Runs SQL outside Prisma (start-up checks, tests); not counted. */
  rawQuery<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Applies pending migrations; refuses a database migrated beyond this code. */
  migrate(): Promise<string[]>;
  migrationStatus(): Promise<MigrationStatus>;
  poolStats(): PoolStats;
  /** The embedded database on a data directory (PGlite on disk), for backups and its lock; null otherwise. */
  embedded: EmbeddedDatabase | null;
  /** Set when the embedded database has failed for good (see embedded/pglite.ts); null on PostgreSQL. */
  failure(): EmbeddedFailure | null;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions<Client> {
  config: DatabaseConfig;
  project: PrismaProject;
  createClient: (adapter: SqlDriverAdapterFactory) => Client & { $disconnect(): Promise<void> };
  /** Where a failed idle connection is reported (the service's pino logger); the console otherwise. */
  logger?: Pick<Logger, 'warn'>;
  /** Embedded database on disk: who opens it, for its lock ("the agencies service", "npm run seed"). */
  purpose?: string;
  /** Embedded database: it failed for good (the service logs the line and stops). */
  onFailure?: (failure: EmbeddedFailure) => void;
  /** Embedded database: a statement hit a storage problem (disk full, corruption): one line for the log. */
  onProblem?: (message: string) => void;
  /** Embedded database: a stale lock left by a dead process was taken over. */
  onTakeover?: (previous: LockHolder | null) => void;
  /** Tests: simulate a full disk below the embedded database. */
  failWrites?: DurableOptions['failWrites'];
  /** bench/durability.ts only: false opens the embedded database with PGlite's own settings (fsync off). */
  durable?: boolean;
  /** Tables whose derived search columns `migrate()` fills for rows written before they existed (search.ts). */
  searchTables?: readonly SearchTable[];
}

function localMigrationNames(migrationsDir: string): string[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** What `wholeScripts` needs of the adapter PrismaPg's factory connects (its fields are not public). */
interface ScriptAdapter {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
  executeScript(script: string): Promise<void>;
}

/**
 * Migrations with PL/pgSQL functions (activities: participation_summary) on PostgreSQL: PrismaPg's
 * adapter runs a migration script by splitting it at every ";", inside comments and `$$` bodies too.
 * PostgreSQL itself runs a script sent as one simple query, statement by statement, in one implicit
 * transaction (so a migration that fails half-way leaves nothing behind); the embedded PGlite's adapter
 * already does the same.
 */
function wholeScripts<F extends MigrationAdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as ScriptAdapter;
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.client.query(script);
      } catch (error) {
        adapter.onError(error);
      }
    };
    return adapter;
  };
  return factory;
}

/**
 * PGlite: a transaction's commit waits for the real outcome of its COMMIT and fails with it (see
 * recordTransactionOutcomes: the adapter would report a refused COMMIT as a success).
 */
function surfaceCommitFailures<F extends SqlDriverAdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => {
      const transaction = await startTransaction(...args);
      const commit = transaction.commit.bind(transaction);
      transaction.commit = async () => {
        await commit();
        const outcome = transactionOutcome((transaction as unknown as { client: object }).client);
        if (outcome) await outcome;
      };
      return transaction;
    };
    return adapter;
  };
  return factory;
}

/** How long opening a PostgreSQL connection may take before the query that needed it fails. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The `application_name` of a service's PostgreSQL connections (at most 63 bytes, PostgreSQL's limit). */
/** One PostgreSQL connection for `work` (administration: schemas, databases, checks), closed after it. */
export async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function applicationName(schema: string): string {
  return `moral-registry/${schema}`.slice(0, 63);
}

export async function openDatabase<Client>(options: OpenDatabaseOptions<Client>): Promise<Database<Client>> {
  const { config, project } = options;
  const statements = new StatementCounter();
  let factory: MigrationAdapterFactory & SqlDriverAdapterFactory;
  let rawQuery: Database<Client>['rawQuery'];
  let closeDriver: () => Promise<void>;
  let location: string;
  let dropOnClose: (() => Promise<void>) | undefined;
  // PGlite is one embedded connection; PostgreSQL: Prisma's queries share `pool`, whose counters we report.
  let clientFactory: SqlDriverAdapterFactory | undefined;
  let poolStats: Database<Client>['poolStats'] = () => ({ total: 1, idle: null, waiting: null });

  let embedded: EmbeddedDatabase | null = null;
  if (config.kind === 'pglite') {
    let pglite: PGlite;
    if (config.dataDir) {
      embedded = await openEmbedded({
        dataDir: config.dataDir,
        purpose: options.purpose ?? `a process of the ${path.basename(config.dataDir)} service`,
        onFailure: options.onFailure,
        onProblem: options.onProblem,
        onTakeover: options.onTakeover,
        failWrites: options.failWrites,
        durable: options.durable,
      });
      pglite = embedded.pglite;
      closeDriver = () => embedded!.close();
    } else {
      // In memory (tests): nothing to lock, nothing to keep; initdb's work is reused (embedded/memory.ts).
      pglite = await inMemoryPGlite();
      closeDriver = () => pglite.close();
    }
    recordTransactionOutcomes(pglite);
    factory = surfaceCommitFailures(new PrismaPGlite(pglite)) as unknown as typeof factory;
    rawQuery = async (sql, params) => (await pglite.query(sql, params)).rows as never;
    location = config.dataDir ? `PGlite ${config.dataDir}` : 'PGlite (in memory)';
  } else {
    const schema = config.schema.replace(/"/g, '');
    dropOnClose = config.ephemeral
      ? async () => {
          await withPgClient(config.url, (admin) => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
        }
      : undefined;
    await withPgClient(config.url, (admin) => admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
    // Reconnection (docs/RESILIENCE.md): when PostgreSQL closes connections (restart, failover,
    // pg_terminate_backend), queries in flight fail and the next ones open new connections; an idle
    // connection's error must only be logged, as an unhandled 'error' event would end the process.
    // Connecting gives up after CONNECT_TIMEOUT_MS instead of hanging while the server is unreachable;
    // application_name lets an operator find (or cut) this service's connections in pg_stat_activity.
    const poolConfig = {
      connectionString: config.url,
      max: config.poolSize,
      options: `-c search_path="${schema}"`,
      application_name: applicationName(schema),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    };
    const pool = new pg.Pool(poolConfig);
    pool.on('error', (error) => {
      const message = `${schema}: a pooled connection failed (${error.message}); the next query opens a new one`;
      if (options.logger) options.logger.warn({ event: 'database.connection_failed', schema, reason: error.message }, message);
      else console.warn(`[database] ${message}`);
    });
    factory = wholeScripts(new PrismaPg(poolConfig, { schema }) as unknown as typeof factory);
    // (The adapter's copy of @types/pg is newer than ours; at run time both are the same `pg`.)
    clientFactory = new PrismaPg(pool as unknown as ConstructorParameters<typeof PrismaPg>[0], { schema });
    poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    rawQuery = async (sql, params) => (await pool.query(sql, params as unknown[])).rows as never;
    closeDriver = () => pool.end();
    const url = new URL(config.url);
    location = `PostgreSQL ${url.host}${url.pathname} schema "${schema}"`;
  }

  const client = options.createClient(counting(clientFactory ?? factory, statements));

  const migrationStatus = async (): Promise<MigrationStatus> => {
    const local = localMigrationNames(project.migrationsDir);
    let applied: string[] = [];
    try {
      applied = (
        await rawQuery<{ migration_name: string }>(
          'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
        )
      ).map((r) => r.migration_name);
    } catch (error) {
      // No migrations table yet: a fresh database. Anything else (the database failed) is for the caller.
      if (!/_prisma_migrations/.test((error as Error).message)) throw error;
    }
    const known = new Set(local);
    const done = new Set(applied);
    return { applied, pending: local.filter((n) => !done.has(n)), unknown: applied.filter((n) => !known.has(n)) };
  };

  const applyPending = async () => {
    // Fast path: when every local migration is recorded as applied, skip loading the schema engine.
    const status = await migrationStatus();
    if (status.unknown.length) {
      const message =
        `${location} was migrated by a newer version of the registry (migrations not in this code: ${status.unknown.join(', ')}); ` +
        'run that version, or restore a backup made with this one (npm run db:restore <file>)';
      throw config.kind === 'pglite' && config.dataDir
        ? new EmbeddedDatabaseError('newer-migrations', config.dataDir, message)
        : new Error(message);
    }
    if (status.pending.length === 0) return [];
    if (config.kind !== 'postgres') return applyMigrations(project, factory);
    // Prisma's schema engine takes a database-wide advisory lock and gives up after a short wait;
    // services and test files that migrate their own schemas of one database at the same time queue
    // here instead, on a lock of our own that waits as long as it takes.
    const lock = new pg.Client({ connectionString: config.url });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', ['moral-registry:migrations']);
      return await applyMigrations(project, factory, { disposeConnections: true });
    } finally {
      await lock.end();
    }
  };

  // Derived search columns are filled in JavaScript (Thai word segmentation), after the SQL migrations
  // that add them; cheap when every row has them, and resumed by the next run if interrupted.
  const migrate = async () => {
    const applied = await applyPending();
    if (options.searchTables?.length) await backfillSearch(rawQuery, options.searchTables);
    return applied;
  };

  return {
    client,
    kind: config.kind,
    location,
    statements,
    rawQuery,
    migrate,
    migrationStatus,
    poolStats: () => poolStats(),
    embedded,
    failure: () => embedded?.failure() ?? null,
    close: async () => {
      await (client as unknown as { $disconnect(): Promise<void> }).$disconnect();
      await closeDriver();
      await dropOnClose?.();
    },
  };
}
