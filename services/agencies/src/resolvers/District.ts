import type { DistrictResolvers } from '../generated/graphql.ts';

/** Fields this subgraph adds to District, resolved for all requested districts at once. */
export const District: DistrictResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  agencyStats: (district, _args, { loaders }) => loaders.stats.district.load(district.code),
};
