import { auditEntryResolvers, provenanceOf } from '@moral-registry/common';
import type { AuditEntryResolvers, NetworkResolvers, NetworkSectorResolvers, ProgrammeYearResolvers } from '../generated/graphql.ts';

export const Network: NetworkResolvers = {
  // By id: archived chapters too (with archivedAt), so references to them stay resolvable.
  __resolveReference: ({ id }, { loaders }) => loaders.network.load(id),
  province: async (network, _args, { loaders }) => (await loaders.province.load(network.provinceCode))!,
  sector: async (network, _args, { loaders }) => (await loaders.sector.load(network.sectorCode))!,
  source: (network) => provenanceOf(network),
  archivedAt: (network) => network.archivedAt?.toISOString() ?? null,
  auditTrail: (network, _args, { loaders }) => loaders.auditTrail.load('Network', network.id),
};

export const NetworkSector: NetworkSectorResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.sector.load(code),
};

export const ProgrammeYear: ProgrammeYearResolvers = {
  province: async (year, _args, { loaders }) => (await loaders.province.load(year.provinceCode))!,
  source: (year) => provenanceOf(year),
  archivedAt: (year) => year.archivedAt?.toISOString() ?? null,
  auditTrail: (year, _args, { loaders }) => loaders.auditTrail.load('ProgrammeYear', year.id),
};

/** AuditEntry rows (codegen maps the model) turned into the GraphQL shape by common/audit.ts. */
export const AuditEntry = auditEntryResolvers as AuditEntryResolvers;
