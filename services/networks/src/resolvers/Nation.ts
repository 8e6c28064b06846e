import { NATION_CODE } from '@moral-registry/common';
import type { NationResolvers } from '../generated/graphql.ts';

/** Thailand as a whole: not a table, there is one (code TH). */
export const Nation: NationResolvers = {
  __resolveReference: ({ code }) => (code === NATION_CODE ? { code: NATION_CODE } : null),
  nameTh: () => 'ประเทศไทย',
  nameEn: () => 'Thailand',
  regions: (_nation, { grouping }, { loaders }) => loaders.regionsByGrouping.load(grouping ?? 'NSO'),
  provinces: async (nation, _args, { loaders }) => (await loaders.provincesByRegion.load(nation.code)).map((row) => row.province),
  networkStats: (nation, _args, { loaders }) => loaders.stats.group.load(nation.code),
};
