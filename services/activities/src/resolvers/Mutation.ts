import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';
import { importActivities } from '../imports.ts';

/** Thin: who may call what is in access.ts; validation, province scope and transactions in writes.ts and imports.ts. */
export const Mutation: MutationResolvers = {
  createActivity: async (_parent, { input }, context) => ({ activity: await writes.createActivity(context, input) }),
  updateActivity: async (_parent, { input }, context) => ({ activity: await writes.updateActivity(context, input) }),
  archiveActivity: async (_parent, { input }, context) => ({ activity: await writes.archiveActivity(context, input) }),
  restoreActivity: async (_parent, { input }, context) => ({ activity: await writes.restoreActivity(context, input) }),
  unlinkAgencyFromActivity: async (_parent, { input }, context) => ({ activity: await writes.unlinkAgencyFromActivity(context, input) }),
  importActivities: (_parent, { input }, context) => importActivities(context, input),
};
