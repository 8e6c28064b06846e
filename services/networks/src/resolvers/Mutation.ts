import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';

/** Thin: who may call what is in access.ts, validation, province scope and transactions in writes.ts. */
export const Mutation: MutationResolvers = {
  createNetwork: async (_parent, { input }, context) => ({ network: await writes.createNetwork(context, input) }),
  updateNetwork: async (_parent, { input }, context) => ({ network: await writes.updateNetwork(context, input) }),
  archiveNetwork: async (_parent, { input }, context) => ({ network: await writes.archiveNetwork(context, input) }),
  restoreNetwork: async (_parent, { input }, context) => ({ network: await writes.restoreNetwork(context, input) }),
  createProgrammeYear: async (_parent, { input }, context) => ({ programmeYear: await writes.createProgrammeYear(context, input) }),
  updateProgrammeYear: async (_parent, { input }, context) => ({ programmeYear: await writes.updateProgrammeYear(context, input) }),
  archiveProgrammeYear: async (_parent, { input }, context) => ({ programmeYear: await writes.archiveProgrammeYear(context, input) }),
  restoreProgrammeYear: async (_parent, { input }, context) => ({ programmeYear: await writes.restoreProgrammeYear(context, input) }),
};
