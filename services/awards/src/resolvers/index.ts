import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Recognition, RecognitionRecipient } from './Recognition.ts';
import { Agency, Person } from './Agency.ts';
import { Province } from './Province.ts';
import { Nation, Region } from './Region.ts';

export const resolvers: Resolvers = { Query, Recognition, RecognitionRecipient, Province, Region, Nation, Agency, Person };
