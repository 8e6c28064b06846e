/**
 * Loads the activities subgraph's part of the national synthetic dataset (see
 * packages/common/src/demo/synthetic.ts): activities FY2563–FY2569 with their organizers and
 * participating agencies, whose ids are regenerated from (scale, seed) — this service never reads
 * the agencies tables. Idempotent: batched `createMany(…, skipDuplicates)`.
 */
import {
  loadSyntheticTable,
  otherSyntheticDataset,
  syntheticDataset,
  type SyntheticSeedOptions,
  type SyntheticSeedResult,
} from '@moral-registry/common/demo';
import type { ActivitiesDatabase } from '../context.ts';

export async function seedSynthetic(db: ActivitiesDatabase, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const dataset = syntheticDataset(options);
  const prisma = db.client;
  const other = await prisma.activity.findFirst({ where: otherSyntheticDataset(dataset.label), select: { sourceLabel: true } });
  const { progress } = options;
  const activity = await loadSyntheticTable(dataset, 'activity', { columns: 15, progress }, (data) =>
    prisma.activity.createMany({ data, skipDuplicates: true }),
  );
  // Links after their activities (foreign key).
  const activityOrganizer = await loadSyntheticTable(dataset, 'activityOrganizer', { columns: 3, progress }, (data) =>
    prisma.activityOrganizer.createMany({ data, skipDuplicates: true }),
  );
  const activityParticipant = await loadSyntheticTable(dataset, 'activityParticipant', { columns: 2, progress }, (data) =>
    prisma.activityParticipant.createMany({ data, skipDuplicates: true }),
  );
  return {
    created: activity.created + activityOrganizer.created + activityParticipant.created,
    tables: { activity, activityOrganizer, activityParticipant },
    otherDataset: other?.sourceLabel,
  };
}
