import { auditEntryResolvers, provenanceOf } from '@moral-registry/common';
import type { AgencyResolvers, AuditEntryResolvers, PersonResolvers } from '../generated/graphql.ts';

export const Agency: AgencyResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.agency.load(id),
  province: (agency) => (agency.provinceCode ? { code: agency.provinceCode } : null),
  district: (agency) => (agency.districtCode ? { code: agency.districtCode } : null),
  network: (agency) => (agency.networkId ? { id: agency.networkId } : null),
  sector: (agency) => (agency.sectorCode ? { code: agency.sectorCode } : null),
  people: (agency, _args, { loaders }) => loaders.peopleByAgency.load(agency.id),
  source: (agency) => provenanceOf(agency),
  archivedAt: (agency) => agency.archivedAt?.toISOString() ?? null,
  auditTrail: (agency, _args, { loaders }) => loaders.auditTrail.load('Agency', agency.id),
};

/** Contact details (phone, email, address) are personal data: access.ts gives them to staff only. */
export const Person: PersonResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.person.load(id),
  affiliation: (person, _args, { loaders }) => (person.agencyId ? loaders.agency.load(person.agencyId) : null),
  province: (person) => (person.provinceCode ? { code: person.provinceCode } : null),
  source: (person) => provenanceOf(person),
  archivedAt: (person) => person.archivedAt?.toISOString() ?? null,
  auditTrail: (person, _args, { loaders }) => loaders.auditTrail.load('Person', person.id),
};

export const AuditEntry: AuditEntryResolvers = auditEntryResolvers as AuditEntryResolvers;
