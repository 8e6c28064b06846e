import { auditEntryResolvers, provenanceOf } from '@moral-registry/common';
import type {
  AuditEntry as AuditEntryType,
  AuditEntryResolvers,
  AwardCriteriaResolvers,
  ResolversParentTypes,
} from '../generated/graphql.ts';
import type { AuditEntry as AuditEntryRow, AwardCriteria as AwardCriteriaRow } from '../models.ts';

/**
 * codegen.ts maps no model to AwardCriteria or AuditEntry in this subgraph, so their resolvers'
 * parents are the GraphQL types: the rows are shaped here, and audit rows (resolved by
 * auditEntryResolvers) pass through as the GraphQL type.
 */
export const trailOf = (rows: AuditEntryRow[]) => rows as unknown as AuditEntryType[];

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
  auditTrail: async (criteria, _args, { loaders }) => trailOf(await loaders.auditTrail.load('AwardCriteria', criteria.id)),
};

export const AuditEntry = auditEntryResolvers as unknown as AuditEntryResolvers;
