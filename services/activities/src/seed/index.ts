/**
 * Loads the activities subgraph's part of the Ayutthaya case: the consultation meeting of
 * 16 December 2564, its two organizers and its 59 participating agencies.
 * Idempotent: existing rows are left as they are.
 */
import { fiscalYearOf } from '@moral-registry/common';
import { MEETING } from '@moral-registry/common/demo';
import type { ActivitiesDatabase } from '../context.ts';

/** `@db.Date` columns take a Date; a bare YYYY-MM-DD is read as UTC midnight so the day never shifts. */
const utcDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

export async function seed(db: ActivitiesDatabase): Promise<{ created: number }> {
  const { organizerIds, participantIds, startDate, endDate, virtues, ...meeting } = MEETING;
  const activities = await db.client.activity.createMany({
    data: [
      { ...meeting, startDate: utcDate(startDate), endDate: utcDate(endDate), fiscalYear: fiscalYearOf(startDate), virtues: [...virtues] },
    ],
    skipDuplicates: true,
  });
  const organizers = await db.client.activityOrganizer.createMany({
    data: organizerIds.map((agencyId, position) => ({ activityId: MEETING.id, agencyId, position })),
    skipDuplicates: true,
  });
  const participants = await db.client.activityParticipant.createMany({
    data: participantIds.map((agencyId) => ({ activityId: MEETING.id, agencyId })),
    skipDuplicates: true,
  });
  return { created: activities.count + organizers.count + participants.count };
}
