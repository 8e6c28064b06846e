import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Mutation } from './Mutation.ts';
import { AuditEntry, AwardCriteria } from './AwardCriteria.ts';
import { Recognition, RecognitionRecipient } from './Recognition.ts';
import { Agency, Person } from './Agency.ts';
import { Province } from './Province.ts';
import { District } from './District.ts';
import { Nation, Region } from './Region.ts';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Recognition,
  AwardCriteria,
  AuditEntry,
  RecognitionRecipient,
  Province,
  District,
  Region,
  Nation,
  Agency,
  Person,
};
