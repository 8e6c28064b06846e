import { allowMutations, EDITOR_ROLES, STAFF_ROLES, type Policy } from '@moral-registry/common';

/**
 * Who may do what in the networks subgraph: the one place where its roles are enforced (see
 * common/access.ts). Reference data (provinces, districts, regions, sectors) has no mutations. The
 * province scope of editors (own province only) is checked by every write in writes.ts.
 */
export const policy: Policy = {
  Mutation: {
    ...allowMutations(EDITOR_ROLES, ['createNetwork', 'updateNetwork', 'archiveNetwork', 'restoreNetwork']),
    ...allowMutations(EDITOR_ROLES, ['createProgrammeYear', 'updateProgrammeYear', 'archiveProgrammeYear', 'restoreProgrammeYear']),
  },
  // Who changed what is for staff; the records themselves are public.
  Network: {
    auditTrail: { allow: STAFF_ROLES },
  },
  ProgrammeYear: {
    auditTrail: { allow: STAFF_ROLES },
  },
};
