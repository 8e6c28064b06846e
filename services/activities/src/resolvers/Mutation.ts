import { payload } from '@moral-registry/common';
import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';
import { importActivities } from '../imports.ts';

/** Thin: who may call what is in access.ts; validation, province scope and transactions in writes.ts and imports.ts. */
export const Mutation: MutationResolvers = {
  createActivity: payload('activity', writes.createActivity),
  updateActivity: payload('activity', writes.updateActivity),
  archiveActivity: payload('activity', writes.archiveActivity),
  restoreActivity: payload('activity', writes.restoreActivity),
  unlinkAgencyFromActivity: payload('activity', writes.unlinkAgencyFromActivity),
  importActivities: (_parent, { input }, context) => importActivities(context, input),
};
