/**
 * Writes to agencies and people, run in-process with each viewer: the role × operation matrix, the
 * province scope, validation (database unchanged after every refusal), versions, the audit trail and
 * personal data. The networks subgraph runs too: agencies check districts, networks and sectors with it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANONYMOUS, tIn, type Viewer } from '@moral-registry/common';
import {
  executeAs,
  executeRaw,
  inMemory,
  type Peers,
  PROVINCE_WRITE,
  postInThai,
  startPeers,
  VIEWERS,
  type ViewerName,
} from '@moral-registry/common/testing';
import { AYUTTHAYA, CULTURE_OFFICE, networkId, personId } from '@moral-registry/common/demo';
import { createServer as createNetworks } from '@moral-registry/networks';
import { createServer } from './server.ts';

const { ADMIN, EDITOR_14, EDITOR_10, READER, PARTNER } = VIEWERS;
/** What each viewer gets when writing a TH-14 record. */
const EXPECTED = PROVINCE_WRITE;

/** What agencies asks about districts, networks and sectors. */
const PEERS = { networks: createNetworks };
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

const run = (viewer: Viewer, query: string, variables: Record<string, unknown>) => executeAs(server, viewer, query, variables);

const AGENCY_FIELDS =
  'id nameTh nameEn kind version archivedAt province { code } district { code } network { id } sector { code } source { kind label }';
const CREATE_AGENCY = `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { ${AGENCY_FIELDS} } } }`;
const UPDATE_AGENCY = `mutation($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { ${AGENCY_FIELDS} } } }`;
const ARCHIVE_AGENCY = `mutation($input: ArchiveInput!) { archiveAgency(input: $input) { agency { id version archivedAt } } }`;
const RESTORE_AGENCY = `mutation($input: RestoreInput!) { restoreAgency(input: $input) { agency { id version archivedAt } } }`;
const PERSON_FIELDS = 'id fullNameTh version archivedAt province { code } affiliation { id } phone email address';
const CREATE_PERSON = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { ${PERSON_FIELDS} } } }`;
const UPDATE_PERSON = `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { ${PERSON_FIELDS} } } }`;
const ARCHIVE_PERSON = `mutation($input: ArchiveInput!) { archivePerson(input: $input) { person { id version archivedAt } } }`;
const RESTORE_PERSON = `mutation($input: RestoreInput!) { restorePerson(input: $input) { person { id version archivedAt } } }`;

/** Live duplicates by natural key are refused (CONFLICT): records made for a test get names of their own. */
let made = 0;
const unique = (name: string) => `${name} ${++made}`;

async function newAgency(provinceCode = AYUTTHAYA, nameTh = unique('ชมรมทดสอบ')) {
  const { data } = await run(ADMIN, CREATE_AGENCY, { input: { nameTh, kind: 'CIVIL_SOCIETY_GROUP', provinceCode } });
  return data!.createAgency.agency as { id: string; version: number };
}

async function newPerson(agencyId: string, fullNameTh = unique('สมชาย ทดสอบ')) {
  const { data } = await run(ADMIN, CREATE_PERSON, {
    input: { fullNameTh, agencyId, phone: '081-234-5678', email: 'somchai@example.org', address: 'อยุธยา' },
  });
  return data!.createPerson.person as { id: string; version: number };
}

/** The row and the audit entries of a record, to show that a refused write changed nothing. */
async function snapshot(id: string) {
  const [agency, person, audit] = await Promise.all([
    db().agency.findUnique({ where: { id } }),
    db().person.findUnique({ where: { id } }),
    db().auditEntry.count({ where: { entityId: id } }),
  ]);
  return { agency, person, audit };
}

describe('role × operation matrix', () => {
  const operations: Record<string, (viewer: Viewer) => Promise<{ code?: string; target?: string }>> = {
    createAgency: async (viewer) => {
      const before = await db().agency.count();
      const result = await run(viewer, CREATE_AGENCY, {
        input: { nameTh: unique('ชมรมเมทริกซ์'), kind: 'COMMUNITY', provinceCode: 'TH-14' },
      });
      if (result.code) expect(await db().agency.count()).toBe(before);
      return result;
    },
    updateAgency: async (viewer) => {
      const agency = await newAgency();
      const result = await run(viewer, UPDATE_AGENCY, { input: { id: agency.id, version: agency.version, nameTh: unique('ชื่อใหม่') } });
      return { ...result, target: agency.id };
    },
    archiveAgency: async (viewer) => {
      const agency = await newAgency();
      return { ...(await run(viewer, ARCHIVE_AGENCY, { input: { id: agency.id, version: agency.version } })), target: agency.id };
    },
    restoreAgency: async (viewer) => {
      const agency = await newAgency();
      const archived = (await run(ADMIN, ARCHIVE_AGENCY, { input: { id: agency.id, version: agency.version } })).data!.archiveAgency.agency;
      return { ...(await run(viewer, RESTORE_AGENCY, { input: { id: agency.id, version: archived.version } })), target: agency.id };
    },
    createPerson: async (viewer) => {
      const before = await db().person.count();
      const result = await run(viewer, CREATE_PERSON, { input: { fullNameTh: unique('สมหญิง เมทริกซ์'), agencyId: CULTURE_OFFICE.id } });
      if (result.code) expect(await db().person.count()).toBe(before);
      return result;
    },
    updatePerson: async (viewer) => {
      const person = await newPerson(CULTURE_OFFICE.id);
      return {
        ...(await run(viewer, UPDATE_PERSON, { input: { id: person.id, version: person.version, positionTh: 'ประธาน' } })),
        target: person.id,
      };
    },
    archivePerson: async (viewer) => {
      const person = await newPerson(CULTURE_OFFICE.id);
      return { ...(await run(viewer, ARCHIVE_PERSON, { input: { id: person.id, version: person.version } })), target: person.id };
    },
    restorePerson: async (viewer) => {
      const person = await newPerson(CULTURE_OFFICE.id);
      const archived = (await run(ADMIN, ARCHIVE_PERSON, { input: { id: person.id, version: person.version } })).data!.archivePerson.person;
      return { ...(await run(viewer, RESTORE_PERSON, { input: { id: person.id, version: archived.version } })), target: person.id };
    },
  };

  for (const [operation, call] of Object.entries(operations)) {
    it(`${operation}: national admin and Ayutthaya's editor may; Bangkok's editor, readers and partners are forbidden; anonymous must sign in`, async () => {
      for (const [name, viewer] of Object.entries(VIEWERS) as [ViewerName, Viewer][]) {
        // The target is created first; what it looked like before the call is compared after a refusal.
        const result = await call(viewer);
        const expected = EXPECTED[name];
        expect({ viewer: name, code: result.code ?? 'ok' }).toEqual({ viewer: name, code: expected });
        if (expected !== 'ok' && result.target) {
          const after = await snapshot(result.target);
          const row = after.agency ?? after.person;
          // Only the set-up writes are in the trail (create, and archive for the restore case).
          expect(after.audit).toBe(operation.startsWith('restore') ? 2 : 1);
          expect(row!.version).toBe(operation.startsWith('restore') ? 2 : 1);
        }
      }
    });
  }

  it('national agencies (no province) are kept by national admins only', async () => {
    const refused = await run(EDITOR_14, CREATE_AGENCY, { input: { nameTh: 'หน่วยงานระดับชาติ', kind: 'PUBLIC_ORGANIZATION' } });
    expect(refused.code).toBe('FORBIDDEN');
    const created = await run(ADMIN, CREATE_AGENCY, { input: { nameTh: 'หน่วยงานระดับชาติ', kind: 'PUBLIC_ORGANIZATION' } });
    expect(created.data!.createAgency.agency.province).toBeNull();
  });

  it('an editor cannot move its agency to another province', async () => {
    const agency = await newAgency();
    const moved = await run(EDITOR_14, UPDATE_AGENCY, { input: { id: agency.id, version: 1, provinceCode: 'TH-10' } });
    expect(moved.code).toBe('FORBIDDEN');
    expect((await db().agency.findUnique({ where: { id: agency.id } }))!.provinceCode).toBe('TH-14');
  });
});

describe('validation: BAD_USER_INPUT naming the field, nothing written', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['blank Thai name', { nameTh: '   ', kind: 'COMMUNITY', provinceCode: 'TH-14' }, 'nameTh'],
    ['name without Thai', { nameTh: 'Test Club', kind: 'COMMUNITY', provinceCode: 'TH-14' }, 'nameTh'],
    ['unknown province', { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-99' }, 'provinceCode'],
    ['malformed province', { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'Ayutthaya' }, 'provinceCode'],
    ['district of another province', { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-14', districtCode: '1001' }, 'districtCode'],
    ['district that does not exist', { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-14', districtCode: '1499' }, 'districtCode'],
    ['district without a province', { nameTh: 'ชมรม', kind: 'COMMUNITY', districtCode: '1414' }, 'districtCode'],
    ['unknown sector', { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-14', sectorCode: 'SPORTS' }, 'sectorCode'],
    ['unknown network', { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-14', networkId: 'no-such-network' }, 'networkId'],
    [
      "another province's network",
      { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-10', networkId: networkId('TH-14', 'MEDIA') },
      'networkId',
    ],
    [
      "a sector that is not the network's",
      { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-14', networkId: networkId('TH-14', 'MEDIA'), sectorCode: 'RELIGION' },
      'sectorCode',
    ],
    [
      'reference-data provenance',
      { nameTh: 'ชมรม', kind: 'COMMUNITY', provinceCode: 'TH-14', source: { kind: 'REFERENCE_DATA' } },
      'source.kind',
    ],
  ];
  for (const [name, input, field] of cases) {
    it(name, async () => {
      const [agencies, audit] = await Promise.all([db().agency.count(), db().auditEntry.count()]);
      const result = await run(ADMIN, CREATE_AGENCY, { input });
      expect({ code: result.code, field: result.error?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(await db().agency.count()).toBe(agencies);
      expect(await db().auditEntry.count()).toBe(audit);
    });
  }

  it('contact details are checked without echoing them', async () => {
    for (const [field, value] of [
      ['phone', '12345'],
      ['email', 'not-an-address'],
    ] as const) {
      const result = await run(ADMIN, CREATE_PERSON, { input: { fullNameTh: 'ทดสอบ ติดต่อ', agencyId: CULTURE_OFFICE.id, [field]: value } });
      expect(result.code).toBe('BAD_USER_INPUT');
      expect(result.error?.extensions?.field).toBe(field);
      expect(JSON.stringify(result.error)).not.toContain(value);
    }
  });

  it('a person needs an existing, live agency', async () => {
    const missing = await run(ADMIN, CREATE_PERSON, { input: { fullNameTh: 'ทดสอบ', agencyId: 'no-such-agency' } });
    expect(missing.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
    const agency = await newAgency();
    await run(ADMIN, ARCHIVE_AGENCY, { input: { id: agency.id, version: 1 } });
    const archived = await run(ADMIN, CREATE_PERSON, { input: { fullNameTh: 'ทดสอบ', agencyId: agency.id } });
    expect(archived.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
  });

  it('a required field cannot be cleared, and unknown ids are NOT_FOUND', async () => {
    const agency = await newAgency();
    const cleared = await run(ADMIN, UPDATE_AGENCY, { input: { id: agency.id, version: 1, nameTh: null } });
    expect(cleared.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nameTh' });
    const unknown = await run(ADMIN, UPDATE_AGENCY, { input: { id: 'no-such-agency', version: 1, nameTh: 'ชื่อ' } });
    expect(unknown.code).toBe('NOT_FOUND');
  });
});

describe('writing', () => {
  it('normalizes Thai text and digits, fills the sector from the network, records the provenance', async () => {
    const nfd = 'ชมรม  ผู้สูงอายุ '.normalize('NFD');
    const { data } = await run(EDITOR_14, CREATE_AGENCY, {
      input: {
        nameTh: `  ${nfd}`,
        kind: 'COMMUNITY',
        provinceCode: 'TH-๑๔',
        districtCode: '๑๔๑๔',
        networkId: networkId('TH-14', 'COMMUNITY'),
      },
    });
    const agency = data!.createAgency.agency;
    expect(agency).toMatchObject({
      nameTh: 'ชมรม ผู้สูงอายุ',
      version: 1,
      archivedAt: null,
      province: { code: 'TH-14' },
      district: { code: '1414' },
      sector: { code: 'COMMUNITY' },
      source: { kind: 'USER_ENTRY', label: 'บันทึกผ่าน API โดย บรรณาธิการอยุธยา' },
    });
    expect(agency.nameTh).toBe(agency.nameTh.normalize('NFC'));
    const person = await run(EDITOR_14, CREATE_PERSON, {
      input: { fullNameTh: 'สมศรี ใจดี', agencyId: agency.id, phone: '+66 ๘๑ ๒๓๔ ๕๖๗๘', email: 'Somsri@Example.ORG' },
    });
    expect(person.data!.createPerson.person).toMatchObject({
      province: { code: 'TH-14' },
      phone: '0812345678',
      email: 'Somsri@example.org',
    });
  });

  it('an update that changes nothing writes nothing: same version, no audit entry', async () => {
    const agency = await newAgency(AYUTTHAYA, 'ชมรมไม่เปลี่ยน');
    const same = await run(EDITOR_14, UPDATE_AGENCY, { input: { id: agency.id, version: 1, nameTh: ' ชมรมไม่เปลี่ยน ', provinceCode: '14' } });
    expect(same.data!.updateAgency.agency.version).toBe(1);
    expect(await db().auditEntry.count({ where: { entityId: agency.id } })).toBe(1);
  });

  it('a stale version is a CONFLICT and changes nothing', async () => {
    const agency = await newAgency();
    const first = await run(EDITOR_14, UPDATE_AGENCY, { input: { id: agency.id, version: 1, nameTh: 'ชื่อของบรรณาธิการคนแรก' } });
    expect(first.data!.updateAgency.agency.version).toBe(2);
    const second = await run(ADMIN, UPDATE_AGENCY, { input: { id: agency.id, version: 1, nameTh: 'ชื่อของคนที่สอง' } });
    expect(second.error?.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, currentVersion: 2 });
    const stored = await db().agency.findUniqueOrThrow({ where: { id: agency.id } });
    expect({ nameTh: stored.nameTh, version: stored.version }).toEqual({ nameTh: 'ชื่อของบรรณาธิการคนแรก', version: 2 });
  });

  it('concurrent updates with the same version: exactly one wins', async () => {
    const agency = await newAgency();
    const results = await Promise.all(
      ['ชื่อเอ', 'ชื่อบี', 'ชื่อซี'].map((nameTh) => run(ADMIN, UPDATE_AGENCY, { input: { id: agency.id, version: 1, nameTh } })),
    );
    expect(results.filter((r) => !r.code)).toHaveLength(1);
    expect(results.filter((r) => r.code === 'CONFLICT')).toHaveLength(2);
    expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).version).toBe(2);
  });

  it('archives and restores; archived agencies leave lists and stats but are found by id, with their audit trail', async () => {
    const before = (await executeRaw(server, `{ agencies(provinceCode: "TH-14", first: 1) { totalCount } }`)).data!.agencies.totalCount;
    const agency = await newAgency(AYUTTHAYA, 'ชมรมที่จะเก็บถาวร');
    await run(ADMIN, UPDATE_AGENCY, { input: { id: agency.id, version: 1, nameEn: 'Archive me' } });
    const archived = await run(EDITOR_14, ARCHIVE_AGENCY, { input: { id: agency.id, version: 2, reason: 'ยุบชมรม' } });
    expect(archived.data!.archiveAgency.agency.archivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const again = await run(EDITOR_14, ARCHIVE_AGENCY, { input: { id: agency.id, version: 3 } });
    expect(again.code).toBe('BAD_USER_INPUT');
    const changeArchived = await run(EDITOR_14, UPDATE_AGENCY, { input: { id: agency.id, version: 3, nameTh: 'ชื่อใหม่' } });
    expect(changeArchived.code).toBe('BAD_USER_INPUT');

    const list = await executeRaw(server, `{ agencies(provinceCode: "TH-14", first: 1) { totalCount } }`);
    expect(list.data!.agencies.totalCount).toBe(before);
    const byId = await run(
      READER,
      `query($id: ID!) { agency(id: $id) { nameTh archivedAt auditTrail { operation reason actor { id role provinceCode name } changes { field before after } } } }`,
      {
        id: agency.id,
      },
    );
    const trail = byId.data!.agency.auditTrail;
    expect(trail.map((e: { operation: string }) => e.operation)).toEqual(['ARCHIVE', 'UPDATE', 'CREATE']);
    expect(trail[0]).toMatchObject({
      reason: 'ยุบชมรม',
      actor: { id: 'editor-14', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14', name: 'บรรณาธิการอยุธยา' },
    });
    expect(trail[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'nameEn', before: 'null', after: '"Archive me"' },
        { field: 'version', before: '1', after: '2' },
      ]),
    );

    const restored = await run(EDITOR_14, RESTORE_AGENCY, { input: { id: agency.id, version: 3 } });
    expect(restored.data!.restoreAgency.agency).toMatchObject({ archivedAt: null, version: 4 });
    expect((await executeRaw(server, `{ agencies(provinceCode: "TH-14", first: 1) { totalCount } }`)).data!.agencies.totalCount).toBe(
      before + 1,
    );
  });
});

describe('sectors and chapters: one rule for mutations and the importer', () => {
  it("puts an agency given a sector into its province's chapter of that sector, and moves it with the sector", async () => {
    const created = (
      await run(EDITOR_14, CREATE_AGENCY, {
        input: { nameTh: 'วัดทดสอบภาคี', kind: 'RELIGIOUS_ORGANIZATION', provinceCode: 'TH-14', sectorCode: 'religion' },
      })
    ).data!.createAgency.agency;
    expect({ network: created.network, sector: created.sector }).toEqual({
      network: { id: networkId('TH-14', 'RELIGION') },
      sector: { code: 'RELIGION' },
    });

    const moved = await run(EDITOR_14, UPDATE_AGENCY, { input: { id: created.id, version: created.version, sectorCode: 'MEDIA' } });
    expect(moved.error).toBeUndefined();
    const agency = moved.data!.updateAgency.agency;
    expect({ network: agency.network, sector: agency.sector }).toEqual({
      network: { id: networkId('TH-14', 'MEDIA') },
      sector: { code: 'MEDIA' },
    });

    // Another change leaves the chapter alone; clearing the sector leaves the chapter too, as an empty sector cell does on import.
    const renamed = (await run(EDITOR_14, UPDATE_AGENCY, { input: { id: agency.id, version: agency.version, districtCode: '1401' } })).data!
      .updateAgency.agency;
    expect(renamed.network).toEqual({ id: networkId('TH-14', 'MEDIA') });
    const cleared = (await run(EDITOR_14, UPDATE_AGENCY, { input: { id: renamed.id, version: renamed.version, sectorCode: null } })).data!
      .updateAgency.agency;
    expect({ network: cleared.network, sector: cleared.sector }).toEqual({ network: null, sector: null });
  });

  it('assigns the same chapter as the importer for the same row', async () => {
    const row = { nameTh: 'สื่อชุมชนทดสอบภาคี', kind: 'MEDIA', provinceCode: 'TH-14', sectorCode: 'MEDIA' };
    const imported = (
      await run(EDITOR_14, `mutation($input: ImportAgenciesInput!) { importAgencies(input: $input) { rows { id status } } }`, {
        input: { rows: [row] },
      })
    ).data!.importAgencies.rows[0];
    const created = (await run(EDITOR_14, CREATE_AGENCY, { input: { ...row, nameTh: 'สื่อชุมชนทดสอบภาคีสอง' } })).data!.createAgency.agency;
    const stored = await db().agency.findUniqueOrThrow({ where: { id: imported.id } });
    expect(imported.status).toBe('CREATED');
    expect(created.network.id).toBe(stored.networkId);
    expect(stored.networkId).toBe(networkId('TH-14', 'MEDIA'));
  });
});

describe('personal data (PDPA)', () => {
  it("contact details and audit trails: national staff and the person's own province read them; other provinces, partners and anonymous callers get null or a refusal", async () => {
    const person = await newPerson(CULTURE_OFFICE.id, 'สมชาย ทดสอบ');
    const query = `query($id: ID!) { person(id: $id) { fullNameTh phone email address } }`;
    const trailQuery = `query($id: ID!) { person(id: $id) { auditTrail { operation } } }`;
    for (const viewer of [ADMIN, EDITOR_14, READER]) {
      const { data } = await run(viewer, query, { id: person.id });
      expect(data!.person).toEqual({ fullNameTh: 'สมชาย ทดสอบ', phone: '0812345678', email: 'somchai@example.org', address: 'อยุธยา' });
      expect((await run(viewer, trailQuery, { id: person.id })).data!.person.auditTrail).toEqual([{ operation: 'CREATE' }]);
    }
    // Bangkok's editor sees an Ayutthaya person's name, as everyone does, but not how to reach them.
    const other = await run(EDITOR_10, query, { id: person.id });
    expect(other.error).toBeUndefined();
    expect(other.data!.person).toEqual({ fullNameTh: 'สมชาย ทดสอบ', phone: null, email: null, address: null });
    const otherTrail = await run(EDITOR_10, trailQuery, { id: person.id });
    expect(otherTrail.code).toBe('FORBIDDEN');
    expect(JSON.stringify(otherTrail)).not.toContain('0812345678');
    for (const viewer of [PARTNER, ANONYMOUS]) {
      const result = await run(viewer, query, { id: person.id });
      expect(result.error).toBeUndefined();
      expect(result.data!.person).toEqual({ fullNameTh: 'สมชาย ทดสอบ', phone: null, email: null, address: null });
      const trail = await run(viewer, `query($id: ID!) { person(id: $id) { auditTrail { operation } } }`, { id: person.id });
      expect(trail.code).toBe(viewer === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      expect(JSON.stringify(trail)).not.toContain('0812345678');
    }
  });

  it('the schema has no field for religion or national ID', async () => {
    const { data } = await executeRaw(server, `{ __type(name: "Person") { fields { name } } }`);
    const fields = (data!.__type.fields as { name: string }[]).map((f) => f.name.toLowerCase());
    expect(fields.filter((f) => /religion|national|citizen|idcard|pid/.test(f))).toEqual([]);
    expect(fields).toEqual(expect.arrayContaining(['fullnameth', 'positionth', 'affiliation']));
  });

  it('the seeded people are listed by name and position', async () => {
    const { data } = await run(PARTNER, `query($id: ID!) { person(id: $id) { fullNameTh positionTh affiliation { nameTh } phone } }`, {
      id: personId('jureeporn'),
    });
    expect(data!.person).toEqual({
      fullNameTh: 'จุรีพร ขันตี',
      positionTh: 'วัฒนธรรมจังหวัดพระนครศรีอยุธยา',
      affiliation: { nameTh: 'สำนักงานวัฒนธรรมจังหวัดพระนครศรีอยุธยา' },
      phone: null,
    });
  });
});

describe('batch imports', () => {
  const IMPORT_AGENCIES = `mutation($input: ImportAgenciesInput!) { importAgencies(input: $input) { created updated unchanged rejected dryRun rows { index status id problems { field message } } } }`;
  const IMPORT_PEOPLE = `mutation($input: ImportPeopleInput!) { importPeople(input: $input) { created updated unchanged rejected rows { index status id problems { field } } } }`;
  const rows = [
    { nameTh: 'วัดนำเข้าทดสอบ', kind: 'RELIGIOUS_ORGANIZATION', provinceCode: 'TH-14', districtCode: '1414', sectorCode: 'RELIGION' },
    { nameTh: 'โรงเรียนนำเข้าทดสอบ', kind: 'SCHOOL', provinceCode: '๑๔', sectorCode: 'education' },
    { nameTh: 'ชมรมอำเภอผิด', kind: 'COMMUNITY', provinceCode: 'TH-14', districtCode: '1001' },
    { nameTh: 'ชมรมกรุงเทพฯ', kind: 'COMMUNITY', provinceCode: 'TH-10' },
    { nameTh: ' วัดนำเข้าทดสอบ ', kind: 'RELIGIOUS_ORGANIZATION', provinceCode: 'TH-14' },
  ];

  it('creates the good rows, rejects each bad one alone with its field, and finds the chapter of the sector', async () => {
    const agencies = await db().agency.count();
    const dry = (await run(EDITOR_14, IMPORT_AGENCIES, { input: { rows, dryRun: true } })).data!.importAgencies;
    expect(dry).toMatchObject({ created: 2, rejected: 3, dryRun: true });
    expect(await db().agency.count()).toBe(agencies);

    const result = (await run(EDITOR_14, IMPORT_AGENCIES, { input: { rows, source: { label: 'agencies-2565.xlsx' } } })).data!
      .importAgencies;
    expect(result).toMatchObject({ created: 2, updated: 0, unchanged: 0, rejected: 3, dryRun: false });
    expect(result.rows.map((r: { status: string; problems: { field: string }[] }) => [r.status, r.problems.map((p) => p.field)])).toEqual([
      ['CREATED', []],
      ['CREATED', []],
      ['REJECTED', ['districtCode']],
      ['REJECTED', ['FORBIDDEN']],
      ['REJECTED', ['row']],
    ]);
    expect(await db().agency.count()).toBe(agencies + 2);
    const temple = await db().agency.findUniqueOrThrow({ where: { id: result.rows[0].id } });
    expect(temple).toMatchObject({
      networkId: networkId('TH-14', 'RELIGION'),
      sectorCode: 'RELIGION',
      sourceKind: 'IMPORT',
      sourceLabel: 'agencies-2565.xlsx',
    });
    expect(await db().auditEntry.count({ where: { entityId: temple.id, operation: 'CREATE' } })).toBe(1);
  });

  it('re-importing the same rows changes nothing; a changed row updates its record', async () => {
    const good = rows.slice(0, 2);
    const audit = await db().auditEntry.count();
    const again = (await run(EDITOR_14, IMPORT_AGENCIES, { input: { rows: good } })).data!.importAgencies;
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(await db().auditEntry.count()).toBe(audit);
    const changed = (await run(EDITOR_14, IMPORT_AGENCIES, { input: { rows: [{ ...good[1], nameEn: 'Imported School' }] } })).data!
      .importAgencies;
    expect(changed).toMatchObject({ updated: 1 });
    const school = await db().agency.findUniqueOrThrow({ where: { id: changed.rows[0].id } });
    expect({ nameEn: school.nameEn, version: school.version, sectorCode: school.sectorCode }).toEqual({
      nameEn: 'Imported School',
      version: 2,
      sectorCode: 'EDUCATION',
    });
  });

  it('imports people into the agencies named in their province', async () => {
    const result = (
      await run(EDITOR_14, IMPORT_PEOPLE, {
        input: {
          rows: [
            { fullNameTh: 'สมปอง นำเข้า', agencyNameTh: 'โรงเรียนนำเข้าทดสอบ', provinceCode: 'TH-14', phone: '๐๘๑๒๓๔๕๖๗๘' },
            { fullNameTh: 'สมปอง ไม่มีหน่วยงาน', agencyNameTh: 'ไม่มีหน่วยงานนี้', provinceCode: 'TH-14' },
          ],
        },
      })
    ).data!.importPeople;
    expect(result.rows.map((r: { status: string }) => r.status)).toEqual(['CREATED', 'REJECTED']);
    expect(result.rows[1].problems).toEqual([{ field: 'agencyNameTh' }]);
    const person = await db().person.findUniqueOrThrow({ where: { id: result.rows[0].id } });
    expect({ phone: person.phone, provinceCode: person.provinceCode }).toEqual({ phone: '0812345678', provinceCode: 'TH-14' });
  });

  it('finds agencies and people by Thai name in a province, one list per key', async () => {
    const { data } = await run(
      PARTNER,
      `query($keys: [NameKey!]!) { agenciesByName(keys: $keys) { id nameTh } peopleByName(keys: $keys) { fullNameTh } }`,
      {
        keys: [
          { provinceCode: '14', nameTh: ' วัดนำเข้าทดสอบ' },
          { provinceCode: 'TH-10', nameTh: 'วัดนำเข้าทดสอบ' },
          { provinceCode: 'TH-14', nameTh: 'สมปอง นำเข้า' },
        ],
      },
    );
    expect(data!.agenciesByName.map((list: unknown[]) => list.length)).toEqual([1, 0, 0]);
    expect(data!.peopleByName).toEqual([[], [], [{ fullNameTh: 'สมปอง นำเข้า' }]]);
  });

  it('readers, partners and anonymous callers cannot import', async () => {
    for (const [viewer, code] of [
      [READER, 'FORBIDDEN'],
      [PARTNER, 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await run(viewer, IMPORT_AGENCIES, { input: { rows } })).code).toBe(code);
    }
  });
});

describe('in Thai: a request with Accept-Language: th gets the Thai catalogue, with the same code and field', () => {
  const inThai = (viewer: Viewer, query: string, variables: Record<string, unknown>) =>
    postInThai(url, server.config.viewerSecret, viewer, query, variables);
  const IMPORT_AGENCIES = `mutation($input: ImportAgenciesInput!) { importAgencies(input: $input) { rows { status problems { field message } } } }`;
  const IMPORT_PEOPLE = `mutation($input: ImportPeopleInput!) { importPeople(input: $input) { rows { status problems { field message } } } }`;

  it('bad input, another province refused, an unknown id', async () => {
    const noProvince = await inThai(ADMIN, CREATE_AGENCY, {
      input: { nameTh: 'ชมรมไร้จังหวัด', kind: 'CIVIL_SOCIETY_GROUP', districtCode: '1401' },
    });
    expect(noProvince.errors?.[0]).toMatchObject({
      message: tIn('th', 'input.districtNeedsProvince'),
      extensions: { code: 'BAD_USER_INPUT', field: 'districtCode' },
    });
    const otherProvince = await inThai(EDITOR_10, UPDATE_AGENCY, { input: { id: CULTURE_OFFICE.id, version: 1, nameEn: 'x' } });
    expect(otherProvince.errors?.[0]).toMatchObject({
      message: 'ผู้แก้ไขระดับจังหวัดของ TH-10 ไม่มีสิทธิ์แก้ไขหน่วยงานใน TH-14',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(otherProvince.data?.updateAgency ?? null).toBeNull();
    const missing = await inThai(ADMIN, UPDATE_PERSON, { input: { id: 'ไม่มีบุคคลนี้', version: 1 } });
    expect(missing.errors?.[0]).toMatchObject({ message: 'ไม่พบบุคคล ไม่มีบุคคลนี้', extensions: { code: 'NOT_FOUND' } });
    // Without a preference the same problem is in English, in the wording common to every subgraph.
    const english = await run(ADMIN, CREATE_AGENCY, {
      input: { nameTh: 'ชมรมไร้จังหวัด', kind: 'CIVIL_SOCIETY_GROUP', districtCode: '1401' },
    });
    expect(english.error?.message).toBe(tIn('en', 'input.districtNeedsProvince'));
  });

  it('import row reasons, for the error file of a Thai clerk', async () => {
    const agencies = await inThai(ADMIN, IMPORT_AGENCIES, {
      input: {
        dryRun: true,
        rows: [
          { nameTh: 'ชมรมนำเข้าไร้จังหวัด', kind: 'CIVIL_SOCIETY_GROUP', districtCode: '1401' },
          { nameTh: 'ชมรมนำเข้าอำเภอผิด', kind: 'CIVIL_SOCIETY_GROUP', provinceCode: 'TH-14', districtCode: '1499' },
          { nameTh: 'ชมรมนำเข้าภาคส่วนผิด', kind: 'CIVIL_SOCIETY_GROUP', provinceCode: 'TH-14', sectorCode: 'no_such' },
        ],
      },
    });
    expect(agencies.data!.importAgencies.rows).toEqual([
      { status: 'REJECTED', problems: [{ field: 'districtCode', message: tIn('th', 'input.districtNeedsProvince') }] },
      { status: 'REJECTED', problems: [{ field: 'districtCode', message: 'districtCode 1499 ไม่ใช่อำเภอที่มีอยู่' }] },
      {
        status: 'REJECTED',
        problems: [{ field: 'sectorCode', message: expect.stringMatching(/^ไม่รู้จักภาคส่วน "NO_SUCH" ภาคส่วนที่มี: .*RELIGION/) }],
      },
    ]);
    const people = await inThai(EDITOR_14, IMPORT_PEOPLE, {
      input: { dryRun: true, rows: [{ fullNameTh: 'สมชาย นำเข้า', provinceCode: 'TH-14', agencyNameTh: 'หน่วยงานที่ไม่มีอยู่จริง' }] },
    });
    expect(people.data!.importPeople.rows).toEqual([
      {
        status: 'REJECTED',
        problems: [{ field: 'agencyNameTh', message: 'ไม่พบหน่วยงานชื่อ หน่วยงานที่ไม่มีอยู่จริง ใน TH-14: กรุณานำเข้าหน่วยงานนั้นก่อน' }],
      },
    ]);
  });
});

describe('a district of spaces is no district (common/districts.ts: one rule for writes and imports, as in activities)', () => {
  const IMPORT_AGENCIES = `mutation($input: ImportAgenciesInput!) { importAgencies(input: $input) { rows { status problems { field } } } }`;

  it('createAgency stores none; an import row gets none, and a malformed code is still refused', async () => {
    const created = await run(EDITOR_14, CREATE_AGENCY, {
      input: { nameTh: 'ชมรมอำเภอว่าง', kind: 'COMMUNITY', provinceCode: 'TH-14', districtCode: '   ' },
    });
    expect(created.code).toBeUndefined();
    expect(created.data!.createAgency.agency).toMatchObject({ nameTh: 'ชมรมอำเภอว่าง', district: null });

    const rows = [
      { nameTh: 'ชมรมนำเข้าอำเภอว่าง', kind: 'COMMUNITY', provinceCode: 'TH-14', districtCode: '  ' },
      { nameTh: 'ชมรมนำเข้าอำเภอผิดรูป', kind: 'COMMUNITY', provinceCode: 'TH-14', districtCode: '14x' },
    ];
    const imported = (await run(EDITOR_14, IMPORT_AGENCIES, { input: { rows } })).data!.importAgencies;
    expect(imported.rows).toEqual([
      { status: 'CREATED', problems: [] },
      { status: 'REJECTED', problems: [{ field: 'districtCode' }] },
    ]);
  });
});
