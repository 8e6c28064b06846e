import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';
import { importAgencies, importPeople } from '../imports.ts';

/** Thin: who may call what is in access.ts, validation and transactions in writes.ts. */
export const Mutation: MutationResolvers = {
  createAgency: async (_parent, { input }, context) => ({ agency: await writes.createAgency(context, input) }),
  updateAgency: async (_parent, { input }, context) => ({ agency: await writes.updateAgency(context, input) }),
  archiveAgency: async (_parent, { input }, context) => ({ agency: await writes.archiveAgency(context, input) }),
  restoreAgency: async (_parent, { input }, context) => ({ agency: await writes.restoreAgency(context, input) }),
  createPerson: async (_parent, { input }, context) => ({ person: await writes.createPerson(context, input) }),
  updatePerson: async (_parent, { input }, context) => ({ person: await writes.updatePerson(context, input) }),
  archivePerson: async (_parent, { input }, context) => ({ person: await writes.archivePerson(context, input) }),
  restorePerson: async (_parent, { input }, context) => ({ person: await writes.restorePerson(context, input) }),
  unlinkPersonFromAgency: async (_parent, { input }, context) => ({ person: await writes.unlinkPersonFromAgency(context, input) }),
  importAgencies: (_parent, { input }, context) => importAgencies(context, input),
  importPeople: (_parent, { input }, context) => importPeople(context, input),
};
