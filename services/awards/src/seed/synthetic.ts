/**
 * Loads the awards subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): moral-unit assessments of agencies and provinces, virtue
 * honours and Moral Awards FY2563–FY2569. Recipients are synthetic agencies and people whose ids
 * are regenerated from (scale, seed), or provinces; never the Ayutthaya case's records.
 * Idempotent: batched `createMany(…, skipDuplicates)`.
 */
import {
  loadSyntheticTable,
  otherSyntheticDataset,
  syntheticDataset,
  type SyntheticSeedOptions,
  type SyntheticSeedResult,
} from '@moral-registry/common/demo';
import type { AwardsDatabase } from '../context.ts';

export async function seedSynthetic(db: AwardsDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const dataset = syntheticDataset(options);
  const prisma = db.client;
  const other = await prisma.recognition.findFirst({ where: otherSyntheticDataset(dataset.label), select: { sourceLabel: true } });
  const recognition = await loadSyntheticTable(dataset, 'recognition', { columns: 15, progress: options.progress }, (data) =>
    prisma.recognition.createMany({ data, skipDuplicates: true }),
  );
  return { created: recognition.created, tables: { recognition }, otherDataset: other?.sourceLabel };
}
