import {
  badUserInput,
  echo,
  NATION_CODE,
  parseSearch,
  provinceCodeArg,
  provincesOf,
  regionArg,
  sectorArg,
  t,
} from '@moral-registry/common';
import type { QueryResolvers } from '../generated/graphql.ts';
import type { Province } from '../models.ts';

export const Query: QueryResolvers = {
  async provinces(_parent, { region }, { repository, loaders }) {
    if (region == null) return repository.provinces();
    return (await loaders.provincesByRegion.load(regionArg(region))).map((row) => row.province);
  },
  province: (_parent, { code }, { loaders }) => loaders.province.load(provinceCodeArg(code, 'code')),
  regions: (_parent, { grouping }, { repository }) => repository.regions(grouping ?? 'NSO'),
  region: (_parent, { code }, { loaders }) => loaders.region.load(code.trim().toUpperCase()),
  networkSectors: (_parent, _args, { repository }) => repository.networkSectors(),
  // Lookups by id return archived records too (with archivedAt); lists leave them out.
  network: (_parent, { id }, { loaders }) => loaders.network.load(id),
  programmeYear: (_parent, { id }, { loaders }) => loaders.programmeYear.load(id),
  district: (_parent, { code }, { loaders }) => {
    if (!/^\d{4}$/.test(code.trim())) throw badUserInput('code', t('input.districtCodeShape', { field: 'code', value: echo(code) }));
    return loaders.district.load(code.trim());
  },
  nation: () => ({ code: NATION_CODE }),
  networks: (_parent, args, { repository }) =>
    repository.networks(
      {
        provinceCode: args.provinceCode != null ? provinceCodeArg(args.provinceCode) : undefined,
        sectorCode: args.sectorCode != null ? sectorArg(args.sectorCode) : undefined,
        search: parseSearch(args.search),
      },
      args.orderBy,
      args,
    ),
  async networkRanking(_parent, { metric, region, order, first }, { repository, loaders }) {
    const provinces = region != null ? provincesOf(regionArg(region)) : undefined;
    const rows = await repository.stats.ranking<Province>(metric ?? 'CHAPTERS', provinces, { order, first });
    for (const row of rows) loaders.province.prime(row.province.code, row.province);
    return rows;
  },
};
