import type { Database } from '@moral-registry/common';
import { auditTrailLoader, loaderByCode, loaderById, loaderOfLists, NATION_CODE, requestContext } from '@moral-registry/common';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Province } from './models.ts';
import { NetworkRepository } from './repository.ts';

export type NetworksDatabase = Database<PrismaClient>;

/**
 * Per-request loaders: one SQL statement per entity type per hop. Lists and statistics leave
 * archived chapters and programme years out; lookups by id (network, programmeYear) do not.
 */
export function createLoaders(prisma: PrismaClient, repository: NetworkRepository) {
  return {
    province: loaderByCode(prisma.province),
    region: loaderByCode(prisma.region),
    district: loaderByCode(prisma.district),
    sector: loaderByCode(prisma.networkSector),
    network: loaderById(prisma.network),
    programmeYear: loaderById(prisma.programmeYear),
    districtsByProvince: loaderOfLists(
      (codes: readonly string[]) => prisma.district.findMany({ where: { provinceCode: { in: [...codes] } }, orderBy: { code: 'asc' } }),
      (d) => d.provinceCode,
    ),
    networksByProvince: loaderOfLists(
      (codes: readonly string[]) =>
        prisma.network.findMany({
          where: { provinceCode: { in: [...codes] }, archivedAt: null },
          orderBy: [{ sector: { sortOrder: 'asc' } }, { nameTh: 'asc' }],
        }),
      (n) => n.provinceCode,
    ),
    programmeYearsByProvince: loaderOfLists(
      (codes: readonly string[]) =>
        prisma.programmeYear.findMany({
          where: { provinceCode: { in: [...codes] }, archivedAt: null },
          orderBy: { programmeYear: 'asc' },
        }),
      (y) => y.provinceCode,
    ),
    regionsByGrouping: loaderOfLists(
      (groupings: readonly string[]) =>
        prisma.region.findMany({ where: { grouping: { in: [...groupings] } }, orderBy: { sortOrder: 'asc' } }),
      (r) => r.grouping,
    ),
    /** Provinces of regions (NSO or MPC codes) or of the nation (TH). */
    provincesByRegion: loaderOfLists(
      async (codes: readonly string[]) => {
        const nation = codes.includes(NATION_CODE);
        const provinces = await prisma.province.findMany({
          where: nation ? {} : { OR: [{ regionCode: { in: [...codes] } }, { mpcRegionCode: { in: [...codes] } }] },
          orderBy: { code: 'asc' },
        });
        // A province belongs to one region of each grouping and to the nation: list it under each requested one.
        return provinces.flatMap((p) =>
          codes.filter((c) => c === p.regionCode || c === p.mpcRegionCode || c === NATION_CODE).map((c) => ({ region: c, province: p })),
        );
      },
      (row: { region: string; province: Province }) => row.region,
    ),
    /** Network stats of provinces (ranked among all 77), regions and the nation (TH): one statement each for all requested. */
    stats: repository.stats.loaders(),
    /** Audit trails of network chapters and programme years, newest first; staff only (access.ts). */
    auditTrail: auditTrailLoader(prisma.auditEntry),
  };
}

/** Per request: the verified viewer, the peers to ask, the request id, this service's data access. */
export const createContext = requestContext(NetworkRepository, createLoaders);
export type Context = ReturnType<typeof createContext>;
