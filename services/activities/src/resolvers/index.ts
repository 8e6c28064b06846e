import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Activity, Agency, AuditEntry } from './Activity.ts';
import { District } from './District.ts';
import { Mutation } from './Mutation.ts';
import { Province } from './Province.ts';
import { Nation, Region } from './Region.ts';
import { DateScalar } from './Date.ts';

export const resolvers: Resolvers = { Query, Mutation, Activity, AuditEntry, Agency, Province, District, Region, Nation, Date: DateScalar };
