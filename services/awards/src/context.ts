import {
  auditTrailLoader,
  loaderByArg,
  loaderByKey,
  loaderOfLists,
  listLoader,
  type ConnectionArgs,
  type OrderItem,
  type Database,
  type RequestScope,
} from '@moral-registry/common';
import type { PrismaClient, RecipientKind } from './generated/prisma/client.ts';
import { RecognitionRepository, type RecognitionFilter } from './repository.ts';
import type { RecognitionOrderField } from './generated/graphql.ts';

/** The arguments of Province.recognitions for many provinces. */
interface RecognitionListArgs extends ConnectionArgs {
  filter: RecognitionFilter;
  orderBy?: readonly OrderItem<RecognitionOrderField>[] | null;
}

export type AwardsDatabase = Database<PrismaClient>;

/** A fiscal-year range as one loader argument, so provinces asking for the same range are fetched together. */
export const trendRange = (from: number, to: number) => `${from}..${to}`;

export function createLoaders(prisma: PrismaClient, repository: RecognitionRepository) {
  const byRecipient = (recipientKind: RecipientKind) =>
    loaderOfLists(
      (ids: readonly string[]) =>
        prisma.recognition.findMany({
          where: { recipientKind, recipientId: { in: [...ids] }, archivedAt: null },
          orderBy: [{ fiscalYear: 'desc' }, { id: 'asc' }],
        }),
      (r) => r.recipientId,
    );
  return {
    /** By id, archived ones included: references to an archived recognition still resolve (with archivedAt). */
    recognition: loaderByKey(
      (ids: readonly string[]) => prisma.recognition.findMany({ where: { id: { in: [...ids] } } }),
      (r) => r.id,
    ),
    /** Audit trails of recognitions and award criteria, newest first; staff only (access.ts). */
    auditTrail: auditTrailLoader(prisma.auditEntry),
    recognitionsByAgency: byRecipient('AGENCY'),
    recognitionsByPerson: byRecipient('PERSON'),
    recognitionsByProvince: listLoader((codes, args: RecognitionListArgs) =>
      repository.recognitionPages(codes, args.filter, args.orderBy, args, true),
    ),
    /** Province stats: one statement per fiscal year, however many provinces. */
    recognitionStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.stats.inYear('province', fiscalYear, codes),
      (_code, fiscalYear) => repository.stats.empty(fiscalYear),
    ),
    /** District stats, ranked within their provinces: one statement per fiscal year, however many districts. */
    districtRecognitionStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.stats.inYear('district', fiscalYear, codes),
      (_code, fiscalYear) => repository.stats.empty(fiscalYear),
    ),
    /** Region and nation stats (keyed by region code or `TH`): one statement per fiscal year. */
    groupRecognitionStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.stats.inYear('group', fiscalYear, codes),
      (_code, fiscalYear) => repository.stats.empty(fiscalYear),
    ),
    /** Province trends: one statement per fiscal-year range (see trendRange). */
    recognitionTrend: loaderByArg(
      (range: string, codes: readonly string[]) => {
        const [from, to] = range.split('..').map(Number) as [number, number];
        return repository.stats.trend(codes, from, to);
      },
      () => [],
    ),
  };
}

/** Per request: the verified viewer, the peers to ask, the request id, this service's data access. */
export interface Context extends RequestScope {
  db: AwardsDatabase;
  prisma: PrismaClient;
  repository: RecognitionRepository;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(db: AwardsDatabase, scope: RequestScope): Context {
  const repository = new RecognitionRepository(db.client);
  return { ...scope, db, prisma: db.client, repository, loaders: createLoaders(db.client, repository) };
}
