import { assertFiscalYear } from '@moral-registry/common';
import type { DistrictResolvers } from '../generated/graphql.ts';

/** Fields this subgraph adds to District, resolved for all requested districts at once. */
export const District: DistrictResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  activityStats: (district, { fiscalYear }, { loaders }) =>
    loaders.stats.district.load({ arg: assertFiscalYear(fiscalYear), key: district.code }),
};
