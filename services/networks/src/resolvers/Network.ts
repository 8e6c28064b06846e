import { provenanceOf } from '@moral-registry/common';
import type { NetworkResolvers, NetworkSectorResolvers, ProgrammeYearResolvers } from '../generated/graphql.ts';

export const Network: NetworkResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.network.load(id),
  province: async (network, _args, { loaders }) => (await loaders.province.load(network.provinceCode))!,
  sector: async (network, _args, { loaders }) => (await loaders.sector.load(network.sectorCode))!,
  source: (network) => provenanceOf(network),
};

export const NetworkSector: NetworkSectorResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.sector.load(code),
};

export const ProgrammeYear: ProgrammeYearResolvers = {
  source: (year) => provenanceOf(year),
};
