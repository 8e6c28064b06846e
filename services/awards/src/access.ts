import { EDITOR_ROLES, NATIONAL_ONLY, STAFF_ROLES, type Policy } from '@moral-registry/common';

/**
 * Who may do what in the awards subgraph: the one place where its roles are enforced (see
 * common/access.ts). The province scope of editors (the recognition's or the criteria's province)
 * and the workflow's own rules (who may change a certified recognition) are checked by writes.ts.
 */
export const policy: Policy = {
  Mutation: {
    // The province nominates, certifies and withdraws; the national subcommittee confirms and rejects.
    nominateRecognition: { allow: EDITOR_ROLES },
    updateRecognition: { allow: EDITOR_ROLES },
    certifyRecognition: { allow: EDITOR_ROLES },
    confirmRecognition: { allow: NATIONAL_ONLY },
    rejectRecognition: { allow: NATIONAL_ONLY },
    withdrawRecognition: { allow: EDITOR_ROLES },
    archiveRecognition: { allow: EDITOR_ROLES },
    restoreRecognition: { allow: EDITOR_ROLES },
    createAwardCriteria: { allow: EDITOR_ROLES },
    updateAwardCriteria: { allow: EDITOR_ROLES },
    archiveAwardCriteria: { allow: EDITOR_ROLES },
    restoreAwardCriteria: { allow: EDITOR_ROLES },
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
