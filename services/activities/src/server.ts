import { defineSubgraph } from '@moral-registry/common';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext, type Context } from './context.ts';
import { resolvers } from './resolvers/index.ts';
import { seed } from './seed/index.ts';
import { seedSynthetic } from './seed/synthetic.ts';
import { policy } from './access.ts';

/** The activities subgraph: activities, and the activity fields of Province and Agency. */
export const createServer = defineSubgraph({ name: 'activities', PrismaClient, resolvers, createContext, policy, seed, seedSynthetic });

export { seed, seedSynthetic };
export type { Context };
