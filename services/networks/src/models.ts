/** GraphQL parents are this service's Prisma models (codegen `mappers`). */
export type { Province, Region, District, NetworkSector, Network, ProgrammeYear, AuditEntry } from './generated/prisma/client.ts';
/** The nation is not a table: there is one, code TH. */
export interface Nation {
  code: 'TH';
}
