import type { Resolvers } from '../generated/graphql.ts';
import { Query } from './Query.ts';
import { Recognition, RecognitionRecipient } from './Recognition.ts';
import { Agency, Person } from './Agency.ts';
import { Province } from './Province.ts';

export const resolvers: Resolvers = { Query, Recognition, RecognitionRecipient, Province, Agency, Person };
