import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';
import { importRecognitions } from '../imports.ts';
import { criteriaOf } from './AwardCriteria.ts';

/** Thin: who may call what is in access.ts, validation, workflow and transactions in writes.ts. */
export const Mutation: MutationResolvers = {
  nominateRecognition: async (_parent, { input }, context) => ({ recognition: await writes.nominateRecognition(context, input) }),
  updateRecognition: async (_parent, { input }, context) => ({ recognition: await writes.updateRecognition(context, input) }),
  certifyRecognition: async (_parent, { input }, context) => ({ recognition: await writes.certifyRecognition(context, input) }),
  confirmRecognition: async (_parent, { input }, context) => ({ recognition: await writes.confirmRecognition(context, input) }),
  rejectRecognition: async (_parent, { input }, context) => ({ recognition: await writes.rejectRecognition(context, input) }),
  withdrawRecognition: async (_parent, { input }, context) => ({ recognition: await writes.withdrawRecognition(context, input) }),
  archiveRecognition: async (_parent, { input }, context) => ({ recognition: await writes.archiveRecognition(context, input) }),
  restoreRecognition: async (_parent, { input }, context) => ({ recognition: await writes.restoreRecognition(context, input) }),
  createAwardCriteria: async (_parent, { input }, context) => ({
    awardCriteria: criteriaOf(await writes.createAwardCriteria(context, input)),
  }),
  updateAwardCriteria: async (_parent, { input }, context) => ({
    awardCriteria: criteriaOf(await writes.updateAwardCriteria(context, input)),
  }),
  archiveAwardCriteria: async (_parent, { input }, context) => ({
    awardCriteria: criteriaOf(await writes.archiveAwardCriteria(context, input)),
  }),
  restoreAwardCriteria: async (_parent, { input }, context) => ({
    awardCriteria: criteriaOf(await writes.restoreAwardCriteria(context, input)),
  }),
  importRecognitions: (_parent, { input }, context) => importRecognitions(context, input),
};
