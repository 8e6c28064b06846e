import { auditEntryResolvers, provenanceOf } from '@moral-registry/common';
import type {
  AuditEntry as AuditEntryType,
  AuditEntryResolvers,
  NetworkResolvers,
  NetworkSectorResolvers,
  ProgrammeYearResolvers,
} from '../generated/graphql.ts';
import type { AuditEntry as AuditEntryRow } from '../models.ts';

/**
 * The parents of the shared AuditEntry type are AuditEntry rows, turned into the GraphQL shape by
 * `auditEntryResolvers` (common/audit.ts). codegen.ts maps no model to AuditEntry for this subgraph,
 * so the generated types expect the GraphQL shape: the rows are passed as that type here.
 */
const trail = (rows: Promise<AuditEntryRow[]>) => rows as unknown as Promise<AuditEntryType[]>;

export const Network: NetworkResolvers = {
  // By id: archived chapters too (with archivedAt), so references to them stay resolvable.
  __resolveReference: ({ id }, { loaders }) => loaders.network.load(id),
  province: async (network, _args, { loaders }) => (await loaders.province.load(network.provinceCode))!,
  sector: async (network, _args, { loaders }) => (await loaders.sector.load(network.sectorCode))!,
  source: (network) => provenanceOf(network),
  archivedAt: (network) => network.archivedAt?.toISOString() ?? null,
  auditTrail: (network, _args, { loaders }) => trail(loaders.networkAuditTrail.load(network.id)),
};

export const NetworkSector: NetworkSectorResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.sector.load(code),
};

export const ProgrammeYear: ProgrammeYearResolvers = {
  province: async (year, _args, { loaders }) => (await loaders.province.load(year.provinceCode))!,
  source: (year) => provenanceOf(year),
  archivedAt: (year) => year.archivedAt?.toISOString() ?? null,
  auditTrail: (year, _args, { loaders }) => trail(loaders.programmeYearAuditTrail.load(year.id)),
};

export const AuditEntry = auditEntryResolvers as unknown as AuditEntryResolvers;
