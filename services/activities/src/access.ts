import { allowMutations, EDITOR_ROLES, STAFF_ROLES, type Policy } from '@moral-registry/common';

/**
 * Who may do what in the activities subgraph: the one place where its roles are enforced (see
 * common/access.ts). The province scope of editors (their own province only; national activities are
 * national admins') is checked by every write in writes.ts, with the activity's province before and
 * after the change.
 */
export const policy: Policy = {
  Mutation: {
    ...allowMutations(EDITOR_ROLES, ['createActivity', 'updateActivity', 'archiveActivity', 'restoreActivity']),
    // Also the editor of the agency's province (writes.ts: assertCanUnlink).
    unlinkAgencyFromActivity: { allow: EDITOR_ROLES },
    // Batch import: each row is also checked against the editor's province (a row of another province is rejected alone).
    importActivities: { allow: EDITOR_ROLES },
  },
  // Activities hold no personal data; only their audit trail (who changed what) is staff-only.
  Activity: {
    auditTrail: { allow: STAFF_ROLES },
  },
};
