import { payload } from '@moral-registry/common';
import type { MutationResolvers } from '../generated/graphql.ts';
import * as writes from '../writes.ts';
import { importAgencies, importPeople } from '../imports.ts';

/** Thin: who may call what is in access.ts, validation and transactions in writes.ts. */
export const Mutation: MutationResolvers = {
  createAgency: payload('agency', writes.createAgency),
  updateAgency: payload('agency', writes.updateAgency),
  archiveAgency: payload('agency', writes.archiveAgency),
  restoreAgency: payload('agency', writes.restoreAgency),
  createPerson: payload('person', writes.createPerson),
  updatePerson: payload('person', writes.updatePerson),
  archivePerson: payload('person', writes.archivePerson),
  restorePerson: payload('person', writes.restorePerson),
  unlinkPersonFromAgency: payload('person', writes.unlinkPersonFromAgency),
  importAgencies: (_parent, { input }, context) => importAgencies(context, input),
  importPeople: (_parent, { input }, context) => importPeople(context, input),
};
