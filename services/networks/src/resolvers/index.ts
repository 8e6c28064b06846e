import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Province } from './Province.ts';
import { Region } from './Region.ts';
import { District } from './District.ts';
import { AuditEntry, Network, NetworkSector, ProgrammeYear } from './Network.ts';
import { Mutation } from './Mutation.ts';
import { Nation } from './Nation.ts';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Nation,
  Province,
  Region,
  District,
  Network,
  NetworkSector,
  ProgrammeYear,
  AuditEntry,
};
