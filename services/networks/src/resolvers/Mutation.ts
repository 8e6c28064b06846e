import { payload } from '@moral-registry/common';
import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';

/** Thin: who may call what is in access.ts, validation, province scope and transactions in writes.ts. */
export const Mutation: MutationResolvers = {
  createNetwork: payload('network', writes.createNetwork),
  updateNetwork: payload('network', writes.updateNetwork),
  archiveNetwork: payload('network', writes.archiveNetwork),
  restoreNetwork: payload('network', writes.restoreNetwork),
  createProgrammeYear: payload('programmeYear', writes.createProgrammeYear),
  updateProgrammeYear: payload('programmeYear', writes.updateProgrammeYear),
  archiveProgrammeYear: payload('programmeYear', writes.archiveProgrammeYear),
  restoreProgrammeYear: payload('programmeYear', writes.restoreProgrammeYear),
};
