/**
 * Loads the networks subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): the network chapters of every province but Ayutthaya,
 * whose real chapters exist already. Needs the reference data (provinces, sectors) loaded first by
 * `seed`. Idempotent: batched `createMany(…, skipDuplicates)`.
 */
import { seedSyntheticTables, type SyntheticSeedOptions, type SyntheticSeedResult } from '@moral-registry/common/demo';
import type { NetworksDatabase } from '../context.ts';
import { loadReferenceData } from './reference-data.ts';

export function seedSynthetic(db: NetworksDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const prisma = db.client;
  const names = new Map(loadReferenceData().provinces.map((p) => [p.code, p]));
  return seedSyntheticTables(options, (where) => prisma.network.findFirst({ where, select: { sourceLabel: true } }), {
    network: {
      columns: 8,
      rows: (dataset) => dataset.networks(names),
      insert: (data) => prisma.network.createMany({ data, skipDuplicates: true }),
    },
  });
}
