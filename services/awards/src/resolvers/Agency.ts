import type { AgencyResolvers, PersonResolvers } from '../generated/graphql.ts';

/** Agency and Person belong to the agencies subgraph; this one only lists their recognitions. */
export const Agency: AgencyResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  recognitions: (agency, _args, { loaders }) => loaders.recognitionsByAgency.load(agency.id),
};

export const Person: PersonResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  recognitions: (person, _args, { loaders }) => loaders.recognitionsByPerson.load(person.id),
};
