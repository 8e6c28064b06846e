import { defineSubgraph } from '@moral-registry/common';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext, type Context } from './context.ts';
import { resolvers } from './resolvers/index.ts';
import { seed } from './seed/index.ts';
import { seedSynthetic } from './seed/synthetic.ts';
import { policy } from './access.ts';

/** The awards subgraph: recognitions and award criteria, and the recognition fields of Province, Agency and Person. */
export const createServer = defineSubgraph({ name: 'awards', PrismaClient, resolvers, createContext, policy, seed, seedSynthetic });

export { seed, seedSynthetic };
export type { Context };
