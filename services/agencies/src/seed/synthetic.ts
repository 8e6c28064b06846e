/**
 * Loads the agencies subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): agencies of all 77 provinces and their people (no
 * contact details). Ayutthaya's real agencies and people are left as they are. Idempotent: batched
 * `createMany(…, skipDuplicates)`.
 */
import {
  loadSyntheticTable,
  otherSyntheticDataset,
  syntheticDataset,
  type SyntheticSeedOptions,
  type SyntheticSeedResult,
} from '@moral-registry/common/demo';
import type { AgenciesDatabase } from '../context.ts';

export async function seedSynthetic(db: AgenciesDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const dataset = syntheticDataset(options);
  const prisma = db.client;
  const other = await prisma.agency.findFirst({ where: otherSyntheticDataset(dataset.label), select: { sourceLabel: true } });
  const { progress } = options;
  const agency = await loadSyntheticTable(dataset, 'agency', { columns: 11, progress }, (data) =>
    prisma.agency.createMany({ data, skipDuplicates: true }),
  );
  // People after their agencies (foreign key).
  const person = await loadSyntheticTable(dataset, 'person', { columns: 10, progress }, (data) =>
    prisma.person.createMany({ data, skipDuplicates: true }),
  );
  return { created: agency.created + person.created, tables: { agency, person }, otherDataset: other?.sourceLabel };
}
