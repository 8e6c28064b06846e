/**
 * The life cycle every subgraph shares: open its own database, apply migrations, load reference and
 * demo data, build the Apollo subgraph, listen. Each service's `createServer` fills in the parts.
 */
import path from 'node:path';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { serviceConfig, type ServiceConfig, type ServiceName } from './config.ts';
import { openDatabase, type Database } from './database.ts';
import { searchExtension, searchTablesOf } from './search.ts';
import { prismaProject } from './project.ts';
import { createApolloSubgraph, listen, type RunningServer } from './subgraph.ts';
import { subgraphTypeDefs } from './sdl.ts';
import { applyPolicy, type Policy } from './access.ts';
import { createPeers, type Peers } from './peers.ts';
import { ANONYMOUS, REQUEST_ID_HEADER, VIEWER_HEADER, verifyViewer, type Viewer } from './viewer.ts';
import { createLogger, type Logger } from './logger.ts';
import { createSubgraphMetrics } from './metrics.ts';
import { startTracing } from './telemetry.ts';
import { adminRoutes, type SeedSyntheticFn } from './admin.ts';
import { EmbeddedDatabaseError, type EmbeddedFailure } from './embedded/pglite.ts';

/** What a request brings to a subgraph's context: the verified viewer, peers to ask, the request id. */
export interface RequestScope {
  viewer: Viewer;
  peers: Peers;
  requestId: string | null;
}

/** Per request: the verified viewer, the peers to ask, the request id, the service's data access. */
export type ServiceContext<Client, Repository, Loaders> = RequestScope & {
  db: Database<Client>;
  prisma: Client;
  repository: Repository;
  loaders: Loaders;
};

/**
 * A service's `createContext`, from its repository class and its per-request loaders: per request, the
 * request's scope, the database, a repository on its client and fresh loaders.
 */
export function requestContext<Client, Repository, Loaders>(
  Repository: new (client: Client) => Repository,
  createLoaders: (prisma: Client, repository: Repository) => Loaders,
): (db: Database<Client>, scope: RequestScope) => ServiceContext<Client, Repository, Loaders> {
  return (db, scope) => {
    const repository = new Repository(db.client);
    return { ...scope, db, prisma: db.client, repository, loaders: createLoaders(db.client, repository) };
  };
}

type Disconnect = { $disconnect(): Promise<void> };
/** A Prisma client, as far as adding a query extension to it goes. */
type PrismaExtensible = { $extends(extension: ReturnType<typeof searchExtension>): unknown };

export interface SubgraphSpec<Client, Context extends BaseContext> {
  /** Its schema is the one the registry assembles for this name (sdl.ts). */
  name: ServiceName;
  resolvers: unknown;
  createClient: (adapter: SqlDriverAdapterFactory) => Client & Disconnect;
  createContext: (db: Database<Client>, scope: RequestScope) => Context;
  /** Who may run each mutation and read each protected field (see access.ts). */
  policy: Policy;
  /** Loads reference and demo data; must be idempotent. */
  seed?: (db: Database<Client>) => Promise<{ created: number }>;
  /** Loads the national synthetic dataset (`npm run seed -- --synthetic`); idempotent too. */
  seedSynthetic?: SeedSyntheticFn<Client>;
}

export interface SubgraphServer<Client, Context extends BaseContext> {
  name: ServiceName;
  config: ServiceConfig;
  db: Database<Client>;
  apollo: ApolloServer<Context>;
  /** JSON lines on stdout, named after the service (see logger.ts). */
  logger: Logger;
  /** A context as for a request by `viewer` (default anonymous); tests use it to run operations in-process. */
  createContext(viewer?: Viewer, requestId?: string | null): Context;
  /** Starts listening (port 0 picks a free port). */
  listen(port?: number): Promise<RunningServer>;
  close(): Promise<void>;
}

export interface CreateServerOptions {
  config?: Partial<ServiceConfig>;
  /** Overrides config.seedOnStart. */
  seed?: boolean;
  /** Who opens the database, for the embedded database's lock (default: "the <name> service"). */
  purpose?: string;
  /** The embedded database failed for good while running (runMain stops the process; tests look). */
  onDatabaseFailure?: (failure: EmbeddedFailure) => void;
  /** Tests: simulate a full disk below the embedded database. */
  failWrites?: (file: string) => boolean;
}

export async function createSubgraphServer<Client, Context extends BaseContext>(
  spec: SubgraphSpec<Client, Context>,
  options: CreateServerOptions = {},
): Promise<SubgraphServer<Client, Context>> {
  const config: ServiceConfig = { ...serviceConfig(spec.name), ...options.config };
  if (config.database.kind === 'postgres' && config.database.ephemeral) {
    config.database = { ...config.database, schema: `${config.database.schema}_${spec.name}` };
  }
  const logger = createLogger(spec.name, config.operations);
  const searchTables = searchTablesOf(spec.name);
  const db = await openDatabase({
    config: config.database,
    project: prismaProject(spec.name),
    // Every write fills the derived search columns (docs/SEARCH.md); the extension changes no types.
    createClient: searchTables.length
      ? (adapter) =>
          (spec.createClient(adapter) as unknown as PrismaExtensible).$extends(searchExtension(searchTables)) as Client & Disconnect
      : spec.createClient,
    searchTables,
    logger,
    purpose: options.purpose ?? `the ${spec.name} service`,
    onFailure: (failure) => {
      logger.fatal({ event: 'database.failed', problem: failure.problem }, `${spec.name}: ${failure.message}`);
      options.onDatabaseFailure?.(failure);
    },
    onProblem: (message) => logger.error({ event: 'database.problem' }, `${spec.name}: ${message}`),
    onTakeover: (previous) =>
      logger.warn(
        { event: 'database.stale_lock', previousPid: previous?.pid ?? null },
        `${spec.name}: took over the lock of ${previous ? `pid ${previous.pid} (${previous.command})` : 'an unreadable lock file'}, which had stopped without closing the database; PostgreSQL recovers its last acknowledged writes from the WAL`,
      ),
    failWrites: options.failWrites,
  });
  try {
    if (config.migrateOnStart) await db.migrate();
    else {
      const { unknown } = await db.migrationStatus();
      if (unknown.length) await db.migrate(); // refuses, naming the migrations this code does not know
    }
    if (options.seed ?? config.seedOnStart ?? config.database.kind === 'pglite') await spec.seed?.(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const typeDefs = subgraphTypeDefs(spec.name);
  const apollo = createApolloSubgraph<Context>({
    typeDefs,
    resolvers: applyPolicy(spec.resolvers as Record<string, any>, spec.policy, typeDefs),
    development: config.env !== 'production',
    logger,
    databaseFailure: { service: spec.name, reason: () => db.failure()?.reason ?? null },
  });
  const admin = adminRoutes({
    service: spec.name,
    db,
    secret: config.viewerSecret,
    seed: spec.seed,
    seedSynthetic: spec.seedSynthetic,
    log: (line) => logger.info({ event: 'admin' }, `${spec.name}: ${line}`),
  });
  const metrics = config.operations.metrics ? createSubgraphMetrics(spec.name, () => db.poolStats()) : undefined;
  const contextFor = (viewer: Viewer, requestId: string | null) =>
    spec.createContext(db, {
      viewer,
      requestId,
      peers: createPeers({ urls: config.peers, secret: config.viewerSecret, ttlSeconds: config.viewerTtlSeconds, viewer, requestId }),
    });
  let running: RunningServer | undefined;
  return {
    name: spec.name,
    config,
    db,
    apollo,
    logger,
    createContext: (viewer = ANONYMOUS, requestId = null) => contextFor(viewer, requestId),
    async listen(port = config.port) {
      running = await listen(apollo, {
        host: config.host,
        port,
        context: async (req) => {
          // Every request must carry a viewer signed by the gateway (UNAUTHENTICATED, HTTP 401, otherwise).
          const viewer = await verifyViewer(req.headers[VIEWER_HEADER], config.viewerSecret, config.viewerTtlSeconds);
          const requestId = req.headers[REQUEST_ID_HEADER];
          return contextFor(viewer, typeof requestId === 'string' ? requestId.slice(0, 100) : null);
        },
        ready: async () => {
          await db.rawQuery('SELECT 1');
        },
        sqlStatements: config.exposeSqlCount ? () => db.statements.count : undefined,
        logger,
        metrics,
        metricsAccess: config.operations,
        shutdown: { timeoutMs: config.operations.shutdownTimeoutMs, delayMs: config.operations.shutdownDelayMs },
        admin,
      });
      // Commands that find the database locked do their work through this URL (admin.ts).
      db.embedded?.lock.setUrl(running.url);
      return running;
    },
    async close() {
      if (running) await running.close();
      else await apollo.stop().catch(() => undefined);
      await db.close();
    },
  };
}

/** A service's Prisma client class, as generated (`new PrismaClient({ adapter })`). */
export type PrismaClientClass<Client> = new (options: { adapter: SqlDriverAdapterFactory }) => Client & Disconnect;

/**
 * A service's `createServer`: its spec with the generated Prisma client class in place of `createClient`,
 * so each `server.ts` names only its own parts.
 */
export function defineSubgraph<Client, Context extends BaseContext>({
  PrismaClient,
  ...spec
}: Omit<SubgraphSpec<Client, Context>, 'createClient'> & { PrismaClient: PrismaClientClass<Client> }) {
  const full: SubgraphSpec<Client, Context> = { ...spec, createClient: (adapter) => new PrismaClient({ adapter }) };
  return (options: CreateServerOptions = {}) => createSubgraphServer(full, options);
}

/**
 * `main.ts` of a service: start (tracing first, when configured), log the URL; on SIGINT/SIGTERM
 * drain in-flight requests (see shutdown.ts), close the database, flush the last spans, exit.
 */
/**
 * Exit codes of a service whose database cannot be used (`npm start` reads them): 78 (EX_CONFIG) needs
 * an operator (read-only, corrupted, newer migrations, held by another process); 75 (EX_TEMPFAIL) may
 * pass by itself once the cause is fixed (the disk was full, the database stopped): start it again.
 */
export const EXIT_DATABASE_UNUSABLE = 78;
export const EXIT_DATABASE_FAILED = 75;

export async function runMain<Client, Context extends BaseContext>(
  start: (options: CreateServerOptions) => Promise<SubgraphServer<Client, Context>>,
): Promise<void> {
  const began = Date.now();
  let stop: (signal: string, code?: number) => Promise<void> = async () => undefined;
  let server: SubgraphServer<Client, Context>;
  try {
    server = await start({ onDatabaseFailure: () => void stop('database failure', EXIT_DATABASE_FAILED) });
  } catch (error) {
    if (error instanceof EmbeddedDatabaseError) {
      // One line, already saying which directory and what to do (embedded/pglite.ts).
      console.error(`[${path.basename(error.dataDir)}] ${error.message}`);
      process.exit(error.problem === 'disk-full' || error.problem === 'failed' ? EXIT_DATABASE_FAILED : EXIT_DATABASE_UNUSABLE);
    }
    throw error;
  }
  const tracing = await startTracing(server.name, server.config.operations);
  const running = await server.listen();
  server.logger.info(
    { url: running.url, database: server.db.location, startupMs: Date.now() - began, tracing: tracing !== null },
    `${server.name} ready at ${running.url}`,
  );
  let stopping = false;
  stop = async (signal: string, code = 0) => {
    // npm start's children get Ctrl-C from the terminal and SIGTERM from their parent: drain once.
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal, timeoutMs: server.config.operations.shutdownTimeoutMs }, 'shutting down: draining in-flight requests');
    await server.close();
    await tracing?.shutdown();
    server.logger.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Started by `npm start` (an IPC channel): if it dies, even by kill -9, stop cleanly rather than run
  // on as an orphan that holds the port and the database.
  process.on('disconnect', () => void stop('npm start went away'));
}
