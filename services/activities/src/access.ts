import type { Policy } from '@moral-registry/common';

/** Who may do what in this subgraph: the one place where its roles are enforced (see common/access.ts). */
export const policy: Policy = {};
