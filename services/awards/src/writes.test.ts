/**
 * Writes to recognitions and award criteria, run in-process with each viewer: the role × operation
 * matrix, every workflow step from every status, the province scope, validation (database unchanged
 * after every refusal), versions, the audit trail, and archived records left out of lists and stats.
 * The networks and agencies subgraphs run too: a nomination asks agencies for the recipient's
 * province (agencies checks districts and networks with networks).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANONYMOUS, createPeers, type Viewer } from '@moral-registry/common';
import {
  executeAs,
  executeRaw,
  type Attempt,
  inMemory,
  type Peers,
  PROVINCE_WRITE,
  postInThai,
  startPeers,
  VIEWERS,
  withMessage,
  type ViewerName,
  type WriteOutcome,
} from '@moral-registry/common/testing';
import { CULTURE_OFFICE, MORAL_PROMOTION_CENTER, PARTICIPANTS, personId } from '@moral-registry/common/demo';
import { createServer as createNetworks } from '@moral-registry/networks';
import { createServer as createAgencies } from '@moral-registry/agencies';
import { createServer } from './server.ts';
import { STEPS } from './writes.ts';

const { ADMIN, EDITOR_14, EDITOR_10, READER, PARTNER } = VIEWERS;
type Outcome = WriteOutcome;

const NATIONAL_WRITE: Record<ViewerName, Outcome> = { ...PROVINCE_WRITE, EDITOR_14: 'FORBIDDEN' };

const JUREEPORN = personId('jureeporn'); // Ayutthaya's culture officer (TH-14)
const YONGJIRAYU = personId('yongjirayu'); // Moral Promotion Center staff: no province

/** What awards asks about recipients (agencies, people) and districts. */
const PEERS = { networks: createNetworks, agencies: createAgencies };
let peers: Peers<typeof PEERS>;
let server: Awaited<ReturnType<typeof createServer>>;
/** The subgraph over HTTP too, for requests in Thai (before anything runs in-process, which would start it). */
let url: string;
beforeAll(async () => {
  peers = await startPeers(PEERS);
  server = await createServer({ config: { ...inMemory, peers: peers.urls }, seed: true });
  url = (await server.listen(0)).url;
}, 120_000);
afterAll(async () => {
  await server?.close();
  await peers?.close();
});

const db = () => server.db.client;

type Result = Attempt;

const run = (viewer: Viewer, query: string, variables: Record<string, unknown>) => executeAs(server, viewer, query, variables);

const REC = `id programme level virtue scope fiscalYear status titleTh version archivedAt province { code } district { code }
  recipient { __typename ... on Agency { id } ... on Person { id } ... on Province { code } } source { kind label }`;
const NOMINATE = `mutation($input: NominateRecognitionInput!) { nominateRecognition(input: $input) { recognition { ${REC} } } }`;
const UPDATE = `mutation($input: UpdateRecognitionInput!) { updateRecognition(input: $input) { recognition { ${REC} } } }`;
const STEP = Object.fromEntries(
  Object.entries(STEPS).map(([key, step]) => [
    key,
    `mutation($input: RecognitionTransitionInput!) { ${step.name}(input: $input) { recognition { id status version } } }`,
  ]),
) as Record<keyof typeof STEPS, string>;
const ARCHIVE = `mutation($input: ArchiveInput!) { archiveRecognition(input: $input) { recognition { id version archivedAt } } }`;
const RESTORE = `mutation($input: RestoreInput!) { restoreRecognition(input: $input) { recognition { id version archivedAt } } }`;
const CRITERIA = 'id province { code } fiscalYear textTh virtues version archivedAt source { kind label }';
const CREATE_CRITERIA = `mutation($input: CreateAwardCriteriaInput!) { createAwardCriteria(input: $input) { awardCriteria { ${CRITERIA} } } }`;
const UPDATE_CRITERIA = `mutation($input: UpdateAwardCriteriaInput!) { updateAwardCriteria(input: $input) { awardCriteria { ${CRITERIA} } } }`;
const ARCHIVE_CRITERIA = `mutation($input: ArchiveInput!) { archiveAwardCriteria(input: $input) { awardCriteria { id version archivedAt } } }`;
const RESTORE_CRITERIA = `mutation($input: RestoreInput!) { restoreAwardCriteria(input: $input) { awardCriteria { id version archivedAt } } }`;
const TRAIL = 'auditTrail { id at operation reason actor { id role provinceCode name } changes { field before after } }';

type Rec = { id: string; version: number; status: string } & Record<string, any>;
type Criteria = { id: string; version: number } & Record<string, any>;
type Status = 'NOMINATED' | 'PROVINCE_CERTIFIED' | 'NATIONALLY_CONFIRMED' | 'REJECTED' | 'WITHDRAWN';

function ok(result: Result, field: string) {
  if (result.error) throw new Error(`Unexpected error: ${JSON.stringify(result.error)}`);
  return Object.values(result.data![field] as Record<string, any>)[0];
}

/** A nomination of Ayutthaya's culture office (TH-14) by a national admin, unless told otherwise. */
async function nominate(input: Record<string, unknown> = {}, viewer: Viewer = ADMIN): Promise<Rec> {
  const base = {
    programme: 'MORAL_UNIT_ASSESSMENT',
    level: 'MORAL',
    fiscalYear: 2566,
    recipientKind: 'AGENCY',
    recipientId: CULTURE_OFFICE.id,
  };
  return ok(await run(viewer, NOMINATE, { input: { ...base, ...input } }), 'nominateRecognition');
}

async function step(key: keyof typeof STEPS, rec: Rec, viewer: Viewer = ADMIN, reason = 'มติคณะอนุกรรมการ'): Promise<Rec> {
  return ok(await run(viewer, STEP[key], { input: { id: rec.id, version: rec.version, reason } }), STEPS[key].name);
}

/** A TH-14 recognition brought to a status through the workflow. */
async function inStatus(status: Status): Promise<Rec> {
  const rec = await nominate();
  switch (status) {
    case 'NOMINATED':
      return rec;
    case 'PROVINCE_CERTIFIED':
      return step('certify', rec);
    case 'NATIONALLY_CONFIRMED':
      return step('confirm', await step('certify', rec));
    case 'REJECTED':
      return step('reject', rec);
    case 'WITHDRAWN':
      return step('withdraw', rec);
  }
}

async function archived(rec: Rec): Promise<Rec> {
  return { ...rec, ...ok(await run(ADMIN, ARCHIVE, { input: { id: rec.id, version: rec.version } }), 'archiveRecognition') };
}

let nextYear = 2571;
/** Ayutthaya's criteria for a fiscal year no other test uses. */
async function criteria(provinceCode = 'TH-14'): Promise<Criteria> {
  const input = { provinceCode, fiscalYear: nextYear++, textTh: 'หลักเกณฑ์ยกย่องต้นแบบ', virtues: ['HONESTY'] };
  return ok(await run(ADMIN, CREATE_CRITERIA, { input }), 'createAwardCriteria');
}

/** The rows and audit entries a write could touch: equal before and after a refused one. */
async function snapshot(id: string | null) {
  const [recognition, awardCriteria, recognitions, allCriteria, audit] = await Promise.all([
    id ? db().recognition.findUnique({ where: { id } }) : null,
    id ? db().awardCriteria.findUnique({ where: { id } }) : null,
    db().recognition.count(),
    db().awardCriteria.count(),
    db().auditEntry.count(),
  ]);
  return { recognition, awardCriteria, recognitions, allCriteria, audit };
}

/** Runs a write; if it is refused, the database must be as it was. */
async function attempt(viewer: Viewer, target: string | null, query: string, variables: Record<string, unknown>): Promise<Result> {
  const before = await snapshot(target);
  const result = await run(viewer, query, variables);
  if (result.error) expect(await snapshot(target)).toEqual(before);
  return result;
}

describe('role × operation matrix (Ayutthaya records)', () => {
  const input = (rec: { id: string; version: number }, extra: Record<string, unknown> = {}) => ({
    input: { id: rec.id, version: rec.version, ...extra },
  });
  const operations: Record<string, { expected: Record<ViewerName, Outcome>; attempt: (viewer: Viewer) => Promise<Result> }> = {
    nominateRecognition: {
      expected: PROVINCE_WRITE,
      attempt: (viewer) =>
        attempt(viewer, null, NOMINATE, {
          input: { programme: 'VIRTUE_HONOUR', virtue: 'VOLUNTEERISM', fiscalYear: 2566, recipientKind: 'PERSON', recipientId: JUREEPORN },
        }),
    },
    updateRecognition: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const rec = await nominate();
        return attempt(viewer, rec.id, UPDATE, input(rec, { level: 'MODEL' }));
      },
    },
    certifyRecognition: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const rec = await nominate();
        return attempt(viewer, rec.id, STEP.certify, input(rec, { reason: 'ผ่านการรับรองระดับจังหวัด' }));
      },
    },
    confirmRecognition: {
      expected: NATIONAL_WRITE,
      attempt: async (viewer) => {
        const rec = await inStatus('PROVINCE_CERTIFIED');
        return attempt(viewer, rec.id, STEP.confirm, input(rec, { reason: 'ยืนยันระดับชาติ' }));
      },
    },
    rejectRecognition: {
      expected: NATIONAL_WRITE,
      attempt: async (viewer) => {
        const rec = await nominate();
        return attempt(viewer, rec.id, STEP.reject, input(rec, { reason: 'ไม่ผ่านเกณฑ์' }));
      },
    },
    withdrawRecognition: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const rec = await nominate();
        return attempt(viewer, rec.id, STEP.withdraw, input(rec, { reason: 'หน่วยงานขอถอนการเสนอชื่อ' }));
      },
    },
    archiveRecognition: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const rec = await nominate();
        return attempt(viewer, rec.id, ARCHIVE, input(rec));
      },
    },
    restoreRecognition: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const rec = await archived(await nominate());
        return attempt(viewer, rec.id, RESTORE, input(rec));
      },
    },
    createAwardCriteria: {
      expected: PROVINCE_WRITE,
      attempt: (viewer) =>
        attempt(viewer, null, CREATE_CRITERIA, {
          input: { provinceCode: 'TH-14', fiscalYear: nextYear++, textTh: 'หลักเกณฑ์', virtues: ['DISCIPLINE'] },
        }),
    },
    updateAwardCriteria: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const row = await criteria();
        return attempt(viewer, row.id, UPDATE_CRITERIA, input(row, { virtues: ['GRATITUDE'] }));
      },
    },
    archiveAwardCriteria: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const row = await criteria();
        return attempt(viewer, row.id, ARCHIVE_CRITERIA, input(row));
      },
    },
    restoreAwardCriteria: {
      expected: PROVINCE_WRITE,
      attempt: async (viewer) => {
        const row = await criteria();
        const { version } = ok(await run(ADMIN, ARCHIVE_CRITERIA, input(row)), 'archiveAwardCriteria');
        return attempt(viewer, row.id, RESTORE_CRITERIA, input({ id: row.id, version }));
      },
    },
  };

  for (const [operation, { expected, attempt: tryAs }] of Object.entries(operations)) {
    it(`${operation}: ${Object.entries(expected)
      .map(([v, o]) => `${v} ${o}`)
      .join(', ')}`, async () => {
      for (const [name, viewer] of Object.entries(VIEWERS) as [ViewerName, Viewer][]) {
        const result = await tryAs(viewer);
        const outcome = result.code ?? (result.error ? 'error' : 'ok');
        withMessage(result.error?.message, () => expect(`${name}: ${outcome}`).toBe(`${name}: ${expected[name]}`));
      }
    });
  }

  it('a recipient without a province (national agency or person) is nominated by national admins only', async () => {
    for (const [kind, id] of [
      ['AGENCY', MORAL_PROMOTION_CENTER.id],
      ['PERSON', YONGJIRAYU],
    ]) {
      const refused = await attempt(EDITOR_14, null, NOMINATE, {
        input: { programme: 'MORAL_AWARD', fiscalYear: 2566, recipientKind: kind, recipientId: id },
      });
      expect(refused.code).toBe('FORBIDDEN');
      const rec = await nominate({ programme: 'MORAL_AWARD', level: null, recipientKind: kind, recipientId: id });
      expect(rec).toMatchObject({
        province: null,
        status: 'NOMINATED',
        recipient: { __typename: kind === 'AGENCY' ? 'Agency' : 'Person', id },
      });
      // …and changed by national admins only.
      expect((await attempt(EDITOR_14, rec.id, STEP.certify, { input: { id: rec.id, version: 1, reason: 'รับรอง' } })).code).toBe(
        'FORBIDDEN',
      );
    }
  });

  it('the province is the recipient’s, never given: a person’s from agencies, a province’s own', async () => {
    const person = await nominate(
      { programme: 'VIRTUE_HONOUR', level: null, virtue: 'GRATITUDE', recipientKind: 'PERSON', recipientId: JUREEPORN },
      EDITOR_14,
    );
    expect(person.province).toEqual({ code: 'TH-14' });
    const bangkok = await attempt(EDITOR_14, null, NOMINATE, {
      input: { programme: 'MORAL_UNIT_ASSESSMENT', level: 'MORAL', fiscalYear: 2566, recipientKind: 'PROVINCE', recipientId: 'TH-10' },
    });
    expect(bangkok.code).toBe('FORBIDDEN');
  });
});

describe('the district is the recipient’s too', () => {
  const inDistrict = PARTICIPANTS.find((a) => a.districtCode && a.sourceKind === 'SYNTHETIC')!;

  it('an agency’s district, a person’s agency’s, none for a province or an agency without one', async () => {
    const agency = await nominate({ recipientId: inDistrict.id, fiscalYear: 2567 }, EDITOR_14);
    expect({ province: agency.province, district: agency.district }).toEqual({
      province: { code: 'TH-14' },
      district: { code: inDistrict.districtCode },
    });
    // A person of that agency, created in the agencies subgraph as a clerk would.
    const created = await executeRaw(
      peers.servers.agencies,
      `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }`,
      { input: { fullNameTh: 'สมหญิง ทดสอบอำเภอ', agencyId: inDistrict.id } },
      ADMIN,
    );
    const personOfAgency = (created.data as { createPerson: { person: { id: string } } }).createPerson.person.id;
    const person = await nominate(
      {
        programme: 'VIRTUE_HONOUR',
        level: null,
        virtue: 'HONESTY',
        recipientKind: 'PERSON',
        recipientId: personOfAgency,
        fiscalYear: 2567,
      },
      EDITOR_14,
    );
    expect(person.district).toEqual({ code: inDistrict.districtCode });
    const province = await nominate({ recipientKind: 'PROVINCE', recipientId: 'TH-14', fiscalYear: 2567 });
    const office = await nominate({ fiscalYear: 2567 });
    const officer = await nominate({
      programme: 'VIRTUE_HONOUR',
      level: null,
      virtue: 'HONESTY',
      recipientKind: 'PERSON',
      recipientId: JUREEPORN,
    });
    expect([province.district, office.district, officer.district]).toEqual([null, CULTURE_OFFICE.districtCode, null]);
    expect(CULTURE_OFFICE.districtCode).toBeNull();
  });
});

describe('the workflow', () => {
  const STATUSES: Status[] = ['NOMINATED', 'PROVINCE_CERTIFIED', 'NATIONALLY_CONFIRMED', 'REJECTED', 'WITHDRAWN'];

  for (const [key, s] of Object.entries(STEPS) as [keyof typeof STEPS, (typeof STEPS)[keyof typeof STEPS]][]) {
    it(`${s.name}: ${s.from.join(' or ')} → ${s.to}; from any other status a BAD_USER_INPUT naming the status`, async () => {
      for (const status of STATUSES) {
        const rec = await inStatus(status);
        const result = await attempt(ADMIN, rec.id, STEP[key], { input: { id: rec.id, version: rec.version, reason: 'มติที่ประชุม' } });
        if ((s.from as readonly string[]).includes(status)) {
          withMessage(`${status} → ${s.to}`, () => expect(result.error).toBeUndefined());
          expect(result.data![s.name].recognition).toEqual({ id: rec.id, status: s.to, version: rec.version + 1 });
        } else {
          withMessage(`${status} → ${s.to}`, () => expect(result.code).toBe('BAD_USER_INPUT'));
          expect(result.error!.extensions).toMatchObject({ field: 'status', from: status, to: s.to });
          expect(result.error!.message).toContain(`is ${status}`);
          expect(result.error!.message).toContain(`needs status ${s.from.join(' or ')}`);
        }
      }
    });
  }

  it('the province certifies and withdraws (also once certified); confirming and rejecting are national', async () => {
    const rec = await nominate({}, EDITOR_14);
    const certified = await step('certify', rec, EDITOR_14);
    expect(certified.status).toBe('PROVINCE_CERTIFIED');
    for (const key of ['confirm', 'reject'] as const) {
      const refused = await attempt(EDITOR_14, rec.id, STEP[key], { input: { id: rec.id, version: certified.version, reason: 'เหตุผล' } });
      expect(refused.code).toBe('FORBIDDEN');
    }
    expect((await step('withdraw', certified, EDITOR_14)).status).toBe('WITHDRAWN');
  });

  it('details change while NOMINATED (province) or PROVINCE_CERTIFIED (national admins), never in a final state', async () => {
    const certified = await inStatus('PROVINCE_CERTIFIED');
    const byEditor = await attempt(EDITOR_14, certified.id, UPDATE, {
      input: { id: certified.id, version: certified.version, level: 'MODEL' },
    });
    expect(byEditor.code).toBe('FORBIDDEN');
    const byAdmin = ok(
      await run(ADMIN, UPDATE, { input: { id: certified.id, version: certified.version, level: 'MODEL' } }),
      'updateRecognition',
    );
    expect(byAdmin).toMatchObject({ level: 'MODEL', status: 'PROVINCE_CERTIFIED', version: certified.version + 1 });
    for (const status of ['NATIONALLY_CONFIRMED', 'REJECTED', 'WITHDRAWN'] as const) {
      const rec = await inStatus(status);
      const result = await attempt(ADMIN, rec.id, UPDATE, { input: { id: rec.id, version: rec.version, titleTh: 'ชื่อใหม่' } });
      withMessage(status, () => expect(result.code).toBe('BAD_USER_INPUT'));
      expect(result.error!.extensions!.field).toBe('status');
      expect(result.error!.message).toContain(status);
    }
  });

  it('the province archives only what is still its own (NOMINATED, WITHDRAWN); certified or decided ones are national', async () => {
    for (const status of ['PROVINCE_CERTIFIED', 'NATIONALLY_CONFIRMED', 'REJECTED'] as const) {
      const rec = await inStatus(status);
      await withMessage(status, async () =>
        expect((await attempt(EDITOR_14, rec.id, ARCHIVE, { input: { id: rec.id, version: rec.version } })).code).toBe('FORBIDDEN'),
      );
      expect(
        ok(await run(ADMIN, ARCHIVE, { input: { id: rec.id, version: rec.version } }), 'archiveRecognition').archivedAt,
      ).not.toBeNull();
    }
    const withdrawn = await inStatus('WITHDRAWN');
    const done = ok(await run(EDITOR_14, ARCHIVE, { input: { id: withdrawn.id, version: withdrawn.version } }), 'archiveRecognition');
    expect(
      ok(await run(EDITOR_14, RESTORE, { input: { id: withdrawn.id, version: done.version } }), 'restoreRecognition').archivedAt,
    ).toBeNull();
  });

  it('an archived recognition takes no steps and no changes until restored', async () => {
    const rec = await archived(await nominate());
    for (const [query, extra] of [
      [STEP.certify, { reason: 'รับรอง' }],
      [UPDATE, { level: 'MODEL' }],
    ] as const) {
      const result = await attempt(ADMIN, rec.id, query, { input: { id: rec.id, version: rec.version, ...extra } });
      expect(result.code).toBe('BAD_USER_INPUT');
      expect(result.error!.extensions!.field).toBe('id');
    }
  });
});

describe('validation: BAD_USER_INPUT naming the field, nothing written', () => {
  const nominations: [string, Record<string, unknown>, string, string?][] = [
    ['a Common Era fiscal year', { fiscalYear: 2023 }, 'fiscalYear', '2566'],
    ['a title without Thai', { titleTh: 'Moral unit' }, 'titleTh'],
    ['an assessment without a level', { level: null }, 'level'],
    ['a virtue honour without a virtue', { programme: 'VIRTUE_HONOUR', level: null }, 'virtue'],
    ['an unknown agency', { recipientId: randomUUID() }, 'recipientId', 'recipientId: Agency'],
    ['an unknown person', { recipientKind: 'PERSON', recipientId: randomUUID() }, 'recipientId', 'recipientId: Person'],
    ['a blank recipient', { recipientId: '  ' }, 'recipientId'],
    ['an unknown province', { recipientKind: 'PROVINCE', recipientId: 'TH-99' }, 'recipientId', 'not one of the 77'],
    ['a malformed province', { recipientKind: 'PROVINCE', recipientId: 'Ayutthaya' }, 'recipientId'],
    ['reference data as the source', { source: { kind: 'REFERENCE_DATA' } }, 'source.kind'],
    ['a source document as the source', { source: { kind: 'SOURCE_DOCUMENT', label: 'ข่าว' } }, 'source.kind'],
    ['a source URL that is not http(s)', { source: { url: 'ftp://example.org/x' } }, 'source.url'],
  ];
  for (const [name, change, field, message] of nominations) {
    it(`nominateRecognition: ${name}`, async () => {
      const input = {
        programme: 'MORAL_UNIT_ASSESSMENT',
        level: 'MORAL',
        fiscalYear: 2566,
        recipientKind: 'AGENCY',
        recipientId: CULTURE_OFFICE.id,
        ...change,
      };
      const result = await attempt(EDITOR_14, null, NOMINATE, { input });
      withMessage(result.error?.message, () => expect(result.code).toBe('BAD_USER_INPUT'));
      expect(result.error!.extensions!.field).toBe(field);
      if (message) expect(result.error!.message).toContain(message);
    });
  }

  it('nominateRecognition: an archived agency is refused', async () => {
    const created = await executeRaw(
      peers.servers.agencies,
      `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id version } } }`,
      { input: { nameTh: 'ชมรมที่ปิดไปแล้ว', kind: 'CIVIL_SOCIETY_GROUP', provinceCode: 'TH-14' } },
      ADMIN,
    );
    const agency = (created.data as any).createAgency.agency;
    await executeRaw(
      peers.servers.agencies,
      `mutation($id: ID!, $v: Int!) { archiveAgency(input: { id: $id, version: $v }) { agency { id } } }`,
      { id: agency.id, v: agency.version },
      ADMIN,
    );
    const result = await attempt(EDITOR_14, null, NOMINATE, {
      input: { programme: 'MORAL_UNIT_ASSESSMENT', level: 'MORAL', fiscalYear: 2566, recipientKind: 'AGENCY', recipientId: agency.id },
    });
    expect(result.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recipientId' });
    expect(result.error!.message).toContain('archived');
  });

  it('updateRecognition: required fields cannot be cleared; years, titles and the programme’s needs are checked', async () => {
    const rec = await nominate();
    const cases: [Record<string, unknown>, string][] = [
      [{ programme: null }, 'programme'],
      [{ scope: null }, 'scope'],
      [{ fiscalYear: null }, 'fiscalYear'],
      [{ fiscalYear: 2022 }, 'fiscalYear'],
      [{ titleTh: 'English only' }, 'titleTh'],
      [{ level: null }, 'level'],
      [{ programme: 'VIRTUE_HONOUR' }, 'virtue'],
    ];
    for (const [change, field] of cases) {
      const result = await attempt(EDITOR_14, rec.id, UPDATE, { input: { id: rec.id, version: rec.version, ...change } });
      withMessage(JSON.stringify(change), () => expect(result.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field }));
    }
  });

  it('transitions need a reason that is not blank', async () => {
    const rec = await nominate();
    const result = await attempt(EDITOR_14, rec.id, STEP.certify, { input: { id: rec.id, version: rec.version, reason: ' \n ' } });
    expect(result.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  it('award criteria: province, BE year, Thai text, at least one virtue, one per province and year', async () => {
    const existing = await criteria();
    const base = { provinceCode: 'TH-14', fiscalYear: nextYear++, textTh: 'หลักเกณฑ์', virtues: ['HONESTY'] };
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ provinceCode: 'TH-99' }, 'provinceCode'],
      [{ provinceCode: 'Ayutthaya' }, 'provinceCode'],
      [{ fiscalYear: 2022 }, 'fiscalYear', '2565'],
      [{ textTh: '   ' }, 'textTh'],
      [{ textTh: 'criteria' }, 'textTh'],
      [{ virtues: [] }, 'virtues'],
      [{ source: { kind: 'REFERENCE_DATA' } }, 'source.kind'],
      [{ fiscalYear: existing.fiscalYear }, 'fiscalYear', 'already has award criteria'],
    ];
    for (const [change, field, message] of cases) {
      const result = await attempt(EDITOR_14, null, CREATE_CRITERIA, { input: { ...base, ...change } });
      withMessage(JSON.stringify(change), () => expect(result.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field }));
      if (message) expect(result.error!.message).toContain(message);
    }
    // Archived criteria still hold their year: restore them rather than add another.
    const gone = ok(await run(ADMIN, ARCHIVE_CRITERIA, { input: { id: existing.id, version: existing.version } }), 'archiveAwardCriteria');
    expect(gone.archivedAt).not.toBeNull();
    const again = await attempt(EDITOR_14, null, CREATE_CRITERIA, { input: { ...base, fiscalYear: existing.fiscalYear } });
    expect(again.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fiscalYear' });
    expect(again.error!.message).toContain('restore');

    const live = await criteria();
    for (const [change, field] of [
      [{ textTh: null }, 'textTh'],
      [{ virtues: null }, 'virtues'],
      [{ virtues: [] }, 'virtues'],
      [{ textTh: 'English' }, 'textTh'],
    ] as const) {
      const result = await attempt(EDITOR_14, live.id, UPDATE_CRITERIA, { input: { id: live.id, version: live.version, ...change } });
      withMessage(JSON.stringify(change), () => expect(result.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field }));
    }
  });

  it('unknown ids are NOT_FOUND', async () => {
    const id = randomUUID();
    const calls: [string, Record<string, unknown>, string][] = [
      [UPDATE, { level: 'MODEL' }, 'Recognition'],
      [STEP.certify, { reason: 'รับรอง' }, 'Recognition'],
      [STEP.confirm, { reason: 'ยืนยัน' }, 'Recognition'],
      [ARCHIVE, {}, 'Recognition'],
      [RESTORE, {}, 'Recognition'],
      [UPDATE_CRITERIA, { textTh: 'หลักเกณฑ์' }, 'AwardCriteria'],
      [ARCHIVE_CRITERIA, {}, 'AwardCriteria'],
      [RESTORE_CRITERIA, {}, 'AwardCriteria'],
    ];
    for (const [query, extra, entity] of calls) {
      const result = await attempt(ADMIN, id, query, { input: { id, version: 1, ...extra } });
      expect(result.error?.extensions).toMatchObject({ code: 'NOT_FOUND', entity, id });
    }
  });

  it('a recipient that cannot be checked is SERVICE_UNAVAILABLE, nothing written', async () => {
    const before = await snapshot(null);
    const contextValue = {
      ...server.createContext(ADMIN),
      peers: createPeers({ urls: { agencies: 'http://127.0.0.1:9/graphql' }, secret: 'unused', viewer: ADMIN, timeoutMs: 2000 }),
    };
    const response = await server.apollo.executeOperation(
      {
        query: NOMINATE,
        variables: { input: { programme: 'MORAL_AWARD', fiscalYear: 2566, recipientKind: 'AGENCY', recipientId: CULTURE_OFFICE.id } },
      },
      { contextValue },
    );
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'agencies' });
    expect(await snapshot(null)).toEqual(before);
  });
});

describe('writing', () => {
  it('normalizes Thai text and digits, records the provenance and the defaults', async () => {
    const rec = await nominate(
      { recipientKind: 'PROVINCE', recipientId: '๑๔', titleTh: '  จังหวัด   คุณธรรม\tcafe\u0301 ', scope: undefined, level: 'MODEL' },
      EDITOR_14,
    );
    expect(rec).toMatchObject({
      titleTh: 'จังหวัด คุณธรรม café',
      scope: 'PROVINCIAL',
      status: 'NOMINATED',
      version: 1,
      archivedAt: null,
      province: { code: 'TH-14' },
      recipient: { __typename: 'Province', code: 'TH-14' },
      source: { kind: 'USER_ENTRY', label: 'บันทึกผ่าน API โดย บรรณาธิการอยุธยา' },
    });
    expect((await db().recognition.findUniqueOrThrow({ where: { id: rec.id } })).recipientId).toBe('TH-14');
    const cleared = ok(await run(EDITOR_14, UPDATE, { input: { id: rec.id, version: 1, titleTh: '   ' } }), 'updateRecognition');
    expect(cleared.titleTh).toBeNull();

    const input = {
      provinceCode: '๑๔',
      fiscalYear: nextYear++,
      textTh: ' หลักเกณฑ์\u00a0 ใหม่ ',
      virtues: ['HONESTY', 'DISCIPLINE', 'HONESTY'],
      source: { kind: 'IMPORT', label: ' แบบฟอร์ม  ปี 2566 ' },
    };
    const row = ok(await run(EDITOR_14, CREATE_CRITERIA, { input }), 'createAwardCriteria');
    expect(row).toMatchObject({
      province: { code: 'TH-14' },
      textTh: 'หลักเกณฑ์ ใหม่',
      virtues: ['HONESTY', 'DISCIPLINE'],
      version: 1,
      source: { kind: 'IMPORT', label: 'แบบฟอร์ม ปี 2566' },
    });
  });

  it('a stale version is a CONFLICT and changes nothing; the first editor’s change stands', async () => {
    const rec = await nominate();
    const [first, second] = [EDITOR_14, ADMIN]; // both read version 1
    ok(await run(first, UPDATE, { input: { id: rec.id, version: 1, titleTh: 'ชื่อจากบรรณาธิการ' } }), 'updateRecognition');
    const stale = await attempt(second, rec.id, UPDATE, { input: { id: rec.id, version: 1, titleTh: 'ชื่อจากผู้ดูแล' } });
    expect(stale.error?.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, currentVersion: 2 });
    const stored = await db().recognition.findUniqueOrThrow({ where: { id: rec.id } });
    expect(stored).toMatchObject({ titleTh: 'ชื่อจากบรรณาธิการ', version: 2 });
    // A workflow step with a stale version is a conflict too.
    const staleStep = await attempt(ADMIN, rec.id, STEP.certify, { input: { id: rec.id, version: 1, reason: 'รับรอง' } });
    expect(staleStep.error?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });

    const row = await criteria();
    ok(await run(EDITOR_14, UPDATE_CRITERIA, { input: { id: row.id, version: 1, virtues: ['GRATITUDE'] } }), 'updateAwardCriteria');
    const staleCriteria = await attempt(ADMIN, row.id, UPDATE_CRITERIA, { input: { id: row.id, version: 1, virtues: ['SUFFICIENCY'] } });
    expect(staleCriteria.error?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect((await db().awardCriteria.findUniqueOrThrow({ where: { id: row.id } })).virtues).toEqual(['GRATITUDE']);
  });

  it('an update that changes nothing writes nothing: same version, no audit entry', async () => {
    const rec = await nominate({ titleTh: 'ประเมินหน่วยงาน' });
    const same = ok(
      await run(EDITOR_14, UPDATE, { input: { id: rec.id, version: 1, level: 'MORAL', titleTh: ' ประเมินหน่วยงาน ' } }),
      'updateRecognition',
    );
    expect(same.version).toBe(1);
    const row = await criteria();
    const sameCriteria = ok(
      await run(EDITOR_14, UPDATE_CRITERIA, { input: { id: row.id, version: 1, textTh: row.textTh, virtues: row.virtues } }),
      'updateAwardCriteria',
    );
    expect(sameCriteria.version).toBe(1);
    expect(await db().auditEntry.count({ where: { entityId: { in: [rec.id, row.id] }, operation: 'UPDATE' } })).toBe(0);
  });

  it('concurrent steps with the same version: exactly one wins', async () => {
    const rec = await nominate();
    const results = await Promise.all([
      run(EDITOR_14, STEP.certify, { input: { id: rec.id, version: 1, reason: 'รับรอง' } }),
      run(ADMIN, STEP.reject, { input: { id: rec.id, version: 1, reason: 'ไม่ผ่าน' } }),
    ]);
    expect(results.filter((r) => !r.error)).toHaveLength(1);
    expect(results.filter((r) => r.code === 'CONFLICT')).toHaveLength(1);
    expect(await db().recognition.findUniqueOrThrow({ where: { id: rec.id } })).toMatchObject({ version: 2 });
    expect(await db().auditEntry.count({ where: { entityId: rec.id, operation: 'TRANSITION' } })).toBe(1);
  });

  it('every write leaves an audit entry: who, what, why, before and after; staff read it', async () => {
    const rec = await nominate({ reason: '  หน่วยงาน ประเมินตนเอง ' }, EDITOR_14);
    const updated = ok(await run(EDITOR_14, UPDATE, { input: { id: rec.id, version: 1, level: 'MODEL' } }), 'updateRecognition');
    const certified = await step('certify', updated, EDITOR_14, ' คณะอนุกรรมการ   จังหวัด รับรอง ');
    const confirmed = await step('confirm', certified, ADMIN, 'คณะอนุกรรมการระดับชาติยืนยัน');
    const gone = await archived(confirmed);
    ok(await run(ADMIN, RESTORE, { input: { id: rec.id, version: gone.version, reason: 'บันทึกซ้ำโดยไม่ตั้งใจ' } }), 'restoreRecognition');

    const query = `query($id: ID!) { recognition(id: $id) { id version ${TRAIL} } }`;
    const data = (await run(READER, query, { id: rec.id })).data!.recognition;
    expect(data.version).toBe(6);
    const trail = data.auditTrail as any[];
    expect(trail.map((e) => e.operation)).toEqual(['RESTORE', 'ARCHIVE', 'TRANSITION', 'TRANSITION', 'UPDATE', 'CREATE']);
    const [restore, , confirm, certify, update, create] = trail;
    expect(create).toMatchObject({
      reason: 'หน่วยงาน ประเมินตนเอง',
      actor: { id: 'editor-14', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14', name: 'บรรณาธิการอยุธยา' },
    });
    expect(create.changes).toContainEqual({ field: 'status', before: null, after: '"NOMINATED"' });
    expect(update.changes).toContainEqual({ field: 'level', before: '"MORAL"', after: '"MODEL"' });
    expect(update.changes).toContainEqual({ field: 'version', before: '1', after: '2' });
    expect(certify).toMatchObject({ reason: 'คณะอนุกรรมการ จังหวัด รับรอง', actor: { id: 'editor-14' } });
    expect(certify.changes).toContainEqual({ field: 'status', before: '"NOMINATED"', after: '"PROVINCE_CERTIFIED"' });
    expect(confirm).toMatchObject({
      reason: 'คณะอนุกรรมการระดับชาติยืนยัน',
      actor: { id: 'admin-1', role: 'NATIONAL_ADMIN', provinceCode: null },
    });
    expect(confirm.changes).toContainEqual({ field: 'status', before: '"PROVINCE_CERTIFIED"', after: '"NATIONALLY_CONFIRMED"' });
    expect(restore).toMatchObject({ reason: 'บันทึกซ้ำโดยไม่ตั้งใจ' });
    expect(restore.changes.map((c: { field: string }) => c.field).sort()).toEqual(['archivedAt', 'version']);
    expect(new Date(restore.at).getTime()).toBeGreaterThanOrEqual(new Date(create.at).getTime());

    // Award criteria have their trail too.
    const row = await criteria();
    ok(await run(EDITOR_14, UPDATE_CRITERIA, { input: { id: row.id, version: 1, textTh: 'หลักเกณฑ์ฉบับแก้ไข' } }), 'updateAwardCriteria');
    const criteriaTrail = await run(
      EDITOR_14,
      `query { awardCriteria(provinceCode: "TH-14", fiscalYear: ${row.fiscalYear}) { version ${TRAIL} } }`,
      {},
    );
    expect(criteriaTrail.data!.awardCriteria.auditTrail.map((e: { operation: string }) => e.operation)).toEqual(['UPDATE', 'CREATE']);
    expect(criteriaTrail.data!.awardCriteria.auditTrail[0].changes).toContainEqual({
      field: 'textTh',
      before: '"หลักเกณฑ์ยกย่องต้นแบบ"',
      after: '"หลักเกณฑ์ฉบับแก้ไข"',
    });
  });

  it('audit trails per role: staff read them; partners are refused, anonymous callers must sign in', async () => {
    const rec = await nominate();
    const query = `query($id: ID!) { recognition(id: $id) { id status auditTrail { operation } } }`;
    const expected: Record<ViewerName, string> = {
      ADMIN: 'ok',
      EDITOR_14: 'ok',
      EDITOR_10: 'ok',
      READER: 'ok',
      PARTNER: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    };
    for (const [name, viewer] of Object.entries(VIEWERS) as [ViewerName, Viewer][]) {
      const result = await run(viewer, query, { id: rec.id });
      expect(`${name}: ${result.code ?? 'ok'}`).toBe(`${name}: ${expected[name]}`);
      if (!result.code) expect(result.data!.recognition.auditTrail).toEqual([{ operation: 'CREATE' }]);
      // The public part stays readable without the trail.
      const open = await run(viewer, `query($id: ID!) { recognition(id: $id) { id status version } }`, { id: rec.id });
      expect(open.data!.recognition).toEqual({ id: rec.id, status: 'NOMINATED', version: 1 });
    }
  });

  it('archived recognitions leave lists, rankings, trends and stats but are found by id and as entities', async () => {
    const counts = async () => {
      const data = (
        await run(
          PARTNER,
          `query {
            recognitions(provinceCode: "TH-38", fiscalYear: 2567) { totalCount edges { node { id } } }
            recognitionRanking(fiscalYear: 2567, metric: MODEL_OR_HIGHER) { rank value province { code } }
            _entities(representations: [{ __typename: "Province", code: "TH-38" }]) {
              ... on Province { recognitionStats(fiscalYear: 2567) { total byLevel { level count } provinceLevel } recognitionTrend(fromFiscalYear: 2567, toFiscalYear: 2567) { total } recognitions(fiscalYear: 2567) { totalCount } }
            }
          }`,
          {},
        )
      ).data!;
      const province = data._entities[0];
      return {
        listed: data.recognitions.totalCount,
        ranked: data.recognitionRanking.find((r: any) => r.province.code === 'TH-38').value,
        total: province.recognitionStats.total,
        provinceLevel: province.recognitionStats.provinceLevel,
        trend: province.recognitionTrend[0].total,
        page: province.recognitions.totalCount,
      };
    };
    const rec = await nominate({ recipientKind: 'PROVINCE', recipientId: '38', fiscalYear: 2567, level: 'MODEL' });
    expect(await counts()).toEqual({ listed: 1, ranked: 1, total: 1, provinceLevel: 'MODEL', trend: 1, page: 1 });

    const gone = await archived(rec);
    expect(await counts()).toEqual({ listed: 0, ranked: 0, total: 0, provinceLevel: null, trend: 0, page: 0 });
    const byId = await run(READER, `query($id: ID!) { recognition(id: $id) { id archivedAt version auditTrail { operation } } }`, {
      id: rec.id,
    });
    expect(byId.data!.recognition).toMatchObject({
      id: rec.id,
      version: 2,
      auditTrail: [{ operation: 'ARCHIVE' }, { operation: 'CREATE' }],
    });
    expect(new Date(byId.data!.recognition.archivedAt).toISOString()).toBe(byId.data!.recognition.archivedAt);
    const entity = await run(
      PARTNER,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Recognition { id archivedAt } } }`,
      {
        reps: [{ __typename: 'Recognition', id: rec.id }],
      },
    );
    expect(entity.data!._entities[0]).toEqual({ id: rec.id, archivedAt: byId.data!.recognition.archivedAt });

    // Archiving twice, restoring a live one: refused, nothing changes.
    const twice = await attempt(ADMIN, rec.id, ARCHIVE, { input: { id: rec.id, version: gone.version } });
    expect(twice.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const back = ok(await run(ADMIN, RESTORE, { input: { id: rec.id, version: gone.version } }), 'restoreRecognition');
    expect(back).toEqual({ id: rec.id, version: 3, archivedAt: null });
    expect(await counts()).toEqual({ listed: 1, ranked: 1, total: 1, provinceLevel: 'MODEL', trend: 1, page: 1 });
    const again = await attempt(ADMIN, rec.id, RESTORE, { input: { id: rec.id, version: 3 } });
    expect(again.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('archived recognitions leave the recipient’s list; archived criteria leave the awardCriteria query', async () => {
    const rec = await nominate({
      programme: 'VIRTUE_HONOUR',
      level: null,
      virtue: 'HONESTY',
      recipientKind: 'PERSON',
      recipientId: JUREEPORN,
    });
    const listed = async () =>
      (
        await run(PARTNER, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { recognitions { id } } } }`, {
          reps: [{ __typename: 'Person', id: JUREEPORN }],
        })
      ).data!._entities[0].recognitions.map((r: { id: string }) => r.id);
    expect(await listed()).toContain(rec.id);
    await archived(rec);
    expect(await listed()).not.toContain(rec.id);

    const row = await criteria('TH-10');
    const find = async () =>
      (await run(PARTNER, `query { awardCriteria(provinceCode: "10", fiscalYear: ${row.fiscalYear}) { id archivedAt } }`, {})).data!
        .awardCriteria;
    expect(await find()).toEqual({ id: row.id, archivedAt: null });
    const gone = ok(await run(ADMIN, ARCHIVE_CRITERIA, { input: { id: row.id, version: 1, reason: 'ยกเลิก' } }), 'archiveAwardCriteria');
    expect(await find()).toBeNull();
    const stale = await attempt(EDITOR_10, row.id, UPDATE_CRITERIA, { input: { id: row.id, version: gone.version, textTh: 'แก้ไข' } });
    expect(stale.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    ok(await run(EDITOR_10, RESTORE_CRITERIA, { input: { id: row.id, version: gone.version } }), 'restoreAwardCriteria');
    expect(await find()).toEqual({ id: row.id, archivedAt: null });
    const trail = await db().auditEntry.findMany({ where: { entityId: row.id }, orderBy: { at: 'asc' } });
    expect(trail.map((e) => [e.operation, e.actorId, e.reason])).toEqual([
      ['CREATE', 'admin-1', null],
      ['ARCHIVE', 'admin-1', 'ยกเลิก'],
      ['RESTORE', 'editor-10', null],
    ]);
  });
});

describe('batch imports', () => {
  const IMPORT = `mutation($input: ImportRecognitionsInput!) { importRecognitions(input: $input) {
    created updated unchanged rejected dryRun rows { index status id problems { field message } } } }`;
  const FY = 2590; // no other test uses it
  const AYUTTHAYA_ASSESSMENT = {
    programme: 'MORAL_UNIT_ASSESSMENT',
    level: 'MODEL',
    fiscalYear: FY,
    recipientKind: 'PROVINCE',
    recipientNameTh: 'จังหวัดพระนครศรีอยุธยา',
  };
  const good = [
    {
      programme: 'MORAL_UNIT_ASSESSMENT',
      level: 'MORAL',
      fiscalYear: FY,
      recipientKind: 'AGENCY',
      recipientNameTh: ` ${CULTURE_OFFICE.nameTh} `,
      provinceCode: '14',
      titleTh: 'หน่วยงาน  คุณธรรม',
    },
    {
      programme: 'VIRTUE_HONOUR',
      virtue: 'VOLUNTEERISM',
      fiscalYear: FY,
      recipientKind: 'PERSON',
      recipientNameTh: 'จุรีพร  ขันตี',
      provinceCode: 'TH-14',
    },
    AYUTTHAYA_ASSESSMENT,
    { programme: 'MORAL_AWARD', fiscalYear: FY, recipientKind: 'PROVINCE', recipientNameTh: '14', scope: 'NATIONAL' },
  ];
  const bad = [
    { programme: 'MORAL_AWARD', fiscalYear: FY, recipientKind: 'AGENCY', recipientNameTh: 'หน่วยงานที่ไม่มีอยู่จริง', provinceCode: 'TH-14' },
    { programme: 'MORAL_AWARD', fiscalYear: 2022, recipientKind: 'PROVINCE', recipientNameTh: 'TH-14' },
    { programme: 'MORAL_UNIT_ASSESSMENT', fiscalYear: FY, recipientKind: 'PROVINCE', recipientNameTh: 'TH-14' },
    { programme: 'MORAL_UNIT_ASSESSMENT', level: 'MORAL', fiscalYear: FY, recipientKind: 'PROVINCE', recipientNameTh: 'TH-10' },
    { ...AYUTTHAYA_ASSESSMENT, recipientNameTh: '๑๔', titleTh: 'ซ้ำกับแถวที่ 2' },
  ];
  const rows = [...good, ...bad];
  type Row = { index: number; status: string; id: string | null; problems: { field: string; message: string }[] };
  const importAs = async (viewer: Viewer, input: Record<string, unknown>) => {
    const result = await run(viewer, IMPORT, { input });
    if (result.error) throw new Error(`Unexpected error: ${JSON.stringify(result.error)}`);
    return result.data!.importRecognitions as { rows: Row[] } & Record<string, unknown>;
  };
  const statuses = (result: { rows: Row[] }) => result.rows.map((r) => [r.status, r.problems.map((p) => p.field)]);
  const counts = async () => ({ recognitions: await db().recognition.count(), audit: await db().auditEntry.count() });

  it('a dry run says what would happen and writes nothing', async () => {
    const before = await counts();
    const dry = await importAs(EDITOR_14, { rows, dryRun: true });
    expect(dry).toMatchObject({ created: 4, updated: 0, unchanged: 0, rejected: 5, dryRun: true });
    expect(dry.rows.slice(0, 4).map((r) => [r.status, r.id])).toEqual(Array(4).fill(['CREATED', null]));
    expect(await counts()).toEqual(before);
  });

  it('creates nominations for the good rows (recipients by name), rejects each bad one alone with its field', async () => {
    const before = await counts();
    const result = await importAs(EDITOR_14, { rows, source: { label: 'recognitions-2590.xlsx' } });
    expect(result).toMatchObject({ created: 4, updated: 0, unchanged: 0, rejected: 5, dryRun: false });
    expect(statuses(result)).toEqual([
      ['CREATED', []],
      ['CREATED', []],
      ['CREATED', []],
      ['CREATED', []],
      ['REJECTED', ['recipientNameTh']],
      ['REJECTED', ['fiscalYear']],
      ['REJECTED', ['level']],
      ['REJECTED', ['FORBIDDEN']],
      ['REJECTED', ['row']],
    ]);
    expect(result.rows[4]!.problems[0]!.message).toContain('หน่วยงานที่ไม่มีอยู่จริง');
    expect(result.rows[5]!.problems[0]!.message).toContain('2565');
    expect(result.rows[8]!.problems[0]!.message).toContain('row 2');
    expect(await counts()).toEqual({ recognitions: before.recognitions + 4, audit: before.audit + 4 });

    const stored = await db().recognition.findMany({ where: { id: { in: result.rows.slice(0, 4).map((r) => r.id!) } } });
    const byId = new Map(stored.map((r) => [r.id, r]));
    const pick = (i: number) => {
      const r = byId.get(result.rows[i]!.id!)!;
      return [r.recipientKind, r.recipientId, r.provinceCode, r.status, r.scope, r.titleTh, r.sourceKind, r.sourceLabel, r.version];
    };
    const common = ['TH-14', 'NOMINATED'];
    const src = ['IMPORT', 'recognitions-2590.xlsx', 1];
    expect([0, 1, 2, 3].map(pick)).toEqual([
      ['AGENCY', CULTURE_OFFICE.id, ...common, 'PROVINCIAL', 'หน่วยงาน คุณธรรม', ...src],
      ['PERSON', JUREEPORN, ...common, 'PROVINCIAL', null, ...src],
      ['PROVINCE', 'TH-14', ...common, 'PROVINCIAL', null, ...src],
      ['PROVINCE', 'TH-14', ...common, 'NATIONAL', null, ...src],
    ]);
    const audit = await db().auditEntry.findMany({ where: { entityId: { in: [...byId.keys()] } } });
    expect(audit.map((e) => [e.operation, e.reason, e.actorId])).toEqual(Array(4).fill(['CREATE', 'recognitions-2590.xlsx', 'editor-14']));
    // Districts come from the recipients: the culture office and its officer have none, provinces never.
    expect([0, 1, 2, 3].map((i) => byId.get(result.rows[i]!.id!)!.districtCode)).toEqual([null, null, null, null]);
  });

  it('a recognition of an agency in a district is stored with that district', async () => {
    const agency = PARTICIPANTS.find((a) => a.districtCode && a.sourceKind === 'SYNTHETIC')!;
    const result = await importAs(EDITOR_14, {
      rows: [
        { programme: 'MORAL_AWARD', fiscalYear: 2591, recipientKind: 'AGENCY', recipientNameTh: agency.nameTh, provinceCode: 'TH-14' },
      ],
    });
    expect(statuses(result)).toEqual([['CREATED', []]]);
    const stored = await db().recognition.findUniqueOrThrow({ where: { id: result.rows[0]!.id! } });
    expect([stored.recipientId, stored.provinceCode, stored.districtCode]).toEqual([agency.id, 'TH-14', agency.districtCode]);
  });

  it('re-importing changes nothing; a changed title updates the nomination (version 2, audit entry)', async () => {
    const before = await counts();
    const again = await importAs(EDITOR_14, { rows: good });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: 0 });
    expect(await counts()).toEqual(before);

    const changed = await importAs(EDITOR_14, { rows: [{ ...good[0], titleTh: 'หน่วยงานคุณธรรมต้นแบบ' }], source: { label: 'แก้ไข.xlsx' } });
    expect(changed).toMatchObject({ created: 0, updated: 1, unchanged: 0, rejected: 0 });
    const id = changed.rows[0]!.id!;
    expect(await db().recognition.findUniqueOrThrow({ where: { id } })).toMatchObject({ titleTh: 'หน่วยงานคุณธรรมต้นแบบ', version: 2 });
    const trail = (await run(READER, `query($id: ID!) { recognition(id: $id) { ${TRAIL} } }`, { id })).data!.recognition.auditTrail;
    expect(trail.map((e: { operation: string; reason: string }) => [e.operation, e.reason])).toEqual([
      ['UPDATE', 'แก้ไข.xlsx'],
      ['CREATE', 'recognitions-2590.xlsx'],
    ]);
    expect(trail[0].changes).toContainEqual({ field: 'titleTh', before: '"หน่วยงาน คุณธรรม"', after: '"หน่วยงานคุณธรรมต้นแบบ"' });
  });

  it('a certified or decided recognition is never changed by an import: the same row is UNCHANGED, a change REJECTED (status)', async () => {
    const [person, award] = (await importAs(EDITOR_14, { rows: [good[1], good[3]] })).rows.map((r) => r.id!);
    const load = (id: string) => db().recognition.findUniqueOrThrow({ where: { id } }) as Promise<Rec>;
    await step('certify', await load(person!));
    await step('reject', await load(award!));
    const before = { person: await load(person!), award: await load(award!), ...(await counts()) };

    const same = await importAs(ADMIN, { rows: [good[1], good[3]] });
    expect(same).toMatchObject({ unchanged: 2, rejected: 0 });
    const changed = await importAs(ADMIN, {
      rows: [
        { ...good[1], titleTh: 'ผู้มีจิตอาสา' },
        { ...good[3], scope: 'PROVINCIAL' },
      ],
    });
    expect(statuses(changed)).toEqual([
      ['REJECTED', ['status']],
      ['REJECTED', ['status']],
    ]);
    expect(changed.rows[0]!.problems[0]!.message).toContain('PROVINCE_CERTIFIED');
    expect(changed.rows[1]!.problems[0]!.message).toContain('REJECTED, a final state');
    expect({ person: await load(person!), award: await load(award!), ...(await counts()) }).toEqual(before);
  });

  it('national recipients are imported by national admins only; ambiguous and unknown names are rejected', async () => {
    const national = { programme: 'MORAL_AWARD', fiscalYear: FY, recipientKind: 'AGENCY', recipientNameTh: MORAL_PROMOTION_CENTER.nameTh };
    const staff = { programme: 'MORAL_AWARD', fiscalYear: FY, recipientKind: 'PERSON', recipientNameTh: 'ยงจิรายุ อุปเสน' };
    expect(statuses(await importAs(EDITOR_14, { rows: [national, staff], dryRun: true }))).toEqual([
      ['REJECTED', ['FORBIDDEN']],
      ['REJECTED', ['FORBIDDEN']],
    ]);
    const byAdmin = await importAs(ADMIN, { rows: [national, staff] });
    expect(statuses(byAdmin)).toEqual([
      ['CREATED', []],
      ['CREATED', []],
    ]);
    const [agency, person] = await Promise.all(byAdmin.rows.map((r) => db().recognition.findUniqueOrThrow({ where: { id: r.id! } })));
    expect([agency!.recipientId, agency!.provinceCode, person!.recipientId, person!.provinceCode]).toEqual([
      MORAL_PROMOTION_CENTER.id,
      null,
      YONGJIRAYU,
      null,
    ]);

    // Two live agencies of one name in a province: the name is ambiguous. The API refuses such a
    // duplicate now (CONFLICT), so the second one is data from before that, renamed in the database.
    for (const nameTh of ['ชมรมชื่อซ้ำนำเข้า', 'ชมรมชื่อซ้ำนำเข้าเดิม']) {
      await executeRaw(
        peers.servers.agencies,
        `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }`,
        { input: { nameTh, kind: 'CIVIL_SOCIETY_GROUP', provinceCode: 'TH-14' } },
        ADMIN,
      );
    }
    await peers.servers.agencies.db.rawQuery(`UPDATE "Agency" SET "nameTh" = 'ชมรมชื่อซ้ำนำเข้า' WHERE "nameTh" = 'ชมรมชื่อซ้ำนำเข้าเดิม'`);
    const result = await importAs(EDITOR_14, {
      rows: [
        { ...national, recipientNameTh: 'ชมรมชื่อซ้ำนำเข้า', provinceCode: 'TH-14' },
        { ...national, recipientNameTh: 'ชมรมชื่อซ้ำนำเข้า', provinceCode: 'TH-10' },
        { ...national, recipientKind: 'PROVINCE', recipientNameTh: 'จังหวัดที่ไม่มี' },
        { ...national, recipientKind: 'PROVINCE', recipientNameTh: 'พระนครศรีอยุธยา', provinceCode: 'TH-10' },
      ],
      dryRun: true,
    });
    expect(statuses(result)).toEqual([
      ['REJECTED', ['recipientNameTh']],
      ['REJECTED', ['recipientNameTh']],
      ['REJECTED', ['recipientNameTh']],
      ['REJECTED', ['provinceCode']],
    ]);
    expect(result.rows[0]!.problems[0]!.message).toContain('2 agencies are named ชมรมชื่อซ้ำนำเข้า in TH-14');
    expect(result.rows[1]!.problems[0]!.message).toContain('no agency named ชมรมชื่อซ้ำนำเข้า in TH-10');
  });

  it('readers, partners and anonymous callers cannot import', async () => {
    const before = await counts();
    for (const [viewer, code] of [
      [READER, 'FORBIDDEN'],
      [PARTNER, 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await run(viewer, IMPORT, { input: { rows: good } })).code).toBe(code);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('in Thai: a request with Accept-Language: th gets the Thai catalogue, with the same code and field', () => {
  const inThai = (viewer: Viewer, query: string, variables: Record<string, unknown>) =>
    postInThai(url, server.config.viewerSecret, viewer, query, variables);

  it('bad input, a step the status does not allow, a refusal of the workflow, an unknown id', async () => {
    const noLevel = await inThai(EDITOR_14, NOMINATE, {
      input: { programme: 'MORAL_UNIT_ASSESSMENT', fiscalYear: 2566, recipientKind: 'AGENCY', recipientId: CULTURE_OFFICE.id },
    });
    expect(noLevel.errors?.[0]).toMatchObject({
      message: 'ต้องระบุ level สำหรับ MORAL_UNIT_ASSESSMENT (PROMOTING, MORAL, MODEL หรือ OUTSTANDING_MODEL)',
      extensions: { code: 'BAD_USER_INPUT', field: 'level' },
    });
    const rejected = await inStatus('REJECTED');
    const again = await inThai(ADMIN, STEP.reject, { input: { id: rejected.id, version: rejected.version, reason: 'มติซ้ำ' } });
    expect(again.errors?.[0]).toMatchObject({
      message: `การยกย่อง ${rejected.id} อยู่ในสถานะ REJECTED ซึ่งเป็นสถานะสิ้นสุด: rejectRecognition (→ REJECTED) ใช้ได้เมื่ออยู่ในสถานะ NOMINATED หรือ PROVINCE_CERTIFIED`,
      extensions: { code: 'BAD_USER_INPUT', field: 'status' },
    });
    const certified = await inStatus('PROVINCE_CERTIFIED');
    const change = { input: { id: certified.id, version: certified.version, titleTh: 'หน่วยงานต้นแบบ' } };
    const refused = await inThai(EDITOR_14, UPDATE, change);
    expect(refused.errors?.[0]).toMatchObject({
      message: `การยกย่อง ${certified.id} อยู่ในสถานะ PROVINCE_CERTIFIED: ในขั้นนี้เฉพาะผู้ดูแลระดับชาติเท่านั้นที่แก้ไขการยกย่องได้`,
      extensions: { code: 'FORBIDDEN' },
    });
    expect(refused.data?.updateRecognition ?? null).toBeNull();
    const missing = await inThai(ADMIN, STEP.confirm, { input: { id: 'ไม่มีรายการนี้', version: 1, reason: 'มติ' } });
    expect(missing.errors?.[0]).toMatchObject({ message: 'ไม่พบการยกย่อง ไม่มีรายการนี้', extensions: { code: 'NOT_FOUND' } });
    // Without a preference the same refusal is in English.
    expect((await run(EDITOR_14, UPDATE, change)).error?.message).toBe(
      `Recognition ${certified.id} is PROVINCE_CERTIFIED: at this stage only national admins may change recognitions`,
    );
  });

  it('import row reasons, for the error file of a Thai clerk', async () => {
    const IMPORT = `mutation($input: ImportRecognitionsInput!) { importRecognitions(input: $input) { rows { status problems { field message } } } }`;
    const award = { programme: 'MORAL_AWARD', fiscalYear: 2591 };
    const result = await inThai(ADMIN, IMPORT, {
      input: {
        dryRun: true,
        rows: [
          { ...award, recipientKind: 'AGENCY', recipientNameTh: 'หน่วยงานที่ไม่มีอยู่จริง', provinceCode: 'TH-14' },
          { ...award, recipientKind: 'PROVINCE', recipientNameTh: 'จังหวัดที่ไม่มี' },
          { ...award, recipientKind: 'PROVINCE', recipientNameTh: 'พระนครศรีอยุธยา', provinceCode: 'TH-10' },
        ],
      },
    });
    expect(result.data!.importRecognitions.rows).toEqual([
      {
        status: 'REJECTED',
        problems: [{ field: 'recipientNameTh', message: 'ไม่พบหน่วยงานชื่อ หน่วยงานที่ไม่มีอยู่จริง ใน TH-14: กรุณานำเข้าก่อน' }],
      },
      {
        status: 'REJECTED',
        problems: [{ field: 'recipientNameTh', message: 'ไม่มีจังหวัดชื่อ ที่ไม่มี (ระบุชื่อจังหวัดภาษาไทยหรือรหัสจังหวัด เช่น TH-14)' }],
      },
      {
        status: 'REJECTED',
        problems: [{ field: 'provinceCode', message: 'provinceCode TH-10 ไม่ตรงกับจังหวัดผู้รับการยกย่อง TH-14 (ไม่ต้องระบุช่องนี้)' }],
      },
    ]);
  });
});
