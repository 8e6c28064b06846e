import { allowMutations, EDITOR_ROLES, NATIONAL_ONLY, STAFF_ROLES, type Policy } from '@moral-registry/common';

/**
 * Who may do what in the awards subgraph: the one place where its roles are enforced (see
 * common/access.ts). The province scope of editors (the recognition's or the criteria's province)
 * and the workflow's own rules (who may change a certified recognition) are checked by writes.ts.
 */
export const policy: Policy = {
  Mutation: {
    // The province nominates, certifies and withdraws; the national subcommittee confirms and rejects.
    ...allowMutations(EDITOR_ROLES, ['nominateRecognition', 'updateRecognition', 'certifyRecognition', 'withdrawRecognition']),
    ...allowMutations(NATIONAL_ONLY, ['confirmRecognition', 'rejectRecognition']),
    ...allowMutations(EDITOR_ROLES, ['archiveRecognition', 'restoreRecognition']),
    ...allowMutations(EDITOR_ROLES, ['createAwardCriteria', 'updateAwardCriteria', 'archiveAwardCriteria', 'restoreAwardCriteria']),
    // Batch import: each row is also checked against the editor's province (a row of another province is rejected alone).
    importRecognitions: { allow: EDITOR_ROLES },
  },
  Recognition: {
    auditTrail: { allow: STAFF_ROLES },
  },
  AwardCriteria: {
    auditTrail: { allow: STAFF_ROLES },
  },
};
