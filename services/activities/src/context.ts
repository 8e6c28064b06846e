import DataLoader from 'dataloader';
import { loaderByArg, loaderByKey, loaderOfLists, type Database, type Page } from '@moral-registry/common';
import type { PrismaClient } from './generated/prisma/client.ts';
import { ActivityRepository, emptyStats } from './repository.ts';

export type ActivitiesDatabase = Database<PrismaClient>;

interface PageRequest<A> {
  key: string;
  page: Page;
  /** A filter shared by the parents fetched together (e.g. a fiscal year). */
  arg?: A;
}

/** Loader of one page per parent: parents asking for the same page and filter are fetched in one statement. */
function pageLoader<V, A extends string | number = never>(
  fetch: (keys: readonly string[], page: Page, arg: A | undefined) => Promise<Map<string, V>>,
) {
  const groupOf = ({ page, arg }: PageRequest<A>) => `${page.offset}:${page.limit}:${arg ?? ''}`;
  return new DataLoader<PageRequest<A>, V, string>(
    async (requests) => {
      const groups = new Map<string, { request: PageRequest<A>; keys: string[] }>();
      for (const request of requests) {
        const id = groupOf(request);
        (groups.get(id) ?? groups.set(id, { request, keys: [] }).get(id)!).keys.push(request.key);
      }
      const results = new Map<string, Map<string, V>>();
      await Promise.all([...groups].map(async ([id, { request, keys }]) => results.set(id, await fetch(keys, request.page, request.arg))));
      return requests.map((request) => results.get(groupOf(request))!.get(request.key)!);
    },
    { cacheKeyFn: (request) => `${request.key}\u0000${groupOf(request)}` },
  );
}

export function createLoaders(prisma: PrismaClient, repository: ActivityRepository) {
  return {
    // Archived activities are invisible, also by id.
    activity: loaderByKey(
      (ids: readonly string[]) => prisma.activity.findMany({ where: { id: { in: [...ids] }, archivedAt: null } }),
      (a) => a.id,
    ),
    organizers: loaderOfLists(
      (ids: readonly string[]) =>
        prisma.activityOrganizer.findMany({ where: { activityId: { in: [...ids] } }, orderBy: [{ position: 'asc' }, { agencyId: 'asc' }] }),
      (o) => o.activityId,
    ),
    participatingAgencyCount: new DataLoader((ids: readonly string[]) =>
      repository.participantCounts(ids).then((m) => ids.map((id) => m.get(id) ?? 0)),
    ),
    participatingAgencies: pageLoader((keys, page) => repository.participantsByActivity(keys, page)),
    activitiesByProvince: pageLoader((keys, page, fiscalYear: number | undefined) =>
      repository.activitiesByProvince(keys, page, fiscalYear),
    ),
    activitiesByAgency: pageLoader((keys, page) => repository.activitiesByAgency(keys, page)),
    activityStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.statsByProvince(fiscalYear, codes),
      (_code, fiscalYear) => emptyStats(fiscalYear),
    ),
  };
}

export interface Context {
  db: ActivitiesDatabase;
  prisma: PrismaClient;
  repository: ActivityRepository;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(db: ActivitiesDatabase): Context {
  const repository = new ActivityRepository(db.client);
  return { db, prisma: db.client, repository, loaders: createLoaders(db.client, repository) };
}
