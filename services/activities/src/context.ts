import {
  auditTrailLoader,
  countLoader,
  listLoader,
  loaderById,
  loaderOfLists,
  type ConnectionArgs,
  type Database,
  type ListArgs,
  requestContext,
} from '@moral-registry/common';
import type { ActivityOrderField } from './generated/graphql.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { ActivityRepository, type ActivityFilter } from './repository.ts';

/** The arguments of a list of activities under many parents (Province.activities, Agency.activities). */
type ActivityListArgs = ListArgs<ActivityFilter, ActivityOrderField>;

export type ActivitiesDatabase = Database<PrismaClient>;

export function createLoaders(prisma: PrismaClient, repository: ActivityRepository) {
  return {
    // By id, archived activities too (with archivedAt): references to them stay visible. Lists,
    // rankings and statistics (repository.ts) leave them out.
    activity: loaderById(prisma.activity),
    /** Audit trails of activities, newest first; staff only (access.ts). */
    auditTrail: auditTrailLoader(prisma.auditEntry),
    organizers: loaderOfLists(
      (ids: readonly string[]) =>
        prisma.activityOrganizer.findMany({ where: { activityId: { in: [...ids] } }, orderBy: [{ position: 'asc' }, { agencyId: 'asc' }] }),
      (o) => o.activityId,
    ),
    participatingAgencyCount: countLoader((ids: readonly string[]) => repository.participantCounts(ids)),
    participatingAgencies: listLoader((keys, args: ConnectionArgs) => repository.participantsByActivity(keys, args)),
    activitiesByProvince: listLoader((keys, args: ActivityListArgs) =>
      repository.activityPages(keys, args.filter, args.orderBy, args, 'provinceCode'),
    ),
    activitiesByAgency: listLoader((keys, args: ActivityListArgs) =>
      repository.activityPages(keys, args.filter, args.orderBy, args, 'agency'),
    ),
    /**
     * Stats of provinces, districts (ranked within their provinces), regions and the nation (`TH`, one loader),
     * each one statement per fiscal year for all requested; trends one per range (`from:to`).
     */
    stats: repository.stats.yearLoaders(),
  };
}

/** Per request: the verified viewer, the peers to ask, the request id, this service's data access. */
export const createContext = requestContext(ActivityRepository, createLoaders);
export type Context = ReturnType<typeof createContext>;
