/**
 * Starts the whole supergraph for a test file: the four subgraphs (each on its own fresh in-memory
 * PGlite, or its own throw-away PostgreSQL schema when DATABASE_URL is set) on ephemeral ports, and the
 * gateway in front of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SERVICES, readEnv, testDatabase, type Env, type ServiceName, type RunningServer } from '@moral-registry/common';
import { createServer as networks } from '@moral-registry/networks';
import { createServer as agencies } from '@moral-registry/agencies';
import { createServer as activities } from '@moral-registry/activities';
import { createServer as awards } from '@moral-registry/awards';
import { FileApiKeyStore, PostgresApiKeyStore, signStaffToken, startGateway, type ApiKeyStore } from '@moral-registry/gateway';

const factories = { networks, agencies, activities, awards };

type AnyServer = Awaited<ReturnType<(typeof factories)[ServiceName]>>;

export interface Stack {
  gatewayUrl: string;
  /** The configuration the gateway runs with (for signing test tokens). */
  env: Env;
  /** The gateway's API keys (a throw-away file, or a throw-away PostgreSQL schema with DATABASE_URL). */
  apiKeys: ApiKeyStore;
  /** Where each subgraph answers directly (bypassing the gateway). */
  subgraphUrls: Record<ServiceName, string>;
  services: Record<ServiceName, AnyServer>;
  /** Total SQL statements sent by all subgraphs so far. */
  statements(): number;
  statementsBy(): Record<ServiceName, number>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const database = testDatabase();
  const services = {} as Record<ServiceName, AnyServer>;
  const running: RunningServer[] = [];
  const urls = {} as Record<ServiceName, string>;
  // Sequential start: the machines have two cores and each start compiles the schema engine. Each
  // subgraph checks references only with those started before it (networks ← agencies ← activities, awards).
  for (const name of SERVICES) {
    services[name] = await factories[name]({ config: { ...database, host: '127.0.0.1', peers: { ...urls } }, seed: true });
    running.push(await services[name].listen(0));
    urls[name] = running.at(-1)!.url;
  }
  // API keys are looked up on every request (no cache), so a revocation shows at once.
  const env = { ...readEnv(), NODE_ENV: 'test' as const, API_KEY_CACHE_SECONDS: 0 };
  let keyDir: string | null = null;
  let apiKeys: ApiKeyStore;
  if (env.DATABASE_URL) apiKeys = new PostgresApiKeyStore(env.DATABASE_URL, `test_keys_${randomUUID().replace(/-/g, '').slice(0, 10)}`);
  else {
    keyDir = mkdtempSync(path.join(tmpdir(), 'registry-keys-'));
    apiKeys = new FileApiKeyStore(path.join(keyDir, 'api-keys.json'));
  }
  const gateway = await startGateway({ host: '127.0.0.1', port: 0, subgraphUrls: urls, env, apiKeys });
  const statementsBy = () => Object.fromEntries(SERVICES.map((s) => [s, services[s].db.statements.count])) as Record<ServiceName, number>;
  return {
    gatewayUrl: gateway.url,
    env,
    apiKeys,
    subgraphUrls: urls,
    services,
    statementsBy,
    statements: () => Object.values(statementsBy()).reduce((a, b) => a + b, 0),
    async close() {
      await gateway.close();
      for (const name of SERVICES) await services[name].close();
      if (apiKeys instanceof PostgresApiKeyStore) await apiKeys.drop();
      await apiKeys.close();
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
