import { NATION_CODE } from '@moral-registry/common';
import type { NationResolvers, RegionResolvers } from '../generated/graphql.ts';

/** Agency stats of a region: totals and breakdowns over its provinces (no ranks). */
export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  agencyStats: (region, _args, { loaders }) => loaders.stats.group.load(region.code),
};

/** Agency stats of the nation: totals and breakdowns over the 77 provinces (no ranks). */
export const Nation: NationResolvers = {
  __resolveReference: ({ code }) => (code === NATION_CODE ? { code } : null),
  agencyStats: (nation, _args, { loaders }) => loaders.stats.group.load(nation.code),
};
