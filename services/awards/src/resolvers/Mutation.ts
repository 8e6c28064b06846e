import { payload } from '@moral-registry/common';
import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';
import { importRecognitions } from '../imports.ts';
import { criteriaOf } from './AwardCriteria.ts';

/** Thin: who may call what is in access.ts, validation, workflow and transactions in writes.ts. */
export const Mutation: MutationResolvers = {
  nominateRecognition: payload('recognition', writes.nominateRecognition),
  updateRecognition: payload('recognition', writes.updateRecognition),
  certifyRecognition: payload('recognition', writes.certifyRecognition),
  confirmRecognition: payload('recognition', writes.confirmRecognition),
  rejectRecognition: payload('recognition', writes.rejectRecognition),
  withdrawRecognition: payload('recognition', writes.withdrawRecognition),
  archiveRecognition: payload('recognition', writes.archiveRecognition),
  restoreRecognition: payload('recognition', writes.restoreRecognition),
  createAwardCriteria: payload('awardCriteria', writes.createAwardCriteria, criteriaOf),
  updateAwardCriteria: payload('awardCriteria', writes.updateAwardCriteria, criteriaOf),
  archiveAwardCriteria: payload('awardCriteria', writes.archiveAwardCriteria, criteriaOf),
  restoreAwardCriteria: payload('awardCriteria', writes.restoreAwardCriteria, criteriaOf),
  importRecognitions: (_parent, { input }, context) => importRecognitions(context, input),
};
