/** GraphQL parents: this service's Prisma models, and key-only references to other subgraphs' entities. */
export type { Agency, AuditEntry, Person } from './generated/prisma/client.ts';
export interface ProvinceRef {
  code: string;
}
export interface NetworkRef {
  id: string;
}
export interface DistrictRef {
  code: string;
}
export interface NetworkSectorRef {
  code: string;
}
export interface RegionRef {
  code: string;
}
export interface NationRef {
  code: string;
}
