/**
 * Starts the whole supergraph for a test file: the four subgraphs (each on its own fresh in-memory
 * PGlite, or its own throw-away PostgreSQL schema when DATABASE_URL is set) on ephemeral ports, and the
 * gateway in front of them.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  SERVICES,
  loadSubgraph,
  openEmbedded,
  readEnv,
  type Env,
  type ServiceConfig,
  type ServiceName,
  type RunningServer,
  type SubgraphModule,
} from '@moral-registry/common';
import { testDatabase } from '@moral-registry/common/testing';
import {
  FileApiKeyStore,
  FileDocumentStore,
  PostgresApiKeyStore,
  PostgresDocumentStore,
  signStaffToken,
  startGateway,
  type ApiKeyStore,
  type DocumentStore,
  type RunningGateway,
} from '@moral-registry/gateway';

/** Each subgraph's server factory, from its package (the registry: packages/common/src/subgraphs.ts). */
const factories = Object.fromEntries(
  await Promise.all(SERVICES.map(async (name) => [name, (await loadSubgraph(name)).createServer])),
) as Record<ServiceName, SubgraphModule['createServer']>;

type AnyServer = Awaited<ReturnType<SubgraphModule['createServer']>>;

/** The national comparison a staff dashboard asks for: all 77 provinces with every subgraph's stats. */
export const COMPARISON = `
  query Comparison($fy: Int!) {
    provinces {
      code
      networkStats { chapters nationalRank }
      agencyStats { total nationalRank nationalAverage percentile }
      activityStats(fiscalYear: $fy) { count participantCount previousCount change nationalRank comparisons { metric value nationalRank } }
      recognitionStats(fiscalYear: $fy) { total nationalRank provinceLevel }
    }
  }`;

export interface Stack {
  gatewayUrl: string;
  /** The configuration the gateway runs with (for signing test tokens). */
  env: Env;
  /** The gateway's API keys (a throw-away file, or a throw-away PostgreSQL schema with DATABASE_URL). */
  apiKeys: ApiKeyStore;
  /** The gateway's trusted documents (stored beside the API keys). */
  documents: DocumentStore;
  /** Where each subgraph answers directly (bypassing the gateway). */
  subgraphUrls: Record<ServiceName, string>;
  services: Record<ServiceName, AnyServer>;
  /** Total SQL statements sent by all subgraphs so far. */
  statements(): number;
  statementsBy(): Record<ServiceName, number>;
  /** Stops one subgraph as if its process died (HTTP server and database closed); see startSubgraph. */
  stopSubgraph(name: ServiceName): Promise<void>;
  /**
   * Starts a stopped subgraph again on the same port. Its data is the demo data again: an in-memory
   * PGlite or a throw-away schema does not outlive the subgraph.
   */
  startSubgraph(name: ServiceName): Promise<void>;
  /**
   * Starts another gateway in front of the stack's subgraphs, API keys and trusted documents, configured
   * as the stack's with `env` on top (a production gateway, other limits); it closes with the stack.
   */
  gatewayWith(env: Partial<Env>): Promise<RunningGateway>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Gateway configuration on top of the test defaults (e.g. `GATEWAY_CACHE_ENABLED: true`). */
  gatewayEnv?: Partial<Env>;
  /** PostgreSQL only: the URL a subgraph connects through (say, a proxy a test can cut); its schema stays the test's own. */
  databaseUrls?: Partial<Record<ServiceName, string>>;
  /**
   * Keep the data where the commands (`npm run seed`, `db:backup` …) find it, as `npm start` does: embedded
   * databases in `dataDir/<service>` and the gateway's files in `dataDir/gateway`, or each service in its own
   * schema (`networks`, …) of `postgresUrl`. Nothing is dropped on close: the data outlives the stack.
   */
  storage?: { dataDir: string } | { postgresUrl: string };
}

/**
 * Creates the four services' embedded data directories under `dataDir` from one empty cluster made on
 * disk once and copied: a fresh cluster costs ~10 s of CPU (PGlite's initdb), opening a copy ~1 s.
 * What the services do on their first start (migrations, reference data) still happens on start.
 */
export async function emptyEmbeddedDirs(dataDir: string): Promise<void> {
  const template = path.join(dataDir, '.empty-cluster');
  await (await openEmbedded({ dataDir: template, purpose: 'the tests’ empty cluster' })).close();
  for (const name of SERVICES) cpSync(template, path.join(dataDir, name), { recursive: true });
  rmSync(template, { recursive: true, force: true });
  rmSync(`${template}.lock`, { force: true });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const database = testDatabase();
  const services = {} as Record<ServiceName, AnyServer>;
  const running = {} as Record<ServiceName, RunningServer | null>;
  const urls = {} as Record<ServiceName, string>;
  const configs = {} as Record<ServiceName, Partial<ServiceConfig>>;
  // Sequential start: the machines have two cores and each start compiles the schema engine. Each
  // subgraph checks references only with those started before it: SERVICES is in the registry's start order.
  const storage = options.storage;
  for (const name of SERVICES) {
    const url = options.databaseUrls?.[name];
    const db =
      storage && 'dataDir' in storage
        ? { database: { kind: 'pglite' as const, dataDir: path.join(storage.dataDir, name) } }
        : storage
          ? { database: { kind: 'postgres' as const, url: storage.postgresUrl, schema: name, poolSize: 4 } }
          : url && database.database?.kind === 'postgres'
            ? { database: { ...database.database, url } }
            : {};
    configs[name] = { ...database, ...db, host: '127.0.0.1', peers: { ...urls } };
    services[name] = await factories[name]({ config: configs[name], seed: true });
    running[name] = await services[name].listen(0);
    urls[name] = running[name].url;
  }
  // API keys are looked up on every request (no cache), so a revocation shows at once. No response
  // cache either unless a test asks for it: tests count the SQL statements of repeated reads. Redis
  // keys (with REDIS_URL) get a prefix of their own, so test files running at once never share entries.
  const run = randomUUID().replace(/-/g, '').slice(0, 10);
  const env: Env = {
    ...readEnv(),
    NODE_ENV: 'test' as const,
    API_KEY_CACHE_SECONDS: 0,
    GATEWAY_CACHE_ENABLED: false,
    GATEWAY_CACHE_REDIS_PREFIX: `test:${run}:response-cache:`,
    // Rate limits only where a test turns them on: test files send many requests from one address.
    GATEWAY_RATE_LIMITS: false,
    GATEWAY_RATE_LIMIT_PREFIX: `test:${run}:rate-limit`,
    ...options.gatewayEnv,
  };
  let keyDir: string | null = null;
  let apiKeys: ApiKeyStore;
  if (storage && 'dataDir' in storage) apiKeys = new FileApiKeyStore(path.join(storage.dataDir, 'gateway', 'api-keys.json'));
  else if (storage) apiKeys = new PostgresApiKeyStore(storage.postgresUrl, 'gateway');
  else if (env.DATABASE_URL)
    apiKeys = new PostgresApiKeyStore(env.DATABASE_URL, `test_keys_${randomUUID().replace(/-/g, '').slice(0, 10)}`);
  else {
    keyDir = mkdtempSync(path.join(tmpdir(), 'registry-keys-'));
    apiKeys = new FileApiKeyStore(path.join(keyDir, 'api-keys.json'));
  }
  const documents: DocumentStore =
    storage && 'dataDir' in storage
      ? new FileDocumentStore(path.join(storage.dataDir, 'gateway', 'documents.json'))
      : storage
        ? new PostgresDocumentStore(storage.postgresUrl, 'gateway')
        : env.DATABASE_URL
          ? new PostgresDocumentStore(env.DATABASE_URL, `test_documents_${run}`)
          : new FileDocumentStore(path.join(keyDir!, 'documents.json'));
  const gateway = await startGateway({ host: '127.0.0.1', port: 0, subgraphUrls: urls, env, apiKeys, documents });
  const otherGateways: RunningGateway[] = [];
  const statementsBy = () => Object.fromEntries(SERVICES.map((s) => [s, services[s].db.statements.count])) as Record<ServiceName, number>;
  return {
    gatewayUrl: gateway.url,
    env,
    apiKeys,
    documents,
    subgraphUrls: urls,
    services,
    statementsBy,
    statements: () => Object.values(statementsBy()).reduce((a, b) => a + b, 0),
    async stopSubgraph(name) {
      if (!running[name]) throw new Error(`${name} is not running`);
      await services[name].close();
      running[name] = null;
    },
    async startSubgraph(name) {
      if (running[name]) throw new Error(`${name} is running`);
      services[name] = await factories[name]({ config: configs[name], seed: true });
      running[name] = await services[name].listen(Number(new URL(urls[name]).port));
    },
    async gatewayWith(overrides) {
      // As quiet as the stack's own gateway even with NODE_ENV=production, whose default level is info.
      const other = await startGateway({
        host: '127.0.0.1',
        port: 0,
        subgraphUrls: urls,
        env: { ...env, LOG_LEVEL: 'error', ...overrides },
        apiKeys,
        documents,
      });
      otherGateways.push(other);
      return other;
    },
    async close() {
      for (const other of otherGateways) await other.close();
      await gateway.close();
      for (const name of SERVICES) if (running[name]) await services[name].close();
      if (apiKeys instanceof PostgresApiKeyStore && !storage) await apiKeys.drop();
      await apiKeys.close();
      if (documents instanceof PostgresDocumentStore && !storage) await documents.drop();
      await documents.close();
      if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** A development staff token for the stack's gateway. */
export function tokenFor(stack: Stack, role: 'NATIONAL_ADMIN' | 'PROVINCIAL_EDITOR' | 'STAFF_READER' | 'PARTNER', province?: string) {
  return signStaffToken(stack.env, {
    sub: `test-${role.toLowerCase()}${province ? `-${province}` : ''}`,
    role,
    province,
    name: `ทดสอบ ${role}`,
  });
}
