import {
  auditTrailLoader,
  loaderById,
  loaderOfLists,
  listLoader,
  type ListArgs,
  type Database,
  requestContext,
} from '@moral-registry/common';
import type { PrismaClient, RecipientKind } from './generated/prisma/client.ts';
import { RecognitionRepository, type RecognitionFilter } from './repository.ts';
import type { RecognitionOrderField } from './generated/graphql.ts';

/** The arguments of Province.recognitions for many provinces. */
type RecognitionListArgs = ListArgs<RecognitionFilter, RecognitionOrderField>;

export type AwardsDatabase = Database<PrismaClient>;

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
    recognition: loaderById(prisma.recognition),
    /** Audit trails of recognitions and award criteria, newest first; staff only (access.ts). */
    auditTrail: auditTrailLoader(prisma.auditEntry),
    recognitionsByAgency: byRecipient('AGENCY'),
    recognitionsByPerson: byRecipient('PERSON'),
    recognitionsByProvince: listLoader((codes, args: RecognitionListArgs) =>
      repository.recognitionPages(codes, args.filter, args.orderBy, args, true),
    ),
    /**
     * Stats of provinces, districts (ranked within their provinces), regions and the nation (keyed by region
     * code or `TH`): one statement per fiscal year, however many; trends one per fiscal-year range.
     */
    stats: repository.stats.yearLoaders(),
  };
}

/** Per request: the verified viewer, the peers to ask, the request id, this service's data access. */
export const createContext = requestContext(RecognitionRepository, createLoaders);
export type Context = ReturnType<typeof createContext>;
