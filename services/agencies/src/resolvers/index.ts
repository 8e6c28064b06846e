import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Agency, Person } from './Agency.ts';
import { Network, Province } from './Province.ts';
import { Nation, Region } from './Region.ts';

export const resolvers: Resolvers = { Query, Agency, Person, Province, Network, Region, Nation };
