import { loaderByArg, loaderByKey, loaderOfLists, pageLoader, type Database } from '@moral-registry/common';
import type { PrismaClient, RecipientKind } from './generated/prisma/client.ts';
import { emptyStats, RecognitionRepository } from './repository.ts';

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
    recognition: loaderByKey(
      (ids: readonly string[]) => prisma.recognition.findMany({ where: { id: { in: [...ids] }, archivedAt: null } }),
      (r) => r.id,
    ),
    recognitionsByAgency: byRecipient('AGENCY'),
    recognitionsByPerson: byRecipient('PERSON'),
    recognitionsByProvince: pageLoader((codes, page, fiscalYear: number | undefined) =>
      repository.pagesByProvince(codes, fiscalYear ?? null, page),
    ),
    recognitionStats: loaderByArg(
      (fiscalYear: number, codes: readonly string[]) => repository.statsByProvince(fiscalYear, codes),
      (_code, fiscalYear) => emptyStats(fiscalYear),
    ),
  };
}

export interface Context {
  db: AwardsDatabase;
  prisma: PrismaClient;
  repository: RecognitionRepository;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(db: AwardsDatabase): Context {
  const repository = new RecognitionRepository(db.client);
  return { db, prisma: db.client, repository, loaders: createLoaders(db.client, repository) };
}
