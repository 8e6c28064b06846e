/**
 * Writes to activities, run in-process with each viewer: the role × operation matrix and the province
 * scope, validation (database unchanged after every refusal), versions, the audit trail, archiving,
 * and a database failure in the middle of a write leaving nothing half-written. The networks and
 * agencies subgraphs run too: activities check districts with the one and organizers and participating
 * agencies with the other.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANONYMOUS, createPeers, tIn, type Viewer } from '@moral-registry/common';
import {
  executeAs,
  inMemory,
  type Peers,
  PROVINCE_WRITE,
  postInThai,
  startPeers,
  VIEWERS,
  type ViewerName,
} from '@moral-registry/common/testing';
import { agencyId, ARU, CULTURE_OFFICE, MEETING, MORAL_PROMOTION_CENTER, PARTICIPANTS, RMUTSB } from '@moral-registry/common/demo';
import { createServer as createNetworks } from '@moral-registry/networks';
import { createServer as createAgencies } from '@moral-registry/agencies';
import { createServer } from './server.ts';
import * as writes from './writes.ts';
import { importActivities } from './imports.ts';

const { ADMIN, EDITOR_14, EDITOR_10, READER, PARTNER } = VIEWERS;
/** What each viewer gets when writing a TH-14 record. */
const EXPECTED = PROVINCE_WRITE;

/** Archived in the agencies subgraph before the tests: may not be newly linked. */
const ARCHIVED_AGENCY = PARTICIPANTS.at(-1)!;
const UNKNOWN_AGENCY = agencyId('nobody');

/** What activities asks about districts, organizers and participating agencies. */
const PEERS = { networks: createNetworks, agencies: createAgencies };
let peers: Peers<typeof PEERS>;
let server: Awaited<ReturnType<typeof createServer>>;
/** The subgraph over HTTP too, for requests in Thai (before anything runs in-process, which would start it). */
let url: string;
beforeAll(async () => {
  peers = await startPeers(PEERS);
  await peers.servers.agencies.db.client.agency.update({ where: { id: ARCHIVED_AGENCY.id }, data: { archivedAt: new Date() } });
  server = await createServer({ config: { ...inMemory, peers: peers.urls }, seed: true });
  url = (await server.listen(0)).url;
}, 180_000);
afterAll(async () => {
  await server?.close();
  await peers?.close();
});

const db = () => server.db.client;

const run = (viewer: Viewer, query: string, variables: Record<string, unknown>) => executeAs(server, viewer, query, variables);

const ACTIVITY_FIELDS = `id titleTh titleEn kind startDate endDate fiscalYear province { code } district { code } venue participantCount
  virtues organizers { id } participatingAgencies(first: 100) { edges { node { id } } } participatingAgencyCount version archivedAt
  source { kind label url }`;
const CREATE = `mutation($input: CreateActivityInput!) { createActivity(input: $input) { activity { ${ACTIVITY_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateActivityInput!) { updateActivity(input: $input) { activity { ${ACTIVITY_FIELDS} } } }`;
const ARCHIVE = `mutation($input: ArchiveInput!) { archiveActivity(input: $input) { activity { id version archivedAt } } }`;
const RESTORE = `mutation($input: RestoreInput!) { restoreActivity(input: $input) { activity { id version archivedAt } } }`;
const TRAIL = `query($id: ID!) { activity(id: $id) { id archivedAt auditTrail {
  id at operation reason requestId actor { id role provinceCode name } changes { field before after } } } }`;

const BASE = {
  titleTh: 'ประชุมทดสอบ',
  kind: 'TRAINING' as const,
  startDate: '2022-03-01',
  provinceCode: 'TH-14',
  organizerIds: [CULTURE_OFFICE.id],
  participatingAgencyIds: [RMUTSB.id, ARU.id],
};

interface Created {
  id: string;
  version: number;
}

/** Live duplicates by natural key are refused (CONFLICT): each activity made for a test starts on a day of its own. */
let made = 0;
const dayOfItsOwn = () => new Date(Date.UTC(2022, 2, 1) + ++made * 86_400_000).toISOString().slice(0, 10);

async function newActivity(input: Record<string, unknown> = {}): Promise<Created> {
  const startDate = 'startDate' in input || 'endDate' in input ? BASE.startDate : dayOfItsOwn();
  const result = await run(ADMIN, CREATE, { input: { ...BASE, startDate, ...input } });
  if (!result.data?.createActivity) throw new Error(`set-up failed: ${JSON.stringify(result.error)}`);
  return result.data.createActivity.activity as Created;
}

/** The row, its links and its audit entries, to show that a refused write changed nothing. */
async function stateOf(id: string) {
  const [activity, organizers, participants, audit] = await Promise.all([
    db().activity.findUnique({ where: { id } }),
    db().activityOrganizer.findMany({ where: { activityId: id }, orderBy: { position: 'asc' } }),
    db().activityParticipant.findMany({ where: { activityId: id }, orderBy: { agencyId: 'asc' } }),
    db().auditEntry.count({ where: { entityId: id } }),
  ]);
  return { activity, organizers, participants, audit };
}

/** Row counts of every table of this subgraph. */
async function totals() {
  const [activities, organizers, participants, audit] = await Promise.all([
    db().activity.count(),
    db().activityOrganizer.count(),
    db().activityParticipant.count(),
    db().auditEntry.count(),
  ]);
  return { activities, organizers, participants, audit };
}

describe('role × operation matrix', () => {
  const operations: Record<string, (viewer: Viewer) => Promise<{ code?: string; target?: string; setupWrites: number }>> = {
    createActivity: async (viewer) => {
      const before = await totals();
      const result = await run(viewer, CREATE, { input: { ...BASE, titleTh: 'กิจกรรมเมทริกซ์', startDate: dayOfItsOwn() } });
      if (result.code) expect(await totals()).toEqual(before);
      return { ...result, setupWrites: 0 };
    },
    updateActivity: async (viewer) => {
      const activity = await newActivity();
      const result = await run(viewer, UPDATE, {
        input: { id: activity.id, version: activity.version, titleTh: 'ชื่อใหม่', organizerIds: [ARU.id], participatingAgencyIds: [] },
      });
      return { ...result, target: activity.id, setupWrites: 1 };
    },
    archiveActivity: async (viewer) => {
      const activity = await newActivity();
      return {
        ...(await run(viewer, ARCHIVE, { input: { id: activity.id, version: activity.version } })),
        target: activity.id,
        setupWrites: 1,
      };
    },
    restoreActivity: async (viewer) => {
      const activity = await newActivity();
      const archived = (await run(ADMIN, ARCHIVE, { input: { id: activity.id, version: activity.version } })).data!.archiveActivity
        .activity;
      return {
        ...(await run(viewer, RESTORE, { input: { id: activity.id, version: archived.version } })),
        target: activity.id,
        setupWrites: 2,
      };
    },
  };

  for (const [operation, call] of Object.entries(operations)) {
    it(`${operation}: national admin and Ayutthaya's editor may; Bangkok's editor, readers and partners are forbidden; anonymous must sign in`, async () => {
      for (const [name, viewer] of Object.entries(VIEWERS) as [ViewerName, Viewer][]) {
        const result = await call(viewer);
        const expected = EXPECTED[name];
        expect({ viewer: name, code: result.code ?? 'ok' }).toEqual({ viewer: name, code: expected });
        if (expected !== 'ok' && result.target) {
          // Only the set-up writes happened: the version, the trail and the links are as they were.
          const after = await stateOf(result.target);
          expect(after.audit).toBe(result.setupWrites);
          expect(after.activity!.version).toBe(result.setupWrites);
          expect(after.activity!.titleTh).toBe(BASE.titleTh);
          expect(after.organizers.map((o) => o.agencyId)).toEqual([CULTURE_OFFICE.id]);
          expect(after.participants.map((p) => p.agencyId).sort()).toEqual([RMUTSB.id, ARU.id].sort());
        }
      }
    });
  }

  it('national activities (no province) are kept by national admins only', async () => {
    const before = await totals();
    const refused = await run(EDITOR_14, CREATE, { input: { ...BASE, provinceCode: null } });
    expect(refused.code).toBe('FORBIDDEN');
    expect(await totals()).toEqual(before);
    const created = await run(ADMIN, CREATE, { input: { ...BASE, provinceCode: null, organizerIds: [MORAL_PROMOTION_CENTER.id] } });
    const national = created.data!.createActivity.activity;
    expect(national.province).toBeNull();
    for (const [query, input] of [
      [UPDATE, { id: national.id, version: 1, venue: 'กรุงเทพฯ' }],
      [ARCHIVE, { id: national.id, version: 1 }],
    ] as const) {
      expect((await run(EDITOR_14, query, { input })).code).toBe('FORBIDDEN');
    }
    expect((await stateOf(national.id)).activity!.version).toBe(1);
  });

  it("an editor can neither move its activity to another province nor make it national; the seeded meeting is Ayutthaya's", async () => {
    const activity = await newActivity();
    for (const provinceCode of ['TH-10', null]) {
      const moved = await run(EDITOR_14, UPDATE, { input: { id: activity.id, version: 1, provinceCode } });
      expect(moved.code).toBe('FORBIDDEN');
    }
    expect((await stateOf(activity.id)).activity).toMatchObject({ provinceCode: 'TH-14', version: 1 });
    // Bangkok's editor may not touch the Ayutthaya meeting either.
    expect((await run(EDITOR_10, UPDATE, { input: { id: MEETING.id, version: 1, venue: 'กรุงเทพฯ' } })).code).toBe('FORBIDDEN');
  });

  it('gives the audit trail to staff only; public fields stay public', async () => {
    const activity = await newActivity();
    for (const [name, viewer] of Object.entries(VIEWERS) as [ViewerName, Viewer][]) {
      const result = await run(viewer, TRAIL, { id: activity.id });
      const staff = ['ADMIN', 'EDITOR_14', 'EDITOR_10', 'READER'].includes(name);
      expect({ viewer: name, code: result.code ?? 'ok' }).toEqual({
        viewer: name,
        code: staff ? 'ok' : name === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
      });
      if (staff) expect(result.data!.activity.auditTrail).toHaveLength(1);
      const open = await run(viewer, `query($id: ID!) { activity(id: $id) { titleTh version archivedAt } }`, { id: activity.id });
      expect(open.data!.activity).toEqual({ titleTh: BASE.titleTh, version: 1, archivedAt: null });
    }
  });
});

describe('validation: BAD_USER_INPUT naming the field, nothing written', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['blank Thai title', { titleTh: '   ' }, 'titleTh'],
    ['title without Thai', { titleTh: 'Moral meeting' }, 'titleTh'],
    ['unknown province', { provinceCode: 'TH-99' }, 'provinceCode'],
    ['malformed province', { provinceCode: 'Ayutthaya' }, 'provinceCode'],
    ['malformed district', { districtCode: '14a4' }, 'districtCode'],
    ['district of another province', { districtCode: '1001' }, 'districtCode'],
    ['district that does not exist', { districtCode: '1499' }, 'districtCode'],
    ['district without a province', { provinceCode: null, districtCode: '1414' }, 'districtCode'],
    ['unreal date', { startDate: '2021-02-30' }, 'startDate'],
    ['date not YYYY-MM-DD', { startDate: '16/12/2564' }, 'startDate'],
    ['Buddhist Era date', { startDate: '2564-12-16' }, 'startDate'],
    ['unreal end date', { endDate: '2022-04-31' }, 'endDate'],
    ['end before start', { startDate: '2022-03-02', endDate: '2022-03-01' }, 'endDate'],
    ['negative head count', { participantCount: -1 }, 'participantCount'],
    ['unknown organizer', { organizerIds: [CULTURE_OFFICE.id, UNKNOWN_AGENCY] }, 'organizerIds'],
    ['archived organizer', { organizerIds: [ARCHIVED_AGENCY.id] }, 'organizerIds'],
    ['unknown participant', { participatingAgencyIds: [UNKNOWN_AGENCY] }, 'participatingAgencyIds'],
    ['archived participant', { participatingAgencyIds: [RMUTSB.id, ARCHIVED_AGENCY.id] }, 'participatingAgencyIds'],
    ['empty agency id', { participatingAgencyIds: [' '] }, 'participatingAgencyIds'],
    ['reference-data provenance', { source: { kind: 'REFERENCE_DATA' } }, 'source.kind'],
    ['source-document provenance', { source: { kind: 'SOURCE_DOCUMENT', label: 'ข่าว' } }, 'source.kind'],
  ];
  for (const [name, input, field] of cases) {
    it(`createActivity: ${name}`, async () => {
      const before = await totals();
      const result = await run(ADMIN, CREATE, { input: { ...BASE, ...input } });
      expect({ code: result.code, field: result.error?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(await totals()).toEqual(before);
    });
  }

  it('names the unknown agencies', async () => {
    const result = await run(ADMIN, CREATE, { input: { ...BASE, organizerIds: [UNKNOWN_AGENCY] } });
    expect(result.error?.message).toContain(UNKNOWN_AGENCY);
  });

  it('updateActivity: null for a required field, dates out of order, a district left in the old province, an archived activity', async () => {
    const activity = await newActivity({ districtCode: '1414', endDate: '2022-03-03' });
    const before = await stateOf(activity.id);
    const updates: [Record<string, unknown>, string][] = [
      [{ titleTh: null }, 'titleTh'],
      [{ kind: null }, 'kind'],
      [{ startDate: null }, 'startDate'],
      [{ participantCount: null }, 'participantCount'],
      [{ source: null }, 'source'],
      [{ startDate: '2022-03-04' }, 'endDate'],
      [{ endDate: '2022-02-28' }, 'endDate'],
      [{ provinceCode: 'TH-10' }, 'districtCode'],
      [{ organizerIds: [UNKNOWN_AGENCY] }, 'organizerIds'],
      [{ source: { kind: 'SOURCE_DOCUMENT' } }, 'source.kind'],
    ];
    for (const [change, field] of updates) {
      const result = await run(ADMIN, UPDATE, { input: { id: activity.id, version: 1, ...change } });
      expect({ change, code: result.code, field: result.error?.extensions?.field }).toEqual({ change, code: 'BAD_USER_INPUT', field });
    }
    expect(await stateOf(activity.id)).toEqual(before);

    const archived = (await run(ADMIN, ARCHIVE, { input: { id: activity.id, version: 1 } })).data!.archiveActivity.activity;
    const onArchived = await run(ADMIN, UPDATE, { input: { id: activity.id, version: archived.version, titleTh: 'แก้ไข' } });
    expect({ code: onArchived.code, field: onArchived.error?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    const again = await run(ADMIN, ARCHIVE, { input: { id: activity.id, version: archived.version } });
    expect({ code: again.code, field: again.error?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    const live = await newActivity();
    const restoreLive = await run(ADMIN, RESTORE, { input: { id: live.id, version: 1 } });
    expect({ code: restoreLive.code, field: restoreLive.error?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await stateOf(activity.id)).activity!.version).toBe(2);
    expect((await stateOf(live.id)).activity!.version).toBe(1);
  });

  it('NOT_FOUND for unknown ids, nothing written', async () => {
    const before = await totals();
    const id = 'no-such-activity';
    for (const [query, input] of [
      [UPDATE, { id, version: 1, titleTh: 'ชื่อใหม่' }],
      [ARCHIVE, { id, version: 1 }],
      [RESTORE, { id, version: 1 }],
    ] as const) {
      const result = await run(ADMIN, query, { input });
      expect(result.error?.extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Activity', id });
    }
    expect(await totals()).toEqual(before);
  });

  it('SERVICE_UNAVAILABLE when the agencies subgraph does not answer, nothing written', async () => {
    const before = await totals();
    const context = { ...server.createContext(ADMIN), peers: createPeers({ urls: {}, secret: 'unused', viewer: ADMIN }) };
    await expect(writes.createActivity(context, BASE)).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'agencies' },
    });
    expect(await totals()).toEqual(before);
  });
});

describe('normalization', () => {
  it('accepts Thai digits in codes and dates and normalizes text (NFC, trimmed, spaces collapsed); removes duplicates', async () => {
    const result = await run(EDITOR_14, CREATE, {
      input: {
        titleTh: '  ประชุม   หารือ\tcafe\u0301 ',
        titleEn: ' Cafe\u0301  meeting ',
        kind: 'CONSULTATION_MEETING',
        startDate: '๒๐๒๑-๑๒-๑๖',
        endDate: ' ๒๐๒๑-๑๒-๑๗ ',
        provinceCode: '๑๔',
        districtCode: '๑๔๑๔',
        venue: '  ศาลากลาง  ',
        participantCount: 12,
        virtues: ['HONESTY', 'DISCIPLINE', 'HONESTY'],
        organizerIds: [RMUTSB.id, CULTURE_OFFICE.id, RMUTSB.id],
        participatingAgencyIds: [ARU.id, CULTURE_OFFICE.id, ARU.id],
      },
    });
    const activity = result.data!.createActivity.activity;
    expect(activity).toMatchObject({
      titleTh: 'ประชุม หารือ caf\u00e9',
      titleEn: 'Caf\u00e9 meeting',
      startDate: '2021-12-16',
      endDate: '2021-12-17',
      fiscalYear: 2565,
      province: { code: 'TH-14' },
      district: { code: '1414' },
      venue: 'ศาลากลาง',
      virtues: ['HONESTY', 'DISCIPLINE'],
      organizers: [{ id: RMUTSB.id }, { id: CULTURE_OFFICE.id }],
      participatingAgencyCount: 2,
      version: 1,
      archivedAt: null,
      source: { kind: 'USER_ENTRY', label: 'บันทึกผ่าน API โดย บรรณาธิการอยุธยา', url: null },
    });
    // Stored as returned.
    const row = (await stateOf(activity.id)).activity!;
    expect(row).toMatchObject({ titleTh: 'ประชุม หารือ caf\u00e9', provinceCode: 'TH-14', districtCode: '1414', fiscalYear: 2565 });
  });

  it('defaults: a one-day activity with no head count, and an IMPORT provenance kept as given', async () => {
    const result = await run(ADMIN, CREATE, {
      input: { titleTh: 'ตลาดนัดคุณธรรม', kind: 'MORAL_MARKET', startDate: '2022-10-01', source: { kind: 'IMPORT', label: 'ตาราง 2566' } },
    });
    expect(result.data!.createActivity.activity).toMatchObject({
      endDate: '2022-10-01',
      fiscalYear: 2566,
      province: null,
      participantCount: 0,
      virtues: [],
      organizers: [],
      participatingAgencyCount: 0,
      source: { kind: 'IMPORT', label: 'ตาราง 2566' },
    });
  });
});

describe('updates', () => {
  it('changes only the fields given, replaces the lists given, clears with null, recomputes the fiscal year', async () => {
    const activity = await newActivity({ titleEn: 'Training', venue: 'วัด', virtues: ['HONESTY'], participantCount: 30 });
    const result = await run(EDITOR_14, UPDATE, {
      input: {
        id: activity.id,
        version: 1,
        startDate: '2022-10-05',
        endDate: null,
        titleEn: null,
        organizerIds: [ARU.id, CULTURE_OFFICE.id],
        participatingAgencyIds: [PARTICIPANTS[5]!.id],
      },
    });
    expect(result.data!.updateActivity.activity).toMatchObject({
      titleTh: BASE.titleTh,
      titleEn: null,
      startDate: '2022-10-05',
      endDate: '2022-10-05',
      fiscalYear: 2566,
      venue: 'วัด',
      virtues: ['HONESTY'],
      participantCount: 30,
      organizers: [{ id: ARU.id }, { id: CULTURE_OFFICE.id }],
      participatingAgencies: { edges: [{ node: { id: PARTICIPANTS[5]!.id } }] },
      version: 2,
    });
    const state = await stateOf(activity.id);
    expect(state.organizers.map((o) => [o.agencyId, o.position])).toEqual([
      [ARU.id, 0],
      [CULTURE_OFFICE.id, 1],
    ]);
    expect(state.participants.map((p) => p.agencyId)).toEqual([PARTICIPANTS[5]!.id]);
  });

  it('keeps an agency archived since it was linked, but does not link it anew', async () => {
    const partner = PARTICIPANTS[6]!;
    const activity = await newActivity({ organizerIds: [partner.id, CULTURE_OFFICE.id] });
    await peers.servers.agencies.db.client.agency.update({ where: { id: partner.id }, data: { archivedAt: new Date() } });
    try {
      const kept = await run(ADMIN, UPDATE, { input: { id: activity.id, version: 1, organizerIds: [CULTURE_OFFICE.id, partner.id] } });
      expect(kept.data!.updateActivity.activity.organizers).toEqual([{ id: CULTURE_OFFICE.id }, { id: partner.id }]);
      const added = await run(ADMIN, UPDATE, { input: { id: activity.id, version: 2, participatingAgencyIds: [partner.id] } });
      expect({ code: added.code, field: added.error?.extensions?.field }).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'participatingAgencyIds',
      });
    } finally {
      await peers.servers.agencies.db.client.agency.update({ where: { id: partner.id }, data: { archivedAt: null } });
    }
  });

  it('stale version: the first of two editors wins, the second gets CONFLICT and changes nothing', async () => {
    const activity = await newActivity();
    // Both read version 1.
    const first = await run(EDITOR_14, UPDATE, { input: { id: activity.id, version: 1, titleTh: 'ชื่อของบรรณาธิการ' } });
    expect(first.data!.updateActivity.activity.version).toBe(2);
    const second = await run(ADMIN, UPDATE, { input: { id: activity.id, version: 1, titleTh: 'ชื่อของผู้ดูแล', organizerIds: [] } });
    expect(second.error?.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, currentVersion: 2 });
    const stale = await run(ADMIN, ARCHIVE, { input: { id: activity.id, version: 1 } });
    expect(stale.error?.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, currentVersion: 2 });
    const state = await stateOf(activity.id);
    expect(state.activity).toMatchObject({ titleTh: 'ชื่อของบรรณาธิการ', version: 2, archivedAt: null });
    expect(state.organizers.map((o) => o.agencyId)).toEqual([CULTURE_OFFICE.id]);
    expect(state.audit).toBe(2);
  });

  it('two editors racing with the same version: exactly one wins', async () => {
    const activity = await newActivity();
    const results = await Promise.all(
      ['ชื่อแรก', 'ชื่อที่สอง'].map((titleTh, i) => run(i ? ADMIN : EDITOR_14, UPDATE, { input: { id: activity.id, version: 1, titleTh } })),
    );
    expect(results.map((r) => r.code ?? 'ok').sort()).toEqual(['CONFLICT', 'ok']);
    const winner = results.find((r) => !r.code)!.data!.updateActivity.activity;
    const state = await stateOf(activity.id);
    expect(state.activity).toMatchObject({ titleTh: winner.titleTh, version: 2 });
    expect(state.audit).toBe(2);
  });
});

describe('audit trail, archive and restore', () => {
  const STATS = `query($reps: [_Any!]!, $fy: Int!) {
    _entities(representations: $reps) {
      ... on Province { activities(fiscalYear: $fy) { totalCount edges { node { id } } } activityStats(fiscalYear: $fy) { count participantCount participatingAgencyCount } }
      ... on Nation { activityStats(fiscalYear: $fy) { count participantCount } }
      ... on Agency { activities { totalCount } }
    }
    activities(provinceCode: "TH-50", fiscalYear: $fy) { totalCount }
    activityRanking(fiscalYear: $fy, metric: PARTICIPANTS) { value province { code } }
  }`;
  const partner = PARTICIPANTS[7]!;
  async function figures() {
    const data = (
      await run(READER, STATS, {
        reps: [
          { __typename: 'Province', code: 'TH-50' },
          { __typename: 'Nation', code: 'TH' },
          { __typename: 'Agency', id: partner.id },
        ],
        fy: 2568,
      })
    ).data!;
    const [province, nation, agency] = data._entities;
    return {
      provinceList: province.activities.totalCount as number,
      provinceCount: province.activityStats.count as number,
      provinceParticipants: province.activityStats.participantCount as number,
      provinceAgencies: province.activityStats.participatingAgencyCount as number,
      nation: nation.activityStats.count as number,
      agency: agency.activities.totalCount as number,
      root: data.activities.totalCount as number,
      ranking: data.activityRanking.find((r: { province: { code: string } }) => r.province.code === 'TH-50').value as number,
    };
  }

  it('records create, update, archive and restore, newest first, with actor, reason and changes; archived activities leave lists and stats but are found by id', async () => {
    const empty = await figures();
    const created = await run(ADMIN, CREATE, {
      input: {
        ...BASE,
        provinceCode: 'TH-50',
        startDate: '2024-12-01',
        participantCount: 40,
        organizerIds: [CULTURE_OFFICE.id, RMUTSB.id],
        participatingAgencyIds: [partner.id, ARU.id, RMUTSB.id],
      },
    });
    const id = created.data!.createActivity.activity.id as string;
    const live = await figures();
    expect(live).toEqual({
      provinceList: empty.provinceList + 1,
      provinceCount: empty.provinceCount + 1,
      provinceParticipants: empty.provinceParticipants + 40,
      provinceAgencies: empty.provinceAgencies + 3,
      nation: empty.nation + 1,
      agency: empty.agency + 1,
      root: empty.root + 1,
      ranking: empty.ranking + 40,
    });

    await run(ADMIN, UPDATE, { input: { id, version: 1, titleTh: 'ประชุมเชียงใหม่', organizerIds: [RMUTSB.id] } });
    const archived = await run(ADMIN, ARCHIVE, { input: { id, version: 2, reason: '  บันทึกซ้ำ  ' } });
    expect(archived.data!.archiveActivity.activity).toMatchObject({
      id,
      version: 3,
      archivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(await figures()).toEqual(empty);

    // Still there by id and as an entity, with its trail.
    const byId = await run(EDITOR_10, TRAIL, { id });
    expect(byId.data!.activity.archivedAt).toBe(archived.data!.archiveActivity.activity.archivedAt);
    const entity = await run(
      PARTNER,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Activity { id archivedAt } } }`,
      {
        reps: [{ __typename: 'Activity', id }],
      },
    );
    expect(entity.data!._entities[0]).toEqual({ id, archivedAt: byId.data!.activity.archivedAt });

    const restored = await run(EDITOR_14, RESTORE, { input: { id, version: 3, reason: 'ไม่ซ้ำ' } });
    expect({ code: restored.code }).toEqual({ code: 'FORBIDDEN' });
    await run(ADMIN, RESTORE, { input: { id, version: 3, reason: 'ไม่ซ้ำ' } });
    expect(await figures()).toEqual(live);

    const trail = (await run(READER, TRAIL, { id })).data!.activity.auditTrail as {
      at: string;
      operation: string;
      reason: string | null;
      actor: Record<string, unknown>;
      changes: { field: string; before: string | null; after: string | null }[];
    }[];
    expect(trail.map((e) => e.operation)).toEqual(['RESTORE', 'ARCHIVE', 'UPDATE', 'CREATE']);
    expect(trail.map((e) => e.at)).toEqual(
      trail
        .map((e) => e.at)
        .sort()
        .reverse(),
    );
    expect(new Set(trail.map((e) => e.at)).size).toBe(4);
    expect(trail[0]!.actor).toEqual({ id: 'admin-1', role: 'NATIONAL_ADMIN', provinceCode: null, name: 'ผู้ดูแลระบบ' });
    expect(trail.map((e) => e.reason)).toEqual(['ไม่ซ้ำ', 'บันทึกซ้ำ', null, null]);
    const change = (entry: (typeof trail)[number], field: string) => entry.changes.find((c) => c.field === field);
    const [restore, archive, update, create] = trail as [(typeof trail)[0], (typeof trail)[0], (typeof trail)[0], (typeof trail)[0]];
    expect(change(update, 'titleTh')).toEqual({
      field: 'titleTh',
      before: JSON.stringify(BASE.titleTh),
      after: JSON.stringify('ประชุมเชียงใหม่'),
    });
    expect(change(update, 'organizerIds')).toEqual({
      field: 'organizerIds',
      before: JSON.stringify([CULTURE_OFFICE.id, RMUTSB.id]),
      after: JSON.stringify([RMUTSB.id]),
    });
    expect(change(update, 'version')).toEqual({ field: 'version', before: '1', after: '2' });
    expect(change(update, 'participatingAgencyIds')).toBeUndefined();
    expect(change(create, 'participatingAgencyIds')).toEqual({
      field: 'participatingAgencyIds',
      before: null,
      after: JSON.stringify([partner.id, ARU.id, RMUTSB.id].sort()),
    });
    expect(change(create, 'startDate')).toEqual({ field: 'startDate', before: null, after: '"2024-12-01"' });
    expect(change(create, 'createdAt')).toBeUndefined();
    expect(change(archive, 'archivedAt')!.before).toBe('null');
    expect(change(restore, 'archivedAt')!.after).toBe('null');
    expect(archive.changes.map((c) => c.field).sort()).toEqual(['archivedAt', 'version']);

    // The rows as stored: one per write, actor and the full record before and after.
    const rows = await db().auditEntry.findMany({ where: { entityId: id }, orderBy: { at: 'asc' } });
    expect(rows.map((r) => [r.entityType, r.operation, r.actorId, r.actorRole])).toEqual([
      ['Activity', 'CREATE', 'admin-1', 'NATIONAL_ADMIN'],
      ['Activity', 'UPDATE', 'admin-1', 'NATIONAL_ADMIN'],
      ['Activity', 'ARCHIVE', 'admin-1', 'NATIONAL_ADMIN'],
      ['Activity', 'RESTORE', 'admin-1', 'NATIONAL_ADMIN'],
    ]);
    expect(rows[0]!.before).toBeNull();
    expect(rows[1]!.after).toMatchObject({
      id,
      titleTh: 'ประชุมเชียงใหม่',
      provinceCode: 'TH-50',
      fiscalYear: 2568,
      organizerIds: [RMUTSB.id],
    });
  });

  it("records the editor's province and the request id", async () => {
    const context = server.createContext(EDITOR_14, 'req-123');
    const activity = await writes.createActivity(context, { ...BASE, kind: 'CAMPAIGN' as const });
    const [entry] = await db().auditEntry.findMany({ where: { entityId: activity.id } });
    expect(entry).toMatchObject({
      operation: 'CREATE',
      actorId: 'editor-14',
      actorProvinceCode: 'TH-14',
      actorName: 'บรรณาธิการอยุธยา',
      requestId: 'req-123',
    });
  });
});

describe('a database failure in the middle of a write leaves nothing half-written', () => {
  // The audit entry is the last row a write inserts: failing it fails the write after the activity
  // and its links were written in the same transaction.
  // Unqualified names: the connection's search path is this service's own schema (PostgreSQL), as
  // for the repository's queries.
  const FAIL = [
    `CREATE FUNCTION fail_audit_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'audit trail unavailable (test)'; END $$`,
    `CREATE TRIGGER fail_audit_for_test BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION fail_audit_for_test()`,
  ];
  const UNFAIL = [`DROP TRIGGER IF EXISTS fail_audit_for_test ON "AuditEntry"`, `DROP FUNCTION IF EXISTS fail_audit_for_test()`];
  async function withFailingAudit(body: () => Promise<void>) {
    for (const sql of FAIL) await server.db.rawQuery(sql);
    try {
      await body();
    } finally {
      for (const sql of UNFAIL) await server.db.rawQuery(sql);
    }
  }

  it('createActivity and updateActivity roll back the activity and its links', async () => {
    const existing = await newActivity({ organizerIds: [CULTURE_OFFICE.id, RMUTSB.id], participatingAgencyIds: [ARU.id] });
    const existingBefore = await stateOf(existing.id);
    const before = await totals();
    await withFailingAudit(async () => {
      const created = await run(ADMIN, CREATE, {
        input: {
          ...BASE,
          titleTh: 'กิจกรรมที่ไม่ควรถูกบันทึก',
          organizerIds: [RMUTSB.id, ARU.id],
          participatingAgencyIds: [PARTICIPANTS[8]!.id, ARU.id],
        },
      });
      expect(created.error?.message).toContain('audit trail unavailable (test)');
      expect(created.data).toBeNull();
      const updated = await run(ADMIN, UPDATE, {
        input: {
          id: existing.id,
          version: 1,
          titleTh: 'ชื่อที่ไม่ควรถูกบันทึก',
          organizerIds: [ARU.id],
          participatingAgencyIds: [PARTICIPANTS[9]!.id],
        },
      });
      expect(updated.error?.message).toContain('audit trail unavailable (test)');
      const archived = await run(ADMIN, ARCHIVE, { input: { id: existing.id, version: 1 } });
      expect(archived.error?.message).toContain('audit trail unavailable (test)');
    });
    expect(await totals()).toEqual(before);
    expect(await db().activity.count({ where: { titleTh: 'กิจกรรมที่ไม่ควรถูกบันทึก' } })).toBe(0);
    expect(await stateOf(existing.id)).toEqual(existingBefore);
    // And writes work again once the database does.
    expect(
      (await run(ADMIN, UPDATE, { input: { id: existing.id, version: 1, venue: 'หอประชุม' } })).data!.updateActivity.activity.version,
    ).toBe(2);
  });
});

describe('batch imports', () => {
  const IMPORT = `mutation($input: ImportActivitiesInput!) { importActivities(input: $input) {
    created updated unchanged rejected dryRun rows { index status id problems { field message } } } }`;
  /** Organizers: Ayutthaya's culture office and university, then the national Moral Promotion Center. */
  const MEETING_ROW = {
    titleTh: '  ประชุม  นำเข้า ทดสอบ ',
    titleEn: 'Imported meeting',
    kind: 'CONSULTATION_MEETING',
    startDate: '๒๐๒๓-๐๕-๑๐',
    endDate: '2023-05-11',
    provinceCode: '14',
    districtCode: '1414',
    venue: 'ศาลากลางจังหวัด',
    participantCount: 30,
    virtues: ['HONESTY', 'DISCIPLINE', 'HONESTY'],
    organizerNames: [CULTURE_OFFICE.nameTh, ` ${RMUTSB.nameTh} `, MORAL_PROMOTION_CENTER.nameTh],
    participantNames: [ARU.nameTh, RMUTSB.nameTh],
  };
  const MARKET_ROW = { titleTh: 'ตลาดนัดคุณธรรมนำเข้า', kind: 'MORAL_MARKET', startDate: '2023-06-01', provinceCode: 'TH-14' };
  const ROWS = [
    MEETING_ROW,
    MARKET_ROW,
    { ...MARKET_ROW, titleTh: 'ผู้จัดไม่รู้จัก', organizerNames: [CULTURE_OFFICE.nameTh, 'หน่วยงานที่ไม่มีอยู่จริง'] },
    { ...MARKET_ROW, titleTh: 'ผู้เข้าร่วมไม่รู้จัก', participantNames: ['หน่วยงานที่ไม่มีอยู่จริง'] },
    { ...MARKET_ROW, titleTh: 'วันที่ไม่มีจริง', startDate: '2021-02-30' },
    { ...MARKET_ROW, titleTh: 'จบก่อนเริ่ม', startDate: '2023-05-10', endDate: '2023-05-09' },
    { ...MARKET_ROW, titleTh: 'อำเภอจังหวัดอื่น', districtCode: '1001' },
    { ...MARKET_ROW, titleTh: 'กิจกรรมกรุงเทพฯ', provinceCode: 'TH-10' },
    { ...MARKET_ROW, titleTh: 'กิจกรรมระดับชาติ', provinceCode: null },
    { ...MEETING_ROW, titleTh: 'ประชุม นำเข้า ทดสอบ', startDate: '2023-05-10', participantCount: 1 },
    { ...MARKET_ROW, titleTh: 'จำนวนติดลบ', participantCount: -5 },
  ];
  const EXPECTED_ROWS = [
    ['CREATED', []],
    ['CREATED', []],
    ['REJECTED', ['organizerNames']],
    ['REJECTED', ['participantNames']],
    ['REJECTED', ['startDate']],
    ['REJECTED', ['endDate']],
    ['REJECTED', ['districtCode']],
    ['REJECTED', ['FORBIDDEN']],
    ['REJECTED', ['FORBIDDEN']],
    ['REJECTED', ['row']],
    ['REJECTED', ['participantCount']],
  ];
  type Row = { index: number; status: string; id: string | null; problems: { field: string; message: string }[] };
  const statuses = (rows: Row[]) => rows.map((r) => [r.status, r.problems.map((p) => p.field)]);
  let meetingId: string;

  it('a dry run says what would happen and writes nothing', async () => {
    const before = await totals();
    const result = await run(EDITOR_14, IMPORT, { input: { rows: ROWS, dryRun: true } });
    expect(result.error).toBeUndefined();
    const dry = result.data!.importActivities;
    expect(dry).toMatchObject({ created: 2, updated: 0, unchanged: 0, rejected: 9, dryRun: true });
    expect(statuses(dry.rows)).toEqual(EXPECTED_ROWS);
    expect(dry.rows.map((r: Row) => r.id)).toEqual(ROWS.map(() => null));
    // The seeded meeting matches by its natural key: unchanged, with its id.
    const seeded = (
      await run(ADMIN, IMPORT, {
        input: {
          dryRun: true,
          rows: [
            { titleTh: MEETING.titleTh, kind: MEETING.kind, startDate: MEETING.startDate, provinceCode: 'TH-14', participantCount: 85 },
          ],
        },
      })
    ).data!.importActivities;
    expect(seeded.rows).toEqual([{ index: 0, status: 'UNCHANGED', id: MEETING.id, problems: [] }]);
    expect(await totals()).toEqual(before);
  });

  it('creates the good rows and rejects each bad one alone, naming its field; organizers are resolved in order', async () => {
    const before = await totals();
    const result = (await run(EDITOR_14, IMPORT, { input: { rows: ROWS, source: { label: 'activities-2566.xlsx' } } })).data!
      .importActivities;
    expect(result).toMatchObject({ created: 2, updated: 0, unchanged: 0, rejected: 9, dryRun: false });
    expect(statuses(result.rows)).toEqual(EXPECTED_ROWS);
    expect(result.rows[2].problems[0].message).toContain('หน่วยงานที่ไม่มีอยู่จริง');
    expect(result.rows[2].problems[0].message).not.toContain(CULTURE_OFFICE.nameTh);
    expect(result.rows[9].problems[0].message).toContain('row 0');
    // Two activities, 3 + 0 organizers, 2 + 0 participants, two audit entries.
    expect(await totals()).toEqual({
      activities: before.activities + 2,
      organizers: before.organizers + 3,
      participants: before.participants + 2,
      audit: before.audit + 2,
    });

    meetingId = result.rows[0].id;
    const meeting = (await run(READER, `query($id: ID!) { activity(id: $id) { ${ACTIVITY_FIELDS} } }`, { id: meetingId })).data!.activity;
    expect(meeting).toMatchObject({
      titleTh: 'ประชุม นำเข้า ทดสอบ',
      titleEn: 'Imported meeting',
      kind: 'CONSULTATION_MEETING',
      startDate: '2023-05-10',
      endDate: '2023-05-11',
      fiscalYear: 2566,
      province: { code: 'TH-14' },
      district: { code: '1414' },
      venue: 'ศาลากลางจังหวัด',
      participantCount: 30,
      virtues: ['HONESTY', 'DISCIPLINE'],
      organizers: [{ id: CULTURE_OFFICE.id }, { id: RMUTSB.id }, { id: MORAL_PROMOTION_CENTER.id }],
      participatingAgencyCount: 2,
      version: 1,
      source: { kind: 'IMPORT', label: 'activities-2566.xlsx', url: null },
    });
    expect(meeting.participatingAgencies.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([ARU.id, RMUTSB.id].sort());
    const market = await stateOf(result.rows[1].id);
    expect(market.activity).toMatchObject({
      endDate: new Date('2023-06-01T00:00:00Z'),
      fiscalYear: 2566,
      participantCount: 0,
      virtues: [],
      titleEn: null,
      sourceKind: 'IMPORT',
    });
    expect([market.organizers, market.participants]).toEqual([[], []]);

    const [entry] = await db().auditEntry.findMany({ where: { entityId: meetingId } });
    expect(entry).toMatchObject({ operation: 'CREATE', actorId: 'editor-14', reason: 'activities-2566.xlsx', before: null });
    expect(entry!.after).toMatchObject({
      id: meetingId,
      startDate: '2023-05-10',
      version: 1,
      organizerIds: [CULTURE_OFFICE.id, RMUTSB.id, MORAL_PROMOTION_CENTER.id],
      participatingAgencyIds: [ARU.id, RMUTSB.id].sort(),
    });
  });

  it('re-importing the same rows changes nothing: all UNCHANGED, no write, no audit entry', async () => {
    const before = await totals();
    const good = ROWS.slice(0, 2);
    const again = (await run(EDITOR_14, IMPORT, { input: { rows: good } })).data!.importActivities;
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(again.rows[0].id).toBe(meetingId);
    // Participants are a set (another order is the same); absent lists keep the stored links.
    const { organizerNames: _o, participantNames: _p, ...withoutLinks } = MEETING_ROW;
    for (const row of [{ ...MEETING_ROW, participantNames: [RMUTSB.nameTh, ARU.nameTh, ARU.nameTh] }, withoutLinks]) {
      const result = (await run(ADMIN, IMPORT, { input: { rows: [row] } })).data!.importActivities;
      expect(result.rows.map((r: Row) => [r.status, r.id])).toEqual([['UNCHANGED', meetingId]]);
    }
    expect(await totals()).toEqual(before);
    expect((await stateOf(meetingId)).activity!.version).toBe(1);
  });

  it('a changed row updates its record (version 2, links replaced, audit entry with the links before and after)', async () => {
    const before = await totals();
    const changed = (
      await run(EDITOR_14, IMPORT, {
        input: {
          rows: [{ ...MEETING_ROW, participantCount: 31, participantNames: [...MEETING_ROW.participantNames, CULTURE_OFFICE.nameTh] }],
          source: { label: 'activities-2566-v2.xlsx' },
        },
      })
    ).data!.importActivities;
    expect(changed).toMatchObject({ created: 0, updated: 1, unchanged: 0, rejected: 0 });
    expect(changed.rows[0]).toMatchObject({ status: 'UPDATED', id: meetingId });
    const state = await stateOf(meetingId);
    expect(state.activity).toMatchObject({ version: 2, participantCount: 31, sourceLabel: 'activities-2566.xlsx' });
    expect(state.organizers.map((o) => o.agencyId)).toEqual([CULTURE_OFFICE.id, RMUTSB.id, MORAL_PROMOTION_CENTER.id]);
    expect(state.participants.map((p) => p.agencyId)).toEqual([ARU.id, CULTURE_OFFICE.id, RMUTSB.id].sort());
    expect(await totals()).toEqual({ ...before, participants: before.participants + 1, audit: before.audit + 1 });

    const trail = (await run(READER, TRAIL, { id: meetingId })).data!.activity.auditTrail as {
      operation: string;
      reason: string | null;
      changes: { field: string; before: string | null; after: string | null }[];
    }[];
    expect(trail.map((e) => e.operation)).toEqual(['UPDATE', 'CREATE']);
    expect(trail[0]!.reason).toBe('activities-2566-v2.xlsx');
    expect(trail[0]!.changes.map((c) => c.field).sort()).toEqual(['participantCount', 'participatingAgencyIds', 'version']);
    expect(trail[0]!.changes.find((c) => c.field === 'participatingAgencyIds')).toEqual({
      field: 'participatingAgencyIds',
      before: JSON.stringify([ARU.id, RMUTSB.id].sort()),
      after: JSON.stringify([ARU.id, CULTURE_OFFICE.id, RMUTSB.id].sort()),
    });

    // Organizers keep their order: another order is a change.
    const { participantNames: _p, ...organizersOnly } = MEETING_ROW;
    const reordered = (
      await run(ADMIN, IMPORT, { input: { rows: [{ ...organizersOnly, organizerNames: [RMUTSB.nameTh, CULTURE_OFFICE.nameTh] }] } })
    ).data!.importActivities;
    expect(reordered.rows[0]).toMatchObject({ status: 'UPDATED', id: meetingId });
    const after = await stateOf(meetingId);
    expect(after.activity!.version).toBe(3);
    expect(after.organizers.map((o) => o.agencyId)).toEqual([RMUTSB.id, CULTURE_OFFICE.id]);
    // The participants were not in the row: kept.
    expect(after.participants).toEqual(state.participants);
  });

  it("names are looked up in the row's province first, then among national agencies; an ambiguous name rejects the row", async () => {
    const twin = 'ชมรมชื่อซ้ำนำเข้า';
    const agency = (id: string, nameTh: string, provinceCode: string | null) => ({
      id: agencyId(id),
      nameTh,
      kind: 'COMMUNITY' as const,
      provinceCode,
      sourceKind: 'SYNTHETIC' as const,
      sourceLabel: 'test',
    });
    await peers.servers.agencies.db.client.agency.createMany({
      data: [
        agency('import-test:twin-1', twin, 'TH-14'),
        agency('import-test:twin-2', twin, 'TH-14'),
        agency('import-test:national-twin', twin, null),
        // A national agency with the culture office's name: the province's one is taken.
        agency('import-test:national-culture', CULTURE_OFFICE.nameTh, null),
      ],
    });
    const before = await totals();
    const result = (
      await run(ADMIN, IMPORT, {
        input: {
          dryRun: true,
          rows: [
            { ...MARKET_ROW, titleTh: 'ชื่อซ้ำในจังหวัด', organizerNames: [twin] },
            { ...MARKET_ROW, titleTh: 'ชื่อซ้ำระดับชาติ', provinceCode: 'TH-10', organizerNames: [twin] },
            { ...MARKET_ROW, titleTh: 'วัฒนธรรมจังหวัด', participantNames: [CULTURE_OFFICE.nameTh] },
            { ...MARKET_ROW, titleTh: 'วัฒนธรรมระดับชาติ', provinceCode: null, participantNames: [CULTURE_OFFICE.nameTh] },
          ],
        },
      })
    ).data!.importActivities;
    expect(statuses(result.rows)).toEqual([
      ['REJECTED', ['organizerNames']],
      ['CREATED', []],
      ['CREATED', []],
      ['CREATED', []],
    ]);
    expect(result.rows[0].problems[0].message).toContain('ambiguous');
    const written = (
      await run(ADMIN, IMPORT, {
        input: {
          rows: [
            { ...MARKET_ROW, titleTh: 'ชื่อซ้ำระดับชาติ', provinceCode: 'TH-10', organizerNames: [twin] },
            { ...MARKET_ROW, titleTh: 'วัฒนธรรมจังหวัด', participantNames: [CULTURE_OFFICE.nameTh] },
            { ...MARKET_ROW, titleTh: 'วัฒนธรรมระดับชาติ', provinceCode: null, participantNames: [CULTURE_OFFICE.nameTh] },
          ],
        },
      })
    ).data!.importActivities;
    expect(written).toMatchObject({ created: 3, rejected: 0 });
    const [bangkok, province, national] = await Promise.all((written.rows as Row[]).map((r) => stateOf(r.id!)));
    expect(bangkok!.organizers.map((o) => o.agencyId)).toEqual([agencyId('import-test:national-twin')]);
    expect(province!.participants.map((p) => p.agencyId)).toEqual([CULTURE_OFFICE.id]);
    expect(national!.participants.map((p) => p.agencyId)).toEqual([agencyId('import-test:national-culture')]);
    expect((await totals()).activities).toBe(before.activities + 3);
  });

  it('readers, partners and anonymous callers cannot import; nothing written', async () => {
    const before = await totals();
    for (const [viewer, code] of [
      [READER, 'FORBIDDEN'],
      [PARTNER, 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await run(viewer, IMPORT, { input: { rows: [{ ...MARKET_ROW, titleTh: 'ไม่ควรถูกนำเข้า' }] } })).code).toBe(code);
    }
    expect(await totals()).toEqual(before);
  });

  it('a batch holds at most 500 rows; SERVICE_UNAVAILABLE when the agencies subgraph does not answer; nothing written', async () => {
    const before = await totals();
    const tooMany = await run(ADMIN, IMPORT, { input: { rows: Array.from({ length: 501 }, () => MARKET_ROW) } });
    expect({ code: tooMany.code, field: tooMany.error?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'rows' });
    const context = { ...server.createContext(ADMIN), peers: createPeers({ urls: {}, secret: 'unused', viewer: ADMIN }) };
    await expect(
      importActivities(context, { rows: [{ ...MARKET_ROW, titleTh: 'ไม่ควรถูกนำเข้า', organizerNames: [CULTURE_OFFICE.nameTh] }] } as never),
    ).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(await totals()).toEqual(before);
  });
});

describe('in Thai: a request with Accept-Language: th gets the Thai catalogue, with the same code and field', () => {
  const inThai = (viewer: Viewer, query: string, variables: Record<string, unknown>) =>
    postInThai(url, server.config.viewerSecret, viewer, query, variables);

  it('bad input, another province refused, an unknown id', async () => {
    const unknown = await inThai(ADMIN, CREATE, { input: { ...BASE, startDate: dayOfItsOwn(), organizerIds: [UNKNOWN_AGENCY] } });
    expect(unknown.errors?.[0]).toMatchObject({
      message: `organizerIds: ไม่พบหน่วยงานรหัส ${UNKNOWN_AGENCY}`,
      extensions: { code: 'BAD_USER_INPUT', field: 'organizerIds' },
    });
    const otherProvince = await inThai(EDITOR_10, CREATE, { input: { ...BASE, startDate: dayOfItsOwn() } });
    expect(otherProvince.errors?.[0]).toMatchObject({
      message: 'ผู้แก้ไขระดับจังหวัดของ TH-10 ไม่มีสิทธิ์บันทึกกิจกรรมใน TH-14',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(otherProvince.data?.createActivity ?? null).toBeNull();
    const missing = await inThai(ADMIN, ARCHIVE, { input: { id: 'ไม่มีกิจกรรมนี้', version: 1 } });
    expect(missing.errors?.[0]).toMatchObject({ message: 'ไม่พบกิจกรรม ไม่มีกิจกรรมนี้', extensions: { code: 'NOT_FOUND' } });
    // Without a preference the same refusal is in English.
    const english = await run(EDITOR_10, CREATE, { input: { ...BASE, startDate: dayOfItsOwn() } });
    expect(english.error?.message).toBe('A provincial editor of TH-10 may not record activities in TH-14');
  });

  it('import row reasons, for the error file of a Thai clerk', async () => {
    const IMPORT = `mutation($input: ImportActivitiesInput!) { importActivities(input: $input) { rows { status problems { field message } } } }`;
    const row = { titleTh: 'ประชุมนำเข้าภาษาไทย', kind: 'TRAINING', startDate: '2022-05-01', provinceCode: 'TH-14' };
    const result = await inThai(EDITOR_14, IMPORT, {
      input: {
        dryRun: true,
        rows: [
          { ...row, organizerNames: ['หน่วยงานที่ไม่มีอยู่จริง'] },
          { ...row, titleTh: 'ประชุมนำเข้าไร้จังหวัด', provinceCode: null, districtCode: '1401' },
        ],
      },
    });
    expect(result.data!.importActivities.rows).toEqual([
      {
        status: 'REJECTED',
        problems: [
          {
            field: 'organizerNames',
            message: 'organizerNames: ไม่พบหน่วยงานที่ใช้งานอยู่ชื่อ หน่วยงานที่ไม่มีอยู่จริง ใน TH-14 หรือในหน่วยงานระดับประเทศ กรุณานำเข้าหน่วยงานนั้นก่อน',
          },
        ],
      },
      { status: 'REJECTED', problems: [{ field: 'districtCode', message: tIn('th', 'input.districtNeedsProvince') }] },
    ]);
  });
});
