/**
 * Loads the awards subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): moral-unit assessments of agencies and provinces, virtue
 * honours and Moral Awards FY2563–FY2569. Recipients are synthetic agencies and people whose ids
 * are regenerated from (scale, seed), or provinces; never the Ayutthaya case's records.
 * Idempotent: batched `createMany(…, skipDuplicates)`; a dataset loaded before recognitions kept a
 * district gets its districts on the next load.
 */
import {
  loadSyntheticTable,
  seedSyntheticTables,
  syntheticDataset,
  type SyntheticDataset,
  type SyntheticSeedOptions,
  type SyntheticSeedResult,
} from '@moral-registry/common/demo';
import type { AwardsDatabase } from '../context.ts';

export async function seedSynthetic(db: AwardsDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const dataset = syntheticDataset(options);
  const prisma = db.client;
  // Read before loading: a dataset loaded before recognitions kept a district has agency or person
  // recognitions without one (this load adds none: it only creates missing rows).
  const undistricted = await prisma.recognition.findFirst({
    where: { sourceLabel: dataset.label, districtCode: null, recipientKind: { not: 'PROVINCE' } },
    select: { id: true },
  });
  const result = await seedSyntheticTables(options, (where) => prisma.recognition.findFirst({ where, select: { sourceLabel: true } }), {
    recognition: { columns: 15, insert: (data) => prisma.recognition.createMany({ data, skipDuplicates: true }) },
  });
  if (undistricted) await placeInDistricts(db, dataset);
  return result;
}

/**
 * Gives the dataset's recognitions that have none their recipient's district, as generated (one
 * UPDATE per batch; rows that have one are left alone). Synthetic demo data: no audit entry, as for
 * its creation.
 */
async function placeInDistricts(db: AwardsDatabase, dataset: SyntheticDataset): Promise<void> {
  await loadSyntheticTable(dataset, 'recognition', { columns: 2 }, async (batch) => {
    const placed = batch.filter((r) => r.districtCode !== null);
    const count = await db.client.$executeRaw`
      UPDATE "Recognition" r SET "districtCode" = d.code
      FROM unnest(${placed.map((r) => r.id)}::text[], ${placed.map((r) => r.districtCode)}::text[]) AS d(id, code)
      WHERE r.id = d.id AND r."districtCode" IS NULL`;
    return { count };
  });
}
