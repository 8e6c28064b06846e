import { allowMutations, EDITOR_ROLES, STAFF_ROLES, type Policy } from '@moral-registry/common';
import type { Person } from './models.ts';

const personProvince = (person: Person) => person.provinceCode;

/**
 * Who may do what in the agencies subgraph: the one place where its roles are enforced (see
 * common/access.ts). The province scope of editors is checked by every write in writes.ts.
 */
export const policy: Policy = {
  Mutation: {
    ...allowMutations(EDITOR_ROLES, ['createAgency', 'updateAgency', 'archiveAgency', 'restoreAgency']),
    ...allowMutations(EDITOR_ROLES, ['createPerson', 'updatePerson', 'archivePerson', 'restorePerson']),
    // Also the editor of the agency's province (writes.ts: assertCanUnlink).
    unlinkPersonFromAgency: { allow: EDITOR_ROLES },
    // Batch imports: each row is also checked against the editor's province (a row of another province is rejected alone).
    ...allowMutations(EDITOR_ROLES, ['importAgencies', 'importPeople']),
  },
  Agency: {
    auditTrail: { allow: STAFF_ROLES },
  },
  // Personal data (PDPA): national staff and the staff of the person's own province; partners, anonymous
  // callers and other provinces' editors get null, not an error. The audit trail holds the same details.
  Person: {
    phone: { allow: STAFF_ROLES, otherwise: 'null', province: personProvince },
    email: { allow: STAFF_ROLES, otherwise: 'null', province: personProvince },
    address: { allow: STAFF_ROLES, otherwise: 'null', province: personProvince },
    auditTrail: { allow: STAFF_ROLES, province: personProvince },
  },
};
