/**
 * Loads the agencies subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): agencies of all 77 provinces and their people (no
 * contact details). Ayutthaya's real agencies and people are left as they are. Idempotent: batched
 * `createMany(…, skipDuplicates)`.
 */
import { seedSyntheticTables, type SyntheticSeedOptions, type SyntheticSeedResult } from '@moral-registry/common/demo';
import type { AgenciesDatabase } from '../context.ts';

export function seedSynthetic(db: AgenciesDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const prisma = db.client;
  return seedSyntheticTables(options, (where) => prisma.agency.findFirst({ where, select: { sourceLabel: true } }), {
    agency: { columns: 11, insert: (data) => prisma.agency.createMany({ data, skipDuplicates: true }) },
    // People after their agencies (foreign key).
    person: { columns: 10, insert: (data) => prisma.person.createMany({ data, skipDuplicates: true }) },
  });
}
