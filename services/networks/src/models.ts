/** GraphQL parents are this service's Prisma models (codegen `mappers`). */
export type { Province, Region, District, NetworkSector, Network, ProgrammeYear } from './generated/prisma/client.ts';
