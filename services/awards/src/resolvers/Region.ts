import { assertFiscalYear } from '@moral-registry/common';
import type { NationResolvers, RegionResolvers } from '../generated/graphql.ts';
import { knownNation, knownRegion } from './args.ts';

/**
 * Region and Nation belong to the networks subgraph; this one totals their provinces' recognitions.
 * Regions and the nation share one loader, so they cost one statement per fiscal year together.
 */
export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  recognitionStats: (region, { fiscalYear }, { loaders }) =>
    loaders.stats.group.load({ arg: assertFiscalYear(fiscalYear), key: knownRegion(region.code) }),
};

export const Nation: NationResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  recognitionStats: (nation, { fiscalYear }, { loaders }) =>
    loaders.stats.group.load({ arg: assertFiscalYear(fiscalYear), key: knownNation(nation.code) }),
};
