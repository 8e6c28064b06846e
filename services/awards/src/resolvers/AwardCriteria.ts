import { auditEntryResolvers, provenanceOf } from '@moral-registry/common';
import type { AuditEntryResolvers, AwardCriteriaResolvers, ResolversParentTypes } from '../generated/graphql.ts';
import type { AwardCriteriaRow } from '../models.ts';

/**
 * codegen.ts maps no model to AwardCriteria in this subgraph (models.ts calls the row AwardCriteriaRow), so its resolvers' parent is the GraphQL
 * type: the row is shaped here. Audit rows are mapped (AuditEntry model) and resolved by auditEntryResolvers.
 */
type AwardCriteriaParent = ResolversParentTypes['AwardCriteria'];

/** An AwardCriteria row as the GraphQL type; `auditTrail` is resolved by AwardCriteria.auditTrail. */
export function criteriaOf(row: AwardCriteriaRow): AwardCriteriaParent {
  const criteria: Omit<AwardCriteriaParent, 'auditTrail'> = {
    id: row.id,
    province: { code: row.provinceCode },
    fiscalYear: row.fiscalYear,
    textTh: row.textTh,
    virtues: row.virtues,
    source: provenanceOf(row),
    version: row.version,
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
  return criteria as AwardCriteriaParent;
}

export const AwardCriteria: AwardCriteriaResolvers = {
  auditTrail: (criteria, _args, { loaders }) => loaders.auditTrail.load('AwardCriteria', criteria.id),
};

export const AuditEntry: AuditEntryResolvers = auditEntryResolvers as AuditEntryResolvers;
