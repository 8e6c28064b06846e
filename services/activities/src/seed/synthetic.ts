/**
 * Loads the activities subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): activities FY2563–FY2569 with their organizers and
 * participating agencies, whose ids are regenerated from (scale, seed) — this service never reads
 * the agencies tables. Idempotent: batched `createMany(…, skipDuplicates)`.
 */
import { seedSyntheticTables, type SyntheticSeedOptions, type SyntheticSeedResult } from '@moral-registry/common/demo';
import type { ActivitiesDatabase } from '../context.ts';

export function seedSynthetic(db: ActivitiesDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const prisma = db.client;
  return seedSyntheticTables(options, (where) => prisma.activity.findFirst({ where, select: { sourceLabel: true } }), {
    activity: { columns: 15, insert: (data) => prisma.activity.createMany({ data, skipDuplicates: true }) },
    // Links after their activities (foreign key).
    activityOrganizer: { columns: 3, insert: (data) => prisma.activityOrganizer.createMany({ data, skipDuplicates: true }) },
    activityParticipant: { columns: 2, insert: (data) => prisma.activityParticipant.createMany({ data, skipDuplicates: true }) },
  });
}
