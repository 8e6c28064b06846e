import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fiscalYearOf, SYNTHETIC } from '@moral-registry/common';
import { execute, executeRaw, inMemory } from '@moral-registry/common/testing';
import { agencyId, activityId, CULTURE_OFFICE, MEETING, MORAL_PROMOTION_CENTER, PARTICIPANTS } from '@moral-registry/common/demo';
import { loadReferenceData } from '../../networks/src/seed/reference-data.ts';
import { createServer } from './server.ts';
import { DateScalar } from './resolvers/Date.ts';

type Server = Awaited<ReturnType<typeof createServer>>;

const ENTITIES = `query($reps: [_Any!]!, $fy: Int!) { _entities(representations: $reps) {
  ... on Province { code activityStats(fiscalYear: $fy) { fiscalYear count participantCount participatingAgencyCount }
                    activities(fiscalYear: $fy, first: 10) { totalCount edges { node { id startDate fiscalYear } } } }
} }`;
const province = (code: string) => ({ __typename: 'Province', code });

describe('activities subgraph', () => {
  let server: Server;
  beforeAll(async () => {
    server = await createServer({ config: inMemory, seed: true });
  });
  afterAll(() => server?.close());

  it('resolves Province entities: Ayutthaya’s meeting in FY2565, zeros for a province without activities', async () => {
    const data = await execute(server, ENTITIES, { reps: [province('TH-14'), province('TH-10')], fy: 2565 });
    const [ayutthaya, bangkok] = data._entities;
    expect(ayutthaya.activityStats).toEqual({ fiscalYear: 2565, count: 1, participantCount: 85, participatingAgencyCount: 59 });
    expect(ayutthaya.activities.totalCount).toBe(1);
    expect(ayutthaya.activities.edges[0].node).toEqual({ id: MEETING.id, startDate: '2021-12-16', fiscalYear: 2565 });
    expect(bangkok.activityStats).toEqual({ fiscalYear: 2565, count: 0, participantCount: 0, participatingAgencyCount: 0 });
    expect(bangkok.activities).toEqual({ totalCount: 0, edges: [] });
    const lastYear = await execute(server, ENTITIES, { reps: [province('TH-14')], fy: 2564 });
    expect(lastYear._entities[0].activityStats.count).toBe(0);
  });

  it('resolves the meeting as an Activity entity and pages its 59 participating agencies', async () => {
    const query = `query($reps: [_Any!]!, $after: String) { _entities(representations: $reps) { ... on Activity {
      titleTh kind startDate endDate fiscalYear province { code } district { code } venue virtues participantCount
      source { kind synthetic } organizers { id } participatingAgencyCount
      participatingAgencies(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
    } } }`;
    const reps = [{ __typename: 'Activity', id: MEETING.id }];
    const seen: string[] = [];
    let after: string | null = null;
    const pageSizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const data: Record<string, any> = await execute(server, query, { reps, after });
      const activity = data._entities[0];
      if (i === 0) {
        expect(activity).toMatchObject({
          kind: 'CONSULTATION_MEETING',
          startDate: '2021-12-16',
          endDate: '2021-12-16',
          fiscalYear: 2565,
          province: { code: 'TH-14' },
          district: { code: '1414' },
          participantCount: 85,
          source: { kind: 'SOURCE_DOCUMENT', synthetic: false },
          organizers: [{ id: MORAL_PROMOTION_CENTER.id }, { id: CULTURE_OFFICE.id }],
          participatingAgencyCount: 59,
        });
        expect(activity.virtues).toHaveLength(5);
      }
      const page = activity.participatingAgencies;
      expect(page.totalCount).toBe(59);
      pageSizes.push(page.edges.length);
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(pageSizes).toEqual([25, 25, 9]);
    expect(new Set(seen)).toEqual(new Set(PARTICIPANTS.map((a) => a.id)));
  });

  it('lists an agency’s activities, organized or attended, once each', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agency { id activities { totalCount edges { node { id } } } } } }`,
      {
        reps: [CULTURE_OFFICE, MORAL_PROMOTION_CENTER, PARTICIPANTS[10]!, { id: agencyId('nobody') }].map(({ id }) => ({
          __typename: 'Agency',
          id,
        })),
      },
    );
    // The culture office both organized and attended the meeting.
    expect(data._entities.map((a: { activities: { totalCount: number } }) => a.activities.totalCount)).toEqual([1, 1, 1, 0]);
    expect(data._entities[0].activities.edges).toEqual([{ node: { id: MEETING.id } }]);
  });

  it('answers the root fields, with filters and both province code forms', async () => {
    const data = await execute(
      server,
      `{
      activity(id: "${MEETING.id}") { id titleEn }
      missing: activity(id: "${activityId('nothing')}") { id }
      byDopa: activities(provinceCode: "14", fiscalYear: 2565) { totalCount edges { node { id } } }
      byIso: activities(provinceCode: "th-14", kind: CONSULTATION_MEETING) { totalCount }
      otherKind: activities(kind: MORAL_MARKET) { totalCount }
      otherYear: activities(fiscalYear: 2564) { totalCount }
    }`,
    );
    expect(data.activity).toEqual({ id: MEETING.id, titleEn: MEETING.titleEn });
    expect(data.missing).toBeNull();
    expect(data.byDopa.edges).toEqual([{ node: { id: MEETING.id } }]);
    expect([data.byIso.totalCount, data.otherKind.totalCount, data.otherYear.totalCount]).toEqual([1, 0, 0]);
  });

  it('rejects a Common Era fiscal year, naming the Buddhist Era year meant', async () => {
    const stats = await executeRaw(server, ENTITIES, { reps: [province('TH-14')], fy: 2021 });
    expect(stats.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
    expect(stats.errors?.[0]?.message).toContain('2564');
    const list = await executeRaw(server, `{ activities(fiscalYear: 2021) { totalCount } }`);
    expect(list.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
    expect(list.errors?.[0]?.message).toContain('2564');
  });

  it('finds activities by title words, virtue and date range, and pages agencies’ activities in one statement', async () => {
    const list = async (args: string) =>
      (await execute(server, `{ activities(${args}) { totalCount edges { node { id } } } }`)).activities as {
        totalCount: number;
        edges: { node: { id: string } }[];
      };
    expect((await list('search: "ประชุม หารือ"')).edges.map((e) => e.node.id)).toEqual([MEETING.id]);
    expect((await list('search: "หารือ", virtue: HONESTY, from: "2021-12-16", to: "2021-12-16"')).totalCount).toBe(1);
    expect((await list('search: "หารือ", from: "2021-12-17"')).totalCount).toBe(0);
    expect((await list('search: "ตลาดนัด"')).totalCount).toBe(0);
    const bad = await executeRaw(server, `{ activities(from: "2022-01-01", to: "2021-01-01") { totalCount } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const reps = [CULTURE_OFFICE.id, MORAL_PROMOTION_CENTER.id, agencyId('nobody')].map((id) => ({ __typename: 'Agency', id }));
    const mark = server.db.statements.count;
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agency { activities(search: "ประชุม", last: 5) { totalCount edges { node { id } } } } } }`,
      { reps },
    );
    expect(server.db.statements.count - mark).toBe(1);
    expect(data._entities.map((a: { activities: { totalCount: number } }) => a.activities.totalCount)).toEqual([1, 1, 0]);
  });

  it('rejects bad page sizes and province codes', async () => {
    const tooMany = await executeRaw(server, `{ activities(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCode = await executeRaw(server, `{ activities(provinceCode: "Ayutthaya") { totalCount } }`);
    expect(badCode.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'provinceCode' });
  });

  it('costs the same number of SQL statements for 1 province as for all 77', async () => {
    const codes = loadReferenceData().provinces.map((p) => p.code);
    expect(codes).toHaveLength(77);
    const statementsFor = async (reps: unknown[]) => {
      const mark = server.db.statements.count;
      const data = await execute(server, ENTITIES, { reps, fy: 2565 });
      return {
        statements: server.db.statements.count - mark,
        entities: data._entities as { code: string; activityStats: { count: number } }[],
      };
    };
    const one = await statementsFor([province('TH-14')]);
    const all = await statementsFor(codes.map(province));
    // One statement for the stats, one for the activity pages, however many provinces.
    expect(one.statements).toBe(2);
    expect(all.statements).toBe(one.statements);
    expect(all.entities).toHaveLength(77);
    expect(all.entities.filter((p) => p.activityStats.count > 0).map((p) => p.code)).toEqual(['TH-14']);
  });

  it('serializes and parses the Date scalar as calendar days', () => {
    expect(DateScalar.serialize(new Date('2021-12-16T00:00:00Z'))).toBe('2021-12-16');
    expect(DateScalar.serialize('2021-12-16T00:00:00.000Z')).toBe('2021-12-16');
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2021-13-01', '2021-12-1', '16/12/2564', 20211216]) {
      expect(() => DateScalar.parseValue(bad)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'Date' } }));
    }
  });
});

describe('activity stats over several activities and years', () => {
  let server: Server;

  interface Fixture {
    key: string;
    provinceCode: string;
    startDate: string;
    participantCount: number;
    participantIds: string[];
    archived?: boolean;
  }
  const extra = (n: number) => Array.from({ length: n }, (_, i) => agencyId(`TH-14:test:extra:${i}`));
  const ids = PARTICIPANTS.map((a) => a.id);
  const FIXTURES: Fixture[] = [
    // FY2564 (Oct 2020 – Sep 2021): must not leak into FY2565.
    {
      key: 'market-2564',
      provinceCode: 'TH-14',
      startDate: '2021-03-10',
      participantCount: 40,
      participantIds: [...ids.slice(0, 10), ...extra(2)],
    },
    // The last day of FY2565; overlaps the meeting on 9 agencies and brings 5 new ones.
    {
      key: 'assembly-2565',
      provinceCode: 'TH-14',
      startDate: '2022-09-30',
      participantCount: 30,
      participantIds: [...ids.slice(50), ...extra(5)],
    },
    { key: 'training-2565', provinceCode: 'TH-14', startDate: '2022-02-01', participantCount: 12, participantIds: extra(3) },
    // The first day of FY2566.
    { key: 'campaign-2566', provinceCode: 'TH-14', startDate: '2022-10-01', participantCount: 7, participantIds: extra(1) },
    {
      key: 'archived-2565',
      provinceCode: 'TH-14',
      startDate: '2022-01-15',
      participantCount: 1000,
      participantIds: extra(20),
      archived: true,
    },
    {
      key: 'bangkok-2565',
      provinceCode: 'TH-10',
      startDate: '2022-05-05',
      participantCount: 9,
      participantIds: [ids[0]!, agencyId('TH-10:test:1')],
    },
  ];
  const all: Fixture[] = [
    { key: 'meeting', provinceCode: 'TH-14', startDate: MEETING.startDate, participantCount: 85, participantIds: MEETING.participantIds },
    ...FIXTURES,
  ];
  const idOf = (f: Fixture) => (f.key === 'meeting' ? MEETING.id : activityId(`test:${f.key}`));

  /** Expected stats straight from the fixtures, not from SQL. */
  function expected(provinceCode: string, fiscalYear: number) {
    const acts = all.filter((f) => !f.archived && f.provinceCode === provinceCode && fiscalYearOf(f.startDate) === fiscalYear);
    return {
      fiscalYear,
      count: acts.length,
      participantCount: acts.reduce((sum, f) => sum + f.participantCount, 0),
      participatingAgencyCount: new Set(acts.flatMap((f) => f.participantIds)).size,
    };
  }

  beforeAll(async () => {
    server = await createServer({ config: inMemory, seed: true });
    for (const f of FIXTURES) {
      await server.db.client.activity.create({
        data: {
          id: idOf(f),
          titleTh: `กิจกรรมทดสอบ ${f.key}`,
          kind: 'OTHER',
          startDate: new Date(`${f.startDate}T00:00:00Z`),
          endDate: new Date(`${f.startDate}T00:00:00Z`),
          fiscalYear: fiscalYearOf(f.startDate),
          provinceCode: f.provinceCode,
          participantCount: f.participantCount,
          virtues: ['VOLUNTEERISM'],
          archivedAt: f.archived ? new Date() : null,
          ...SYNTHETIC,
          organizers: { create: [{ agencyId: CULTURE_OFFICE.id, position: 0 }] },
          participants: { create: f.participantIds.map((agencyId) => ({ agencyId })) },
        },
      });
    }
  });
  afterAll(() => server?.close());

  it('counts activities, head counts and distinct agencies per province and fiscal year', async () => {
    for (const fy of [2564, 2565, 2566]) {
      const data = await execute(server, ENTITIES, { reps: [province('TH-14'), province('TH-10'), province('TH-38')], fy });
      expect(data._entities.map((p: { activityStats: unknown }) => p.activityStats)).toEqual(
        ['TH-14', 'TH-10', 'TH-38'].map((c) => expected(c, fy)),
      );
    }
    // Sanity check of the fixture arithmetic itself.
    expect(expected('TH-14', 2565)).toEqual({ fiscalYear: 2565, count: 3, participantCount: 127, participatingAgencyCount: 64 });
  });

  it('agrees with a plain SQL count of the same rows', async () => {
    const [row] = await server.db.rawQuery<{ n: number }>(
      `SELECT count(DISTINCT p."agencyId")::int AS n FROM "ActivityParticipant" p JOIN "Activity" a ON a.id = p."activityId"
       WHERE a."provinceCode" = 'TH-14' AND a."fiscalYear" = 2565 AND a."archivedAt" IS NULL`,
    );
    const data = await execute(server, ENTITIES, { reps: [province('TH-14')], fy: 2565 });
    expect(data._entities[0].activityStats.participatingAgencyCount).toBe(row!.n);
  });

  it('lists activities newest first and leaves archived ones out of lists, but returns them by id', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Province { activities(first: 3) { totalCount pageInfo { hasNextPage } edges { node { startDate } } } }
        ... on Agency { activities { totalCount edges { node { startDate } } } }
        ... on Activity { id archivedAt }
      }
      archived: activity(id: "${activityId('test:archived-2565')}") { id archivedAt }
      activities(provinceCode: "TH-14") { totalCount edges { node { startDate } } }
    }`,
      {
        reps: [
          province('TH-14'),
          { __typename: 'Agency', id: CULTURE_OFFICE.id },
          { __typename: 'Activity', id: activityId('test:archived-2565') },
        ],
      },
    );
    const [ayutthaya, cultureOffice, archived] = data._entities;
    const dates = (c: { edges: { node: { startDate: string } }[] }) => c.edges.map((e) => e.node.startDate);
    expect(ayutthaya.activities.totalCount).toBe(5);
    expect(ayutthaya.activities.pageInfo.hasNextPage).toBe(true);
    expect(dates(ayutthaya.activities)).toEqual(['2022-10-01', '2022-09-30', '2022-02-01']);
    expect(cultureOffice.activities.totalCount).toBe(6);
    expect(dates(cultureOffice.activities)).toEqual(['2022-10-01', '2022-09-30', '2022-05-05', '2022-02-01', '2021-12-16', '2021-03-10']);
    // By id (root field and entity reference) an archived activity is still there, with archivedAt.
    expect(archived).toEqual({ id: activityId('test:archived-2565'), archivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(data.archived).toEqual(archived);
    expect(data.activities.totalCount).toBe(5);
    expect(dates(data.activities)).toEqual(['2022-10-01', '2022-09-30', '2022-02-01', '2021-12-16', '2021-03-10']);
  });
});
