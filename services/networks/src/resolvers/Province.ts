import type { ProvinceResolvers } from '../generated/graphql.ts';

export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.province.load(code),
  region: async (province, _args, { loaders }) => (await loaders.region.load(province.regionCode))!,
  mpcRegion: async (province, _args, { loaders }) => (await loaders.region.load(province.mpcRegionCode))!,
  districts: (province, _args, { loaders }) => loaders.districtsByProvince.load(province.code),
  networks: (province, _args, { loaders }) => loaders.networksByProvince.load(province.code),
  programmeYears: (province, _args, { loaders }) => loaders.programmeYearsByProvince.load(province.code),
  networkStats: (province, _args, { loaders }) => loaders.stats.province.load(province.code),
};
