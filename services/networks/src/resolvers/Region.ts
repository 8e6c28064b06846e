import type { RegionResolvers } from '../generated/graphql.ts';

export const Region: RegionResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.region.load(code),
  grouping: (region) => region.grouping as 'NSO' | 'MPC',
  provinces: async (region, _args, { loaders }) => (await loaders.provincesByRegion.load(region.code)).map((row) => row.province),
  networkStats: (region, _args, { loaders }) => loaders.stats.group.load(region.code),
};
