/** GraphQL parents: this service's Prisma model, and key-only references to other subgraphs' entities. */
export type { Activity, AuditEntry } from './generated/prisma/client.ts';
export interface AgencyRef {
  id: string;
}
export interface ProvinceRef {
  code: string;
}
export interface DistrictRef {
  code: string;
}
export interface RegionRef {
  code: string;
}
export interface NationRef {
  code: string;
}
