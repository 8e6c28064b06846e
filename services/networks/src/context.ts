import type { Database } from '@moral-registry/common';
import { loaderByKey, loaderOfLists } from '@moral-registry/common';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Province } from './models.ts';

export type NetworksDatabase = Database<PrismaClient>;

/** Per-request loaders: one SQL statement per entity type per hop. */
export function createLoaders(prisma: PrismaClient) {
  return {
    province: loaderByKey(
      (codes: readonly string[]) => prisma.province.findMany({ where: { code: { in: [...codes] } } }),
      (p) => p.code,
    ),
    region: loaderByKey(
      (codes: readonly string[]) => prisma.region.findMany({ where: { code: { in: [...codes] } } }),
      (r) => r.code,
    ),
    district: loaderByKey(
      (codes: readonly string[]) => prisma.district.findMany({ where: { code: { in: [...codes] } } }),
      (d) => d.code,
    ),
    sector: loaderByKey(
      (codes: readonly string[]) => prisma.networkSector.findMany({ where: { code: { in: [...codes] } } }),
      (s) => s.code,
    ),
    network: loaderByKey(
      (ids: readonly string[]) => prisma.network.findMany({ where: { id: { in: [...ids] } } }),
      (n) => n.id,
    ),
    districtsByProvince: loaderOfLists(
      (codes: readonly string[]) => prisma.district.findMany({ where: { provinceCode: { in: [...codes] } }, orderBy: { code: 'asc' } }),
      (d) => d.provinceCode,
    ),
    networksByProvince: loaderOfLists(
      (codes: readonly string[]) =>
        prisma.network.findMany({
          where: { provinceCode: { in: [...codes] } },
          orderBy: [{ sector: { sortOrder: 'asc' } }, { nameTh: 'asc' }],
        }),
      (n) => n.provinceCode,
    ),
    programmeYearsByProvince: loaderOfLists(
      (codes: readonly string[]) =>
        prisma.programmeYear.findMany({ where: { provinceCode: { in: [...codes] } }, orderBy: { programmeYear: 'asc' } }),
      (y) => y.provinceCode,
    ),
    provincesByRegion: loaderOfLists(
      async (codes: readonly string[]) => {
        const provinces = await prisma.province.findMany({
          where: { OR: [{ regionCode: { in: [...codes] } }, { mpcRegionCode: { in: [...codes] } }] },
          orderBy: { code: 'asc' },
        });
        // A province belongs to one region of each grouping: list it under each requested one.
        return provinces.flatMap((p) =>
          codes.filter((c) => c === p.regionCode || c === p.mpcRegionCode).map((c) => ({ region: c, province: p })),
        );
      },
      (row: { region: string; province: Province }) => row.region,
    ),
  };
}

export interface Context {
  db: NetworksDatabase;
  prisma: PrismaClient;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(db: NetworksDatabase): Context {
  return { db, prisma: db.client, loaders: createLoaders(db.client) };
}
