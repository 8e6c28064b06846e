import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Province } from './Province.ts';
import { Region } from './Region.ts';
import { District } from './District.ts';
import { Network, NetworkSector, ProgrammeYear } from './Network.ts';
import { Nation } from './Nation.ts';

export const resolvers: Resolvers = { Query, Nation, Province, Region, District, Network, NetworkSector, ProgrammeYear };
