import { provenanceOf } from '@moral-registry/common';
import type { AgencyResolvers, PersonResolvers } from '../generated/graphql.ts';

export const Agency: AgencyResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.agency.load(id),
  province: (agency) => (agency.provinceCode ? { code: agency.provinceCode } : null),
  district: (agency) => (agency.districtCode ? { code: agency.districtCode } : null),
  network: (agency) => (agency.networkId ? { id: agency.networkId } : null),
  sector: (agency) => (agency.sectorCode ? { code: agency.sectorCode } : null),
  people: (agency, _args, { loaders }) => loaders.peopleByAgency.load(agency.id),
  source: (agency) => provenanceOf(agency),
  archivedAt: (agency) => agency.archivedAt?.toISOString() ?? null,
};

/** Contact details (phone, email, address) are personal data and are not part of the public schema. */
export const Person: PersonResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.person.load(id),
  affiliation: (person, _args, { loaders }) => (person.agencyId ? loaders.agency.load(person.agencyId) : null),
  province: (person) => (person.provinceCode ? { code: person.provinceCode } : null),
  source: (person) => provenanceOf(person),
  archivedAt: (person) => person.archivedAt?.toISOString() ?? null,
};
