/**
 * Loads the networks subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): the network chapters of every province but Ayutthaya,
 * whose real chapters exist already. Needs the reference data (provinces, sectors) loaded first by
 * `seed`. Idempotent: batched `createMany(…, skipDuplicates)`.
 */
import {
  loadSyntheticTable,
  otherSyntheticDataset,
  syntheticDataset,
  type SyntheticSeedOptions,
  type SyntheticSeedResult,
} from '@moral-registry/common/demo';
import type { NetworksDatabase } from '../context.ts';
import { loadReferenceData } from './reference-data.ts';

export async function seedSynthetic(db: NetworksDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const dataset = syntheticDataset(options);
  const prisma = db.client;
  const other = await prisma.network.findFirst({ where: otherSyntheticDataset(dataset.label), select: { sourceLabel: true } });
  const names = new Map(loadReferenceData().provinces.map((p) => [p.code, p]));
  const network = await loadSyntheticTable(
    dataset,
    'network',
    { columns: 8, progress: options.progress, rows: dataset.networks(names) },
    (data) => prisma.network.createMany({ data, skipDuplicates: true }),
  );
  return { created: network.created, tables: { network }, otherDataset: other?.sourceLabel };
}
