import { EDITOR_ROLES, STAFF_ROLES, type Policy } from '@moral-registry/common';

/**
 * Who may do what in the agencies subgraph: the one place where its roles are enforced (see
 * common/access.ts). The province scope of editors is checked by every write in writes.ts.
 */
export const policy: Policy = {
  Mutation: {
    createAgency: { allow: EDITOR_ROLES },
    updateAgency: { allow: EDITOR_ROLES },
    archiveAgency: { allow: EDITOR_ROLES },
    restoreAgency: { allow: EDITOR_ROLES },
    createPerson: { allow: EDITOR_ROLES },
    updatePerson: { allow: EDITOR_ROLES },
    archivePerson: { allow: EDITOR_ROLES },
    restorePerson: { allow: EDITOR_ROLES },
    // Also the editor of the agency's province (writes.ts: assertCanUnlink).
    unlinkPersonFromAgency: { allow: EDITOR_ROLES },
    // Batch imports: each row is also checked against the editor's province (a row of another province is rejected alone).
    importAgencies: { allow: EDITOR_ROLES },
    importPeople: { allow: EDITOR_ROLES },
  },
  Agency: {
    auditTrail: { allow: STAFF_ROLES },
  },
  // Personal data (PDPA): staff only; partners and anonymous callers get null, not an error.
  Person: {
    phone: { allow: STAFF_ROLES, otherwise: 'null' },
    email: { allow: STAFF_ROLES, otherwise: 'null' },
    address: { allow: STAFF_ROLES, otherwise: 'null' },
    auditTrail: { allow: STAFF_ROLES },
  },
};
