/**
 * Starts the whole supergraph for a test file: the four subgraphs (each on its own fresh in-memory
 * PGlite, or its own throw-away PostgreSQL schema when DATABASE_URL is set) on ephemeral ports, and the
 * gateway in front of them.
 */
import { SERVICES, readEnv, testDatabase, type ServiceName, type RunningServer } from '@moral-registry/common';
import { createServer as networks } from '@moral-registry/networks';
import { createServer as agencies } from '@moral-registry/agencies';
import { createServer as activities } from '@moral-registry/activities';
import { createServer as awards } from '@moral-registry/awards';
import { startGateway } from '@moral-registry/gateway';

const factories = { networks, agencies, activities, awards };

type AnyServer = Awaited<ReturnType<(typeof factories)[ServiceName]>>;

export interface Stack {
  gatewayUrl: string;
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
  // Sequential start: the machines have two cores and each start compiles the schema engine.
  for (const name of SERVICES) {
    services[name] = await factories[name]({ config: { ...database, host: '127.0.0.1' }, seed: true });
    running.push(await services[name].listen(0));
  }
  const urls = Object.fromEntries(SERVICES.map((s, i) => [s, running[i]!.url]));
  const gateway = await startGateway({ host: '127.0.0.1', port: 0, subgraphUrls: urls, env: { ...readEnv(), NODE_ENV: 'test' } });
  const statementsBy = () => Object.fromEntries(SERVICES.map((s) => [s, services[s].db.statements.count])) as Record<ServiceName, number>;
  return {
    gatewayUrl: gateway.url,
    services,
    statementsBy,
    statements: () => Object.values(statementsBy()).reduce((a, b) => a + b, 0),
    async close() {
      await gateway.close();
      for (const name of SERVICES) await services[name].close();
    },
  };
}
