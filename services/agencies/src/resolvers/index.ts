import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Agency, AuditEntry, Person } from './Agency.ts';
import { District } from './District.ts';
import { Mutation } from './Mutation.ts';
import { Network, Province } from './Province.ts';
import { Nation, Region } from './Region.ts';

export const resolvers: Resolvers = { Query, Mutation, Agency, Person, AuditEntry, Province, Network, District, Region, Nation };
