import {
  auditTrailLoader,
  countLoader,
  listLoader,
  loaderById,
  loaderOfLists,
  type Database,
  type ListArgs,
  requestContext,
} from '@moral-registry/common';
import type { PrismaClient } from './generated/prisma/client.ts';
import { AgencyRepository, type AgencyFilter } from './repository.ts';
import type { AgencyOrderField } from './generated/graphql.ts';

/** The arguments of a list of agencies under many parents (Province.agencies, Network.agencies). */
type AgencyListArgs = ListArgs<AgencyFilter, AgencyOrderField>;

export type AgenciesDatabase = Database<PrismaClient>;

export function createLoaders(prisma: PrismaClient, repository: AgencyRepository) {
  return {
    auditTrail: auditTrailLoader(prisma.auditEntry),
    agency: loaderById(prisma.agency),
    person: loaderById(prisma.person),
    peopleByAgency: loaderOfLists(
      (ids: readonly string[]) =>
        prisma.person.findMany({
          where: { agencyId: { in: [...ids] }, archivedAt: null },
          orderBy: [{ fullNameTh: 'asc' }, { id: 'asc' }],
        }),
      (p) => p.agencyId!,
    ),
    /** Stats of provinces (ranked among all 77), districts (among their province's), regions and the nation (TH): one statement each for all requested. */
    stats: repository.stats.loaders(),
    agencyCountByNetwork: countLoader((ids: readonly string[]) => repository.countByNetwork(ids)),
    agenciesByProvince: listLoader((keys, args: AgencyListArgs) =>
      repository.agencyPages(keys, args.filter, args.orderBy, args, 'provinceCode'),
    ),
    agenciesByNetwork: listLoader((keys, args: AgencyListArgs) =>
      repository.agencyPages(keys, args.filter, args.orderBy, args, 'networkId'),
    ),
  };
}

/** Per request: the verified viewer, the peers to ask, the request id, this service's data access. */
export const createContext = requestContext(AgencyRepository, createLoaders);
export type Context = ReturnType<typeof createContext>;
