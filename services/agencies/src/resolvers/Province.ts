import type { NetworkResolvers, ProvinceResolvers } from '../generated/graphql.ts';
import { agencyFilter } from './args.ts';

/** Fields this subgraph adds to Province, resolved for all requested provinces at once. */
export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  agencies: (province, args, { loaders }) =>
    loaders.agenciesByProvince.load({ key: province.code, args: { ...args, filter: agencyFilter(args) } }),
  agencyStats: (province, _args, { loaders }) => loaders.stats.province.load(province.code),
};

/** Fields this subgraph adds to Network. */
export const Network: NetworkResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  agencies: (network, args, { loaders }) =>
    loaders.agenciesByNetwork.load({ key: network.id, args: { ...args, filter: agencyFilter(args) } }),
  agencyCount: (network, _args, { loaders }) => loaders.agencyCountByNetwork.load(network.id),
};
