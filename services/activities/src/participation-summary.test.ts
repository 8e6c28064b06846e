/**
 * ParticipationSummary and ActivityTally are kept by database triggers (migrations
 * participation_summary and activity_tally), whatever writes the activities and their links. After
 * every kind of write, they must equal what the activities and the participation links themselves
 * say, and the statistics read from them must match a count of the links.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execute, inMemory } from '@moral-registry/common/testing';
import { MEETING } from '@moral-registry/common/demo';
import { createServer } from './server.ts';

type Server = Awaited<ReturnType<typeof createServer>>;

const TRUTH = `
  SELECT a."fiscalYear" AS fy, a."provinceCode" AS pc, l."agencyId" AS ag, count(*)::int AS n
  FROM "ActivityParticipant" l JOIN "Activity" a ON a.id = l."activityId"
  WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const SUMMARY = `
  SELECT "fiscalYear" AS fy, "provinceCode" AS pc, "agencyId" AS ag, activities AS n
  FROM "ParticipationSummary" WHERE activities > 0 ORDER BY 1, 2, 3`;

// What ActivityTally must hold: the figures counted from the activities and the summary themselves.
const TALLY_TRUTH = `
  SELECT fy, pc, measure, n FROM (
    SELECT a."fiscalYear" AS fy, a."provinceCode" AS pc, 'activities' AS measure, count(*)::int AS n
    FROM "Activity" a WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2
    UNION ALL SELECT a."fiscalYear", a."provinceCode", 'participants', sum(a."participantCount")::int
    FROM "Activity" a WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2
    UNION ALL SELECT a."fiscalYear", a."provinceCode", 'kind:' || a.kind::text, count(*)::int
    FROM "Activity" a WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2, 3
    UNION ALL SELECT a."fiscalYear", a."provinceCode", 'virtue:' || v::text, count(DISTINCT a.id)::int
    FROM "Activity" a CROSS JOIN unnest(a.virtues) AS v WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2, 3
    UNION ALL SELECT a."fiscalYear", a."provinceCode", 'agencies', count(DISTINCT l."agencyId")::int
    FROM "ActivityParticipant" l JOIN "Activity" a ON a.id = l."activityId"
    WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2
  ) t WHERE n <> 0 ORDER BY fy, pc COLLATE "C", measure COLLATE "C"`;
const TALLY = `SELECT * FROM (SELECT "fiscalYear" AS fy, "provinceCode" AS pc, measure, n::int AS n FROM "ActivityTally") t
  WHERE n <> 0 ORDER BY fy, pc COLLATE "C", measure COLLATE "C"`;

const STATS = `query($reps: [_Any!]!, $fy: Int!) { _entities(representations: $reps) {
  ... on Province { code activityStats(fiscalYear: $fy) { participatingAgencyCount } }
  ... on Region { code activityStats(fiscalYear: $fy) { participatingAgencyCount } }
} }`;

describe('the participation summary kept by triggers', () => {
  let server: Server;
  const sql = <R = Record<string, unknown>>(text: string, params?: unknown[]) => server.db.rawQuery<R>(text, params);
  const expectInStep = async (step: string) => {
    const [truth, summary] = [await sql(TRUTH), await sql(SUMMARY)];
    expect({ step, rows: summary }).toEqual({ step, rows: truth });
    expect({ step, negative: await sql(`SELECT * FROM "ParticipationSummary" WHERE activities < 0`) }).toEqual({ step, negative: [] });
    const [tallyTruth, tally] = [await sql(TALLY_TRUTH), await sql(TALLY)];
    expect({ step, tally }).toEqual({ step, tally: tallyTruth });
    expect({ step, negative: await sql(`SELECT * FROM "ActivityTally" WHERE n < 0`) }).toEqual({ step, negative: [] });
    return summary.length;
  };
  const distinctAgencies = async (codes: string[], fy: number) =>
    (
      await sql<{ n: number }>(
        `SELECT count(DISTINCT l."agencyId")::int AS n FROM "ActivityParticipant" l JOIN "Activity" a ON a.id = l."activityId"
         WHERE a."archivedAt" IS NULL AND a."provinceCode" = ANY($1) AND a."fiscalYear" = $2`,
        [codes, fy],
      )
    )[0]!.n;
  const insertActivity = (id: string, provinceCode: string | null, fiscalYear: number, agencies: string[]) =>
    sql(
      `WITH a AS (
         INSERT INTO "Activity" (id, "titleTh", kind, "startDate", "endDate", "fiscalYear", "provinceCode", virtues, "sourceKind", "sourceLabel", "updatedAt")
         VALUES ($1, 'กิจกรรมทดสอบสรุปการมีส่วนร่วม', 'TRAINING', '2022-01-10', '2022-01-10', $2, $3, '{}', 'USER_ENTRY', 'test', now())
         RETURNING id)
       INSERT INTO "ActivityParticipant" ("activityId", "agencyId") SELECT a.id, g FROM a, unnest($4::text[]) AS g`,
      [id, fiscalYear, provinceCode, agencies],
    );

  beforeAll(async () => {
    server = await createServer({ config: inMemory, seed: true });
  });
  afterAll(() => server?.close());

  it('holds what the links say after the seed, and after each kind of write', async () => {
    expect(await expectInStep('seed')).toBe(59); // Ayutthaya's meeting: 59 agencies, TH-14, FY 2565
    expect(
      await sql(`SELECT n::int AS n FROM "ActivityTally" WHERE "provinceCode" = 'TH-14' AND "fiscalYear" = 2565 AND measure = 'agencies'`),
    ).toEqual([{ n: 59 }]);
    const meetingAgencies = (
      await sql<{ agencyId: string }>(`SELECT "agencyId" FROM "ActivityParticipant" WHERE "activityId" = $1 ORDER BY 1`, [MEETING.id])
    ).map((r) => r.agencyId);
    const [a1, a2] = meetingAgencies;
    const fresh = ['test-agency-1', 'test-agency-2'];

    await insertActivity('test-activity-1', 'TH-14', 2565, [a1!, a2!, ...fresh]);
    await expectInStep('a second activity with two agencies of the meeting and two new ones');
    expect(await sql(`SELECT activities FROM "ParticipationSummary" WHERE "agencyId" = $1`, [a1])).toEqual([{ activities: 2 }]);

    // A bulk load that meets links already there (createMany with skipDuplicates) counts only the new ones.
    await sql(
      `INSERT INTO "ActivityParticipant" ("activityId", "agencyId") SELECT "activityId", "agencyId" FROM "ActivityParticipant"
       UNION ALL SELECT 'test-activity-1', 'test-agency-6' ON CONFLICT DO NOTHING`,
    );
    await expectInStep('links inserted again, with one new, ON CONFLICT DO NOTHING');
    await sql(`DELETE FROM "ActivityParticipant" WHERE "activityId" = 'test-activity-1' AND "agencyId" = $1`, [fresh[0]]);
    await expectInStep('a link removed');
    await sql(`UPDATE "ActivityParticipant" SET "agencyId" = 'test-agency-3' WHERE "activityId" = 'test-activity-1' AND "agencyId" = $1`, [
      fresh[1],
    ]);
    await expectInStep('a link changed to another agency');

    await sql(`UPDATE "Activity" SET "archivedAt" = now() WHERE id = 'test-activity-1'`);
    await expectInStep('archived');
    await sql(`UPDATE "Activity" SET "archivedAt" = NULL WHERE id = 'test-activity-1'`);
    await expectInStep('restored');
    await sql(`UPDATE "Activity" SET "provinceCode" = 'TH-10', "fiscalYear" = 2566 WHERE id = 'test-activity-1'`);
    await expectInStep('moved to another province and fiscal year');
    await sql(`UPDATE "Activity" SET "titleTh" = 'ชื่อใหม่', version = version + 1 WHERE id = 'test-activity-1'`);
    await expectInStep('a change that moves nothing');
    await sql(
      `UPDATE "Activity" SET kind = 'MORAL_MARKET', virtues = '{HONESTY,GRATITUDE,HONESTY}', "participantCount" = 120 WHERE id = 'test-activity-1'`,
    );
    await expectInStep('kind, virtues (one named twice) and head count changed');
    await sql(`UPDATE "Activity" SET virtues = '{DISCIPLINE}', "participantCount" = "participantCount" + 5 WHERE "provinceCode" = 'TH-10'`);
    await expectInStep('virtues and head counts of a whole province changed in one statement');
    await sql(`UPDATE "Activity" SET "provinceCode" = NULL WHERE id = 'test-activity-1'`);
    await expectInStep('made national (no province)');
    await sql(`UPDATE "Activity" SET "provinceCode" = 'TH-14', "fiscalYear" = 2565 WHERE id = 'test-activity-1'`);
    await expectInStep('back in Ayutthaya');

    await sql(`UPDATE "Activity" SET "archivedAt" = now() WHERE "provinceCode" = 'TH-14'`);
    expect(await expectInStep('every Ayutthaya activity archived in one statement')).toBe(0);
    await sql(`UPDATE "Activity" SET "archivedAt" = NULL WHERE "provinceCode" = 'TH-14'`);
    await expectInStep('and restored in one statement');

    await sql(`DELETE FROM "Activity" WHERE id = 'test-activity-1'`);
    expect(await expectInStep('deleted outright, links by cascade')).toBe(59);
    await sql(`DELETE FROM "Activity" WHERE id = 'test-activity-1'`);
    await expectInStep('deleting it again changes nothing');
  });

  it('gives the statistics the distinct agencies of a province and of a region over its provinces', async () => {
    await insertActivity('test-activity-2', 'TH-14', 2565, ['test-agency-4']);
    // The same agency in two provinces of the central region: once in the region, once in each province.
    await insertActivity('test-activity-3', 'TH-10', 2565, ['test-agency-4', 'test-agency-5']);
    await expectInStep('two activities in two provinces');
    const reps = [
      { __typename: 'Province', code: 'TH-14' },
      { __typename: 'Province', code: 'TH-10' },
      { __typename: 'Region', code: 'TH' },
    ];
    const data = await execute(server, STATS, { reps, fy: 2565 });
    const counts = Object.fromEntries(
      data._entities.map((e: { code: string; activityStats: { participatingAgencyCount: number } }) => [
        e.code,
        e.activityStats.participatingAgencyCount,
      ]),
    );
    expect(counts).toEqual({
      'TH-14': await distinctAgencies(['TH-14'], 2565),
      'TH-10': await distinctAgencies(['TH-10'], 2565),
      TH: await distinctAgencies(['TH-14', 'TH-10'], 2565),
    });
    expect(counts).toEqual({ 'TH-14': 60, 'TH-10': 2, TH: 61 });
  });

  it('stays right under concurrent bulk writes over the same agencies, without deadlocks', async () => {
    // 12 activities in one province and year, each given the same 150 agencies in its own order, all
    // at once: on PostgreSQL, parallel statements upsert overlapping summary rows (on PGlite they queue).
    const agencies = Array.from({ length: 150 }, (_, i) => `test-concurrent-${String(i).padStart(3, '0')}`);
    const shuffled = (seed: number) =>
      [...agencies].sort((a, b) => ((a.charCodeAt(18) * seed) % 97) - ((b.charCodeAt(18) * seed) % 97) || (a < b ? -1 : 1));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => i).map(async (i) => {
        await sql(
          `INSERT INTO "Activity" (id, "titleTh", kind, "startDate", "endDate", "fiscalYear", "provinceCode", virtues, "sourceKind", "sourceLabel", "updatedAt")
           VALUES ($1, 'กิจกรรมพร้อมกัน', 'TRAINING', '2022-02-01', '2022-02-01', 2565, 'TH-15', '{}', 'USER_ENTRY', 'test', now())`,
          [`test-concurrent-activity-${i}`],
        );
        await sql(
          `INSERT INTO "ActivityParticipant" ("activityId", "agencyId") SELECT $1, g FROM unnest($2::text[]) WITH ORDINALITY AS u(g, n) ORDER BY n`,
          [`test-concurrent-activity-${i}`, shuffled(i + 2)],
        );
      }),
    );
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => i).map((i) =>
        sql(`UPDATE "Activity" SET "archivedAt" = now() WHERE id = $1`, [`test-concurrent-activity-${i}`]),
      ),
    );
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => i).map((i) =>
        sql(`UPDATE "Activity" SET "archivedAt" = NULL WHERE id = $1`, [`test-concurrent-activity-${i}`]),
      ),
    );
    await expectInStep('concurrent inserts, archives and restores');
    expect(await sql(`SELECT DISTINCT activities FROM "ParticipationSummary" WHERE "agencyId" LIKE 'test-concurrent-%'`)).toEqual([
      { activities: 6 },
    ]);
    expect(await distinctAgencies(['TH-15'], 2565)).toBe(150);
  });
});
