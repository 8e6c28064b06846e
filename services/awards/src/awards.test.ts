import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stableId } from '@moral-registry/common';
import { execute, executeRaw, inMemory } from '@moral-registry/common/testing';
import { AGENCIES, PARTICIPANTS, PEOPLE } from '@moral-registry/common/demo';
import { loadReferenceData } from '../../networks/src/seed/reference-data.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { createServer, seed } from './server.ts';
import { DEMO_RECOGNITIONS } from './seed/index.ts';

let server: Awaited<ReturnType<typeof createServer>>;

const LEVELS = ['PROMOTING', 'MORAL', 'MODEL', 'OUTSTANDING_MODEL'];
const testId = (key: string) => stableId('recognition', `test:${key}`);
const AGENCY_ID = stableId('agency', 'test:awarded-agency');
const PERSON_ID = stableId('person', 'test:awarded-person');

/** Rows for Bueng Kan (TH-38), which the seed leaves empty: every status, one archived, one of another year. */
const base = {
  scope: 'PROVINCIAL',
  provinceCode: 'TH-38',
  fiscalYear: 2566,
  recipientKind: 'AGENCY',
  recipientId: AGENCY_ID,
  sourceKind: 'USER_ENTRY',
  sourceLabel: 'test',
} as const;
const ROWS: Prisma.RecognitionCreateManyInput[] = [
  { ...base, id: testId('a1'), programme: 'MORAL_UNIT_ASSESSMENT', level: 'MORAL', status: 'NOMINATED' },
  {
    ...base,
    id: testId('a2'),
    programme: 'MORAL_UNIT_ASSESSMENT',
    level: 'MORAL',
    status: 'PROVINCE_CERTIFIED',
    recipientId: stableId('agency', 'test:other'),
  },
  {
    ...base,
    id: testId('a3'),
    programme: 'MORAL_UNIT_ASSESSMENT',
    level: 'MODEL',
    status: 'NATIONALLY_CONFIRMED',
    recipientKind: 'PROVINCE',
    recipientId: 'TH-38',
  },
  { ...base, id: testId('a4'), programme: 'MORAL_UNIT_ASSESSMENT', level: 'PROMOTING', status: 'REJECTED' },
  {
    ...base,
    id: testId('h1'),
    programme: 'VIRTUE_HONOUR',
    virtue: 'HONESTY',
    status: 'PROVINCE_CERTIFIED',
    recipientKind: 'PERSON',
    recipientId: PERSON_ID,
  },
  {
    ...base,
    id: testId('h2'),
    programme: 'VIRTUE_HONOUR',
    virtue: 'HONESTY',
    status: 'REJECTED',
    recipientKind: 'PERSON',
    recipientId: PERSON_ID,
  },
  { ...base, id: testId('h3'), programme: 'VIRTUE_HONOUR', virtue: 'GRATITUDE', status: 'WITHDRAWN' },
  {
    ...base,
    id: testId('archived'),
    programme: 'MORAL_UNIT_ASSESSMENT',
    level: 'OUTSTANDING_MODEL',
    status: 'NATIONALLY_CONFIRMED',
    archivedAt: new Date('2023-01-01'),
    recipientKind: 'PERSON',
    recipientId: PERSON_ID,
  },
  { ...base, id: testId('older'), programme: 'VIRTUE_HONOUR', virtue: 'SUFFICIENCY', status: 'NOMINATED', fiscalYear: 2565 },
];

/** The expected stats, counted here from ROWS rather than by the service. */
function expectedStats(provinceCode: string, fiscalYear: number) {
  const rows = ROWS.filter((r) => r.provinceCode === provinceCode && r.fiscalYear === fiscalYear && !r.archivedAt);
  const counted = rows.filter((r) => r.status !== 'REJECTED' && r.status !== 'WITHDRAWN');
  const tally = (values: (string | null | undefined)[]) => {
    const out: Record<string, number> = {};
    for (const v of values) if (v) out[v] = (out[v] ?? 0) + 1;
    return out;
  };
  return {
    total: counted.length,
    byLevel: tally(counted.map((r) => r.level)),
    byVirtue: tally(counted.map((r) => r.virtue)),
    byStatus: tally(rows.map((r) => r.status)),
  };
}

const STATS = `recognitionStats(fiscalYear: $fy) { fiscalYear total byLevel { level count } byVirtue { virtue count } byStatus { status count } }`;
const provinceReps = (codes: string[]) => codes.map((code) => ({ __typename: 'Province', code }));
const asRecord = <K extends string>(list: ({ count: number } & Record<K, string>)[], key: K) =>
  Object.fromEntries(list.map((e) => [e[key], e.count]));

beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
  await server.db.client.recognition.createMany({ data: ROWS });
});
afterAll(() => server?.close());

describe('awards subgraph', () => {
  it('counts a province’s recognitions of a fiscal year, leaving out rejected, withdrawn and archived ones', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!, $fy: Int!) { _entities(representations: $reps) { ... on Province { code ${STATS} } } }`,
      {
        reps: provinceReps(['TH-38', 'TH-10']),
        fy: 2566,
      },
    );
    const [buengKan, bangkok] = data._entities;
    const expected = expectedStats('TH-38', 2566);
    expect(buengKan.recognitionStats.fiscalYear).toBe(2566);
    expect(buengKan.recognitionStats.total).toBe(expected.total);
    expect(asRecord(buengKan.recognitionStats.byLevel, 'level')).toEqual(expected.byLevel);
    expect(asRecord(buengKan.recognitionStats.byVirtue, 'virtue')).toEqual(expected.byVirtue);
    expect(asRecord(buengKan.recognitionStats.byStatus, 'status')).toEqual(expected.byStatus);
    // Levels come in the order of the scale, not alphabetically.
    const levels = buengKan.recognitionStats.byLevel.map((l: { level: string }) => l.level);
    expect(levels).toEqual([...levels].sort((a, b) => LEVELS.indexOf(a) - LEVELS.indexOf(b)));
    expect(bangkok.recognitionStats).toEqual({ fiscalYear: 2566, total: 0, byLevel: [], byVirtue: [], byStatus: [] });
  });

  it('lists the recognitions of Agency and Person entities, newest first, archived ones left out', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agency { id recognitions { id fiscalYear } } ... on Person { id recognitions { id status } } } }`,
      {
        reps: [
          { __typename: 'Agency', id: AGENCY_ID },
          { __typename: 'Person', id: PERSON_ID },
          { __typename: 'Agency', id: stableId('agency', 'test:never-awarded') },
        ],
      },
    );
    const [agency, person, none] = data._entities;
    expect(agency.recognitions.map((r: { id: string }) => r.id)).toEqual(
      ROWS.filter((r) => r.recipientKind === 'AGENCY' && r.recipientId === AGENCY_ID)
        .sort((a, b) => b.fiscalYear - a.fiscalYear || a.id!.localeCompare(b.id!))
        .map((r) => r.id),
    );
    expect(person.recognitions.map((r: { id: string }) => r.id).sort()).toEqual([testId('h1'), testId('h2')].sort());
    expect(none.recognitions).toEqual([]);
  });

  it('resolves Recognition entities (archived ones too) and their recipient union', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Recognition { id province { code } recipient { __typename ... on Agency { id } ... on Person { id } ... on Province { code } } source { kind synthetic } } } }`,
      {
        reps: ['a1', 'h1', 'a3', 'archived'].map((k) => ({ __typename: 'Recognition', id: testId(k) })),
      },
    );
    expect(data._entities).toEqual([
      {
        id: testId('a1'),
        province: { code: 'TH-38' },
        recipient: { __typename: 'Agency', id: AGENCY_ID },
        source: { kind: 'USER_ENTRY', synthetic: false },
      },
      {
        id: testId('h1'),
        province: { code: 'TH-38' },
        recipient: { __typename: 'Person', id: PERSON_ID },
        source: { kind: 'USER_ENTRY', synthetic: false },
      },
      {
        id: testId('a3'),
        province: { code: 'TH-38' },
        recipient: { __typename: 'Province', code: 'TH-38' },
        source: { kind: 'USER_ENTRY', synthetic: false },
      },
      // Archived recognitions are left out of lists and stats, but references to them still resolve.
      {
        id: testId('archived'),
        province: { code: 'TH-38' },
        recipient: { __typename: 'Person', id: PERSON_ID },
        source: { kind: 'USER_ENTRY', synthetic: false },
      },
    ]);
  });

  it('pages a province’s recognitions by fiscal year (newest first), then id, with the total on every page', async () => {
    const query = `query($reps: [_Any!]!, $after: String, $fy: Int) { _entities(representations: $reps) { ... on Province { recognitions(first: 3, after: $after, fiscalYear: $fy) { totalCount pageInfo { hasNextPage endCursor } edges { node { id fiscalYear } } } } } }`;
    const expected = ROWS.filter((r) => r.provinceCode === 'TH-38' && !r.archivedAt)
      .sort((a, b) => b.fiscalYear - a.fiscalYear || a.id!.localeCompare(b.id!))
      .map((r) => r.id);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await execute(server, query, { reps: provinceReps(['TH-38', 'TH-10']), after }))._entities[0].recognitions;
      expect(page.totalCount).toBe(expected.length);
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(expected);

    const older = await execute(server, query, { reps: provinceReps(['TH-38']), fy: 2565 });
    expect(older._entities[0].recognitions.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([testId('older')]);
  });

  it('rejects a Common Era fiscal year, naming the Buddhist Era year meant', async () => {
    const stats = await executeRaw(
      server,
      `query($reps: [_Any!]!, $fy: Int!) { _entities(representations: $reps) { ... on Province { ${STATS} } } }`,
      {
        reps: provinceReps(['TH-14']),
        fy: 2021,
      },
    );
    expect(stats.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
    expect(stats.errors?.[0]?.message).toContain('2564');
    const list = await executeRaw(server, `{ recognitions(fiscalYear: 2021) { totalCount } }`);
    expect(list.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
    expect(list.errors?.[0]?.message).toContain('2564');
  });

  it('answers recognitionStats for 77 provinces with as many SQL statements as for one', async () => {
    const codes = loadReferenceData().provinces.map((p) => p.code);
    expect(codes).toHaveLength(77);
    const query = `query($reps: [_Any!]!, $fy: Int!) { _entities(representations: $reps) { ... on Province { ${STATS} } } }`;
    const cost = async (reps: string[]) => {
      const before = server.db.statements.count;
      const data = await execute(server, query, { reps: provinceReps(reps), fy: 2565 });
      expect(data._entities).toHaveLength(reps.length);
      return server.db.statements.count - before;
    };
    const one = await cost(['TH-14']);
    const all = await cost(codes);
    expect(one).toBe(1);
    expect(all).toBe(one);
  });

  it('marks every seeded recognition synthetic and gives them only to synthetic agencies', async () => {
    const data = await execute(
      server,
      `{ recognitions(provinceCode: "14", first: 100) { totalCount edges { node { recipient { __typename ... on Agency { id } } source { kind label synthetic } } } } }`,
    );
    expect(data.recognitions.totalCount).toBe(DEMO_RECOGNITIONS.length);
    const synthetic = new Set(PARTICIPANTS.filter((a) => a.sourceKind === 'SYNTHETIC').map((a) => a.id));
    const real = new Set([...AGENCIES.filter((a) => a.sourceKind !== 'SYNTHETIC').map((a) => a.id), ...PEOPLE.map((p) => p.id)]);
    for (const { node } of data.recognitions.edges) {
      expect(node.source).toEqual({ kind: 'SYNTHETIC', label: 'synthetic demo data', synthetic: true });
      expect(node.recipient.__typename).toBe('Agency');
      expect(synthetic.has(node.recipient.id)).toBe(true);
      expect(real.has(node.recipient.id)).toBe(false);
    }
    expect(await seed(server.db)).toEqual({ created: 0 });
  });

  it('places the seeded recognitions in their agencies’ districts, also when loaded before districts were kept', async () => {
    const query = `{ recognitions(provinceCode: "14", first: 100) { edges { node { recipient { ... on Agency { id } } district { code } } } } }`;
    const placed = async () =>
      new Map(
        (await execute(server, query)).recognitions.edges.map(
          (e: { node: { recipient: { id: string }; district: { code: string } | null } }) => [e.node.recipient.id, e.node.district?.code],
        ),
      );
    const expected = new Map(
      PARTICIPANTS.filter((a) => DEMO_RECOGNITIONS.some((r) => r.recipientId === a.id)).map((a) => [a.id, a.districtCode]),
    );
    expect([...expected.values()].every(Boolean)).toBe(true);
    expect(await placed()).toEqual(expected);
    // As a database migrated from before the district column holds them: the next start fills them in.
    await server.db.client.recognition.updateMany({
      where: { id: { in: DEMO_RECOGNITIONS.map((r) => r.id) } },
      data: { districtCode: null },
    });
    expect(await seed(server.db)).toEqual({ created: 0 });
    expect(await placed()).toEqual(expected);
  });

  it('serves the criteria Ayutthaya set for FY2565 as sourced, not synthetic', async () => {
    const data = await execute(
      server,
      `{ found: awardCriteria(provinceCode: "14", fiscalYear: 2565) { province { code } fiscalYear virtues source { kind synthetic } } missing: awardCriteria(provinceCode: "TH-38", fiscalYear: 2565) { id } }`,
    );
    expect(data.found).toEqual({
      province: { code: 'TH-14' },
      fiscalYear: 2565,
      virtues: ['SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE'],
      source: { kind: 'SOURCE_DOCUMENT', synthetic: false },
    });
    expect(data.missing).toBeNull();
  });
});
