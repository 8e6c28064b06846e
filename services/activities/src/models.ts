/** GraphQL parents: this service's Prisma model, and key-only references to other subgraphs' entities. */
export type { Activity, AuditEntry } from './generated/prisma/client.ts';
export type { CodeRef as ProvinceRef, CodeRef as DistrictRef, CodeRef as RegionRef, CodeRef as NationRef } from '@moral-registry/common';
export type { IdRef as AgencyRef } from '@moral-registry/common';
