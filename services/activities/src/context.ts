import DataLoader from 'dataloader';
import {
  auditTrailLoader,
  listLoader,
  loaderByArg,
  loaderByKey,
  loaderOfLists,
  type ConnectionArgs,
  type Database,
  type OrderItem,
  type RequestScope,
} from '@moral-registry/common';
import type { ActivityOrderField } from './generated/graphql.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { ActivityRepository, type ActivityFilter, type FiscalYearRange } from './repository.ts';

/** The arguments of a list of activities under many parents (Province.activities, Agency.activities). */
interface ActivityListArgs extends ConnectionArgs {
  filter: ActivityFilter;
  orderBy?: readonly OrderItem<ActivityOrderField>[] | null;
}

export type ActivitiesDatabase = Database<PrismaClient>;

/** A fiscal-year range as a loader argument, and back. */
export const rangeKey = ({ from, to }: FiscalYearRange) => `${from}:${to}` as const;
const parseRange = (key: `${number}:${number}`): FiscalYearRange => {
  const [from, to] = key.split(':').map(Number) as [number, number];
  return { from, to };
};

export function createLoaders(prisma: PrismaClient, repository: ActivityRepository) {
  return {
    // By id, archived activities too (with archivedAt): references to them stay visible. Lists,
    // rankings and statistics (repository.ts) leave them out.
    activity: loaderByKey(
      (ids: readonly string[]) => prisma.activity.findMany({ where: { id: { in: [...ids] } } }),
      (a) => a.id,
    ),
    /** Audit trails of activities, newest first; staff only (access.ts). */
    auditTrail: auditTrailLoader(prisma.auditEntry),
    organizers: loaderOfLists(
      (ids: readonly string[]) =>
        prisma.activityOrganizer.findMany({ where: { activityId: { in: [...ids] } }, orderBy: [{ position: 'asc' }, { agencyId: 'asc' }] }),
      (o) => o.activityId,
    ),
    participatingAgencyCount: new DataLoader((ids: readonly string[]) =>
      repository.participantCounts(ids).then((m) => ids.map((id) => m.get(id) ?? 0)),
    ),
    participatingAgencies: listLoader((keys, args: ConnectionArgs) => repository.participantsByActivity(keys, args)),
    activitiesByProvince: listLoader((keys, args: ActivityListArgs) =>
      repository.activityPages(keys, args.filter, args.orderBy, args, 'provinceCode'),
    ),
    activitiesByAgency: listLoader((keys, args: ActivityListArgs) =>
      repository.activityPages(keys, args.filter, args.orderBy, args, 'agency'),
    ),
    activityStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.stats.inYear('province', fiscalYear, codes),
      (_code, fiscalYear) => repository.stats.empty(fiscalYear),
    ),
    /** Districts, ranked within their provinces: one statement per fiscal year for all requested. */
    districtActivityStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.stats.inYear('district', fiscalYear, codes),
      (_code, fiscalYear) => repository.stats.empty(fiscalYear),
    ),
    /** Regions and the nation (`TH`) share one loader, so asking for both costs one statement per fiscal year. */
    groupActivityStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.stats.inYear('group', fiscalYear, codes),
      (_code, fiscalYear) => repository.stats.empty(fiscalYear),
    ),
    /** Keyed by the range written `from:to`, so provinces asking for the same range share a statement. */
    activityTrend: loaderByArg(
      (range: `${number}:${number}`, codes: readonly string[]) => {
        const { from, to } = parseRange(range);
        return repository.stats.trend(codes, from, to);
      },
      () => [],
    ),
  };
}

/** Per request: the verified viewer, the peers to ask, the request id, this service's data access. */
export interface Context extends RequestScope {
  db: ActivitiesDatabase;
  prisma: PrismaClient;
  repository: ActivityRepository;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(db: ActivitiesDatabase, scope: RequestScope): Context {
  const repository = new ActivityRepository(db.client);
  return { ...scope, db, prisma: db.client, repository, loaders: createLoaders(db.client, repository) };
}
