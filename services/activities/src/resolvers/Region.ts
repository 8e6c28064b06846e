import { assertFiscalYear } from '@moral-registry/common';
import type { NationResolvers, RegionResolvers } from '../generated/graphql.ts';

/** Fields this subgraph adds to Region (NSO or MPC code): totals over the region's provinces. */
export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  activityStats: (region, { fiscalYear }, { loaders }) => loaders.stats.group.load({ arg: assertFiscalYear(fiscalYear), key: region.code }),
};

/** Fields this subgraph adds to Nation (code TH): totals over the 77 provinces. */
export const Nation: NationResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  activityStats: (nation, { fiscalYear }, { loaders }) => loaders.stats.group.load({ arg: assertFiscalYear(fiscalYear), key: nation.code }),
};
