import DataLoader from 'dataloader';
import { loaderByArg, loaderByKey, loaderOfLists, type Connection, type Database, type Page } from '@moral-registry/common';
import type { PrismaClient, RecipientKind } from './generated/prisma/client.ts';
import type { Recognition } from './models.ts';
import { emptyStats, RecognitionRepository } from './repository.ts';

export type AwardsDatabase = Database<PrismaClient>;

export interface ProvincePageRequest {
  code: string;
  fiscalYear: number | null;
  page: Page;
}

/** Requests for the same fiscal year and page are fetched together, in one statement. */
const pageGroup = ({ fiscalYear, page }: ProvincePageRequest) => `${fiscalYear ?? ''}:${page.offset}:${page.limit}`;

function provincePageLoader(repository: RecognitionRepository) {
  return new DataLoader<ProvincePageRequest, Connection<Recognition>, string>(
    async (requests) => {
      const groups = new Map<string, { request: ProvincePageRequest; codes: string[] }>();
      for (const request of requests) {
        const id = pageGroup(request);
        (groups.get(id) ?? groups.set(id, { request, codes: [] }).get(id)!).codes.push(request.code);
      }
      const results = new Map(
        await Promise.all(
          [...groups].map(
            async ([id, { request, codes }]) => [id, await repository.pagesByProvince(codes, request.fiscalYear, request.page)] as const,
          ),
        ),
      );
      return requests.map((r) => results.get(pageGroup(r))!.get(r.code)!);
    },
    { cacheKeyFn: (r) => `${r.code}\u0000${pageGroup(r)}` },
  );
}

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
    recognitionsByProvince: provincePageLoader(repository),
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
