/**
 * GraphQL parents: this service's Prisma models, and key-only references to other subgraphs'
 * entities. A reference may carry its `__typename` so the RecognitionRecipient union can tell an
 * Agency key from a Person key (both are just `{ id }`).
 */
export type { Recognition, AuditEntry } from './generated/prisma/client.ts';
/** Not the parent of AwardCriteria's resolvers (not named as the type, so codegen maps nothing): they get the row shaped by criteriaOf. */
export type { AwardCriteria as AwardCriteriaRow } from './generated/prisma/client.ts';
export interface AgencyRef {
  __typename?: 'Agency';
  id: string;
}
export interface PersonRef {
  __typename?: 'Person';
  id: string;
}
export interface ProvinceRef {
  __typename?: 'Province';
  code: string;
}
export type { CodeRef as DistrictRef, CodeRef as RegionRef, CodeRef as NationRef } from '@moral-registry/common';
