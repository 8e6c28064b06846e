import path from 'node:path';
import { createSubgraphServer, type CreateServerOptions } from '@moral-registry/common';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext, type Context } from './context.ts';
import { resolvers } from './resolvers/index.ts';
import { seed } from './seed/index.ts';
import { seedSynthetic } from './seed/synthetic.ts';
import { policy } from './access.ts';

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../schema.graphql');

/** The agencies subgraph: agencies and people, and the agency fields of Province and Network. */
export function createServer(options: CreateServerOptions = {}) {
  return createSubgraphServer<PrismaClient, Context>(
    {
      name: 'agencies',
      schemaPath: SCHEMA_PATH,
      resolvers,
      createClient: (adapter) => new PrismaClient({ adapter }),
      createContext,
      policy,
      seed,
      seedSynthetic,
    },
    options,
  );
}

export { seed };
export type { Context };
