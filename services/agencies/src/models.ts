/** GraphQL parents: this service's Prisma models, and key-only references to other subgraphs' entities. */
export type { Agency, AuditEntry, Person } from './generated/prisma/client.ts';
export type { CodeRef as ProvinceRef, CodeRef as DistrictRef, CodeRef as NetworkSectorRef } from '@moral-registry/common';
export type { CodeRef as RegionRef, CodeRef as NationRef, IdRef as NetworkRef } from '@moral-registry/common';
