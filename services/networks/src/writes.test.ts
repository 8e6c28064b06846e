/**
 * Writes to network chapters and programme years (docs/WRITES.md): who may run each mutation (and
 * that a refused call changes nothing), the province scope, stale versions, validation with the
 * field named, normalization, the audit trail, and archived records left out of lists and
 * statistics but found by id. One server for the whole file; each test works in its own provinces
 * or on its own fixture rows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANONYMOUS, type Viewer } from '@moral-registry/common';
import { execute, executeRaw, inMemory, postInThai, VIEWERS, type ExecuteResult, withMessage } from '@moral-registry/common/testing';
import { networkId } from '@moral-registry/common/demo';
import { createServer } from './server.ts';

let server: Awaited<ReturnType<typeof createServer>>;
/** The subgraph over HTTP too, for requests in Thai (before anything runs in-process, which would start it). */
let url: string;
beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
  url = (await server.listen(0)).url;
});
afterAll(() => server?.close());

const { ADMIN, EDITOR_14, EDITOR_10, READER, PARTNER } = VIEWERS;

const NETWORK = `id version archivedAt nameTh nameEn province { code } sector { code } source { kind label url synthetic }`;
const YEAR = `id version archivedAt programmeYear fiscalYear targetBehaviourTh targetBehaviourEn targetVirtues province { code } source { kind label }`;

const MUTATIONS = {
  createNetwork: `mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { network { ${NETWORK} } } }`,
  updateNetwork: `mutation($input: UpdateNetworkInput!) { updateNetwork(input: $input) { network { ${NETWORK} } } }`,
  archiveNetwork: `mutation($input: ArchiveInput!) { archiveNetwork(input: $input) { network { ${NETWORK} } } }`,
  restoreNetwork: `mutation($input: RestoreInput!) { restoreNetwork(input: $input) { network { ${NETWORK} } } }`,
  createProgrammeYear: `mutation($input: CreateProgrammeYearInput!) { createProgrammeYear(input: $input) { programmeYear { ${YEAR} } } }`,
  updateProgrammeYear: `mutation($input: UpdateProgrammeYearInput!) { updateProgrammeYear(input: $input) { programmeYear { ${YEAR} } } }`,
  archiveProgrammeYear: `mutation($input: ArchiveInput!) { archiveProgrammeYear(input: $input) { programmeYear { ${YEAR} } } }`,
  restoreProgrammeYear: `mutation($input: RestoreInput!) { restoreProgrammeYear(input: $input) { programmeYear { ${YEAR} } } }`,
};
type Operation = keyof typeof MUTATIONS;
type Input = Record<string, unknown>;

const call = (viewer: Viewer, op: Operation, input: Input): Promise<ExecuteResult<Record<string, any>>> =>
  executeRaw(server, MUTATIONS[op], { input }, viewer);

/** Runs a mutation that must succeed and returns the record of its payload. */
async function write(viewer: Viewer, op: Operation, input: Input): Promise<Record<string, any>> {
  const data = await execute(server, MUTATIONS[op], { input }, viewer);
  return Object.values(data[op] as Record<string, Record<string, any>>)[0]!;
}

/** Everything a write could change: both tables and the audit trail. */
async function snapshot() {
  const prisma = server.db.client;
  const networks = await prisma.network.findMany({ orderBy: { id: 'asc' } });
  const years = await prisma.programmeYear.findMany({ orderBy: { id: 'asc' } });
  const audit = await prisma.auditEntry.count();
  return { networks, years, audit };
}

/** Expects the call to fail with `code` (and `field`) and the database to be as it was. */
async function refused(viewer: Viewer, op: Operation, input: Input, code: string, field?: string) {
  const before = await snapshot();
  const result = await call(viewer, op, input);
  withMessage(`${op} by ${viewer.id}: ${JSON.stringify(result)}`, () =>
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code,
      ...(field ? { field } : {}),
    }),
  );
  expect(result.data?.[op] ?? null).toBeNull();
  expect(await snapshot()).toEqual(before);
  return result.errors![0]!;
}

// ---- fixtures (written directly, without an audit entry) --------------------------------------

async function freeSector(provinceCode: string): Promise<string> {
  const prisma = server.db.client;
  const used = new Set((await prisma.network.findMany({ where: { provinceCode } })).map((n) => n.sectorCode));
  const sector = (await prisma.networkSector.findMany({ orderBy: { sortOrder: 'asc' } })).find((s) => !used.has(s.code));
  if (!sector) throw new Error(`no sector left in ${provinceCode}`);
  return sector.code;
}

async function networkFixture(provinceCode: string, archived = false) {
  const sectorCode = await freeSector(provinceCode);
  return server.db.client.network.create({
    data: {
      provinceCode,
      sectorCode,
      nameTh: `เครือข่ายทดสอบ ${sectorCode}`,
      sourceKind: 'SYNTHETIC',
      sourceLabel: 'writes test fixture',
      archivedAt: archived ? new Date() : null,
    },
  });
}

async function nextYear(provinceCode: string): Promise<number> {
  const last = await server.db.client.programmeYear.findFirst({ where: { provinceCode }, orderBy: { programmeYear: 'desc' } });
  return (last?.programmeYear ?? 0) + 1;
}

/** Programme year n of a province in fiscal year 2562 + n (Ayutthaya's year 1 is 2563). */
async function yearFixture(provinceCode: string, archived = false) {
  const programmeYear = await nextYear(provinceCode);
  return server.db.client.programmeYear.create({
    data: {
      provinceCode,
      programmeYear,
      fiscalYear: 2562 + programmeYear,
      targetBehaviourTh: 'ชาวจังหวัด มีวินัย',
      targetVirtues: ['DISCIPLINE'],
      sourceKind: 'SYNTHETIC',
      sourceLabel: 'writes test fixture',
      archivedAt: archived ? new Date() : null,
    },
  });
}

// ---- roles ---------------------------------------------------------------------------------------

interface MatrixCase {
  op: Operation;
  /** The editor of the record's province, and one of another province. */
  own: Viewer;
  other: Viewer;
  /** A fresh input that the allowed roles can run once. */
  prepare(): Promise<Input>;
  /** The version the payload must show. */
  version(input: Input): number;
}

const bumped = (input: Input) => (input.version as number) + 1;
const created = () => 1;

// Network chapters are tried in Bangkok (no seeded chapters), programme years in Ayutthaya (years 1–3 seeded).
const MATRIX: MatrixCase[] = [
  {
    op: 'createNetwork',
    own: EDITOR_10,
    other: EDITOR_14,
    prepare: async () => ({ provinceCode: 'TH-10', sectorCode: await freeSector('TH-10'), nameTh: 'เครือข่ายทดสอบ กรุงเทพมหานคร' }),
    version: created,
  },
  {
    op: 'updateNetwork',
    own: EDITOR_10,
    other: EDITOR_14,
    prepare: async () => {
      const n = await networkFixture('TH-10');
      return { id: n.id, version: n.version, nameTh: 'เครือข่ายทดสอบ (ชื่อใหม่)' };
    },
    version: bumped,
  },
  {
    op: 'archiveNetwork',
    own: EDITOR_10,
    other: EDITOR_14,
    prepare: async () => {
      const n = await networkFixture('TH-10');
      return { id: n.id, version: n.version, reason: 'ทดสอบ' };
    },
    version: bumped,
  },
  {
    op: 'restoreNetwork',
    own: EDITOR_10,
    other: EDITOR_14,
    prepare: async () => {
      const n = await networkFixture('TH-10', true);
      return { id: n.id, version: n.version };
    },
    version: bumped,
  },
  {
    op: 'createProgrammeYear',
    own: EDITOR_14,
    other: EDITOR_10,
    prepare: async () => {
      const programmeYear = await nextYear('TH-14');
      return {
        provinceCode: 'TH-14',
        programmeYear,
        fiscalYear: 2562 + programmeYear,
        targetBehaviourTh: 'ชาวอยุธยา มีวินัย ใส่ใจส่วนรวม',
        targetVirtues: ['DISCIPLINE'],
      };
    },
    version: created,
  },
  {
    op: 'updateProgrammeYear',
    own: EDITOR_14,
    other: EDITOR_10,
    prepare: async () => {
      const y = await yearFixture('TH-14');
      return { id: y.id, version: y.version, targetVirtues: ['HONESTY'] };
    },
    version: bumped,
  },
  {
    op: 'archiveProgrammeYear',
    own: EDITOR_14,
    other: EDITOR_10,
    prepare: async () => {
      const y = await yearFixture('TH-14');
      return { id: y.id, version: y.version };
    },
    version: bumped,
  },
  {
    op: 'restoreProgrammeYear',
    own: EDITOR_14,
    other: EDITOR_10,
    prepare: async () => {
      const y = await yearFixture('TH-14', true);
      return { id: y.id, version: y.version, reason: 'กู้คืน' };
    },
    version: bumped,
  },
];

describe('who may write', () => {
  for (const c of MATRIX) {
    it(`${c.op}: national admin and the province's editor; not another province's editor, a reader, a partner or anonymous`, async () => {
      const input = await c.prepare();
      const other = await refused(c.other, c.op, input, 'FORBIDDEN');
      expect(other.message).toContain(c.other.provinceCode!);
      await refused(READER, c.op, input, 'FORBIDDEN');
      await refused(PARTNER, c.op, input, 'FORBIDDEN');
      await refused(ANONYMOUS, c.op, input, 'UNAUTHENTICATED');

      const audit = await server.db.client.auditEntry.count();
      expect((await write(ADMIN, c.op, input)).version).toBe(c.version(input));
      const ownInput = await c.prepare();
      expect((await write(c.own, c.op, ownInput)).version).toBe(c.version(ownInput));
      expect(await server.db.client.auditEntry.count()).toBe(audit + 2);
    });
  }

  it('shows the audit trail to staff only; the records themselves are public', async () => {
    const network = await write(ADMIN, 'createNetwork', {
      provinceCode: 'TH-11',
      sectorCode: 'RELIGION',
      nameTh: 'เครือข่ายศาสนา สมุทรปราการ',
    });
    const year = await write(ADMIN, 'createProgrammeYear', {
      provinceCode: 'TH-11',
      programmeYear: 1,
      fiscalYear: 2566,
      targetBehaviourTh: 'ชาวสมุทรปราการ มีจิตอาสา',
      targetVirtues: ['VOLUNTEERISM'],
    });
    const query = `query($n: ID!, $y: ID!) { network(id: $n) { id auditTrail { operation actor { id } } } programmeYear(id: $y) { id auditTrail { operation } } }`;
    for (const viewer of [ADMIN, EDITOR_14, EDITOR_10, READER]) {
      const data = await execute(server, query, { n: network.id, y: year.id }, viewer);
      expect(data.network.auditTrail).toEqual([{ operation: 'CREATE', actor: { id: 'admin-1' } }]);
      expect(data.programmeYear.auditTrail).toEqual([{ operation: 'CREATE' }]);
    }
    for (const [viewer, code] of [
      [PARTNER, 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const) {
      const result = await executeRaw(server, query, { n: network.id, y: year.id }, viewer);
      // Both fields fail; the order of the errors follows the order the resolvers finish in.
      expect(result.errors?.map((e) => [e.path?.join('.'), e.extensions?.code]).sort()).toEqual([
        ['network.auditTrail', code],
        ['programmeYear.auditTrail', code],
      ]);
      expect(result.data).toEqual({ network: null, programmeYear: null });
      const open = await execute(server, `query($n: ID!) { network(id: $n) { nameTh version archivedAt } }`, { n: network.id }, viewer);
      expect(open.network).toEqual({ nameTh: 'เครือข่ายศาสนา สมุทรปราการ', version: 1, archivedAt: null });
    }
  });
});

// ---- versions ------------------------------------------------------------------------------------

describe('stale versions', () => {
  const EDITOR_20A: Viewer = { id: 'editor-20a', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-20' };
  const EDITOR_20B: Viewer = { id: 'editor-20b', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-20' };

  it('lets the first of two editors who read the same version win; the second gets CONFLICT and changes nothing', async () => {
    const { id } = await networkFixture('TH-20');
    const read = `query($id: ID!) { network(id: $id) { version nameTh } }`;
    const [a, b] = await Promise.all([execute(server, read, { id }, EDITOR_20A), execute(server, read, { id }, EDITOR_20B)]);
    expect(a.network.version).toBe(b.network.version);
    const version = a.network.version as number;

    const first = await write(EDITOR_20A, 'updateNetwork', { id, version, nameTh: 'เครือข่ายของบรรณาธิการคนแรก' });
    expect(first.version).toBe(version + 1);
    const conflict = await refused(EDITOR_20B, 'updateNetwork', { id, version, nameTh: 'เครือข่ายของบรรณาธิการคนที่สอง' }, 'CONFLICT');
    expect(conflict.extensions).toMatchObject({ expectedVersion: version, currentVersion: version + 1 });
    await refused(EDITOR_20B, 'archiveNetwork', { id, version }, 'CONFLICT');
    const row = await server.db.client.network.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ nameTh: 'เครือข่ายของบรรณาธิการคนแรก', version: version + 1 });
  });

  it('lets exactly one of two simultaneous updates with the same version through', async () => {
    const year = await yearFixture('TH-20');
    const results = await Promise.all(
      [EDITOR_20A, EDITOR_20B].map((viewer, i) =>
        call(viewer, 'updateProgrammeYear', { id: year.id, version: year.version, targetBehaviourTh: `ชาวจังหวัด มีวินัย รอบที่ ${i + 1}` }),
      ),
    );
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const winner = results.find((r) => !r.errors)!.data.updateProgrammeYear.programmeYear;
    const row = await server.db.client.programmeYear.findUniqueOrThrow({ where: { id: year.id } });
    expect(row).toMatchObject({ version: year.version + 1, targetBehaviourTh: winner.targetBehaviourTh });
    expect(await server.db.client.auditEntry.count({ where: { entityId: year.id } })).toBe(1);
  });
});

// ---- validation ----------------------------------------------------------------------------------

describe('bad inputs', () => {
  const chapter = (fields: Input) => ({ provinceCode: 'TH-21', sectorCode: 'RELIGION', nameTh: 'เครือข่ายศาสนา ระยอง', ...fields });

  it('refuses bad network chapters with the field named, and changes nothing', async () => {
    await refused(ADMIN, 'createNetwork', chapter({ nameTh: '   ' }), 'BAD_USER_INPUT', 'nameTh');
    await refused(ADMIN, 'createNetwork', chapter({ nameTh: 'Religion network, Rayong' }), 'BAD_USER_INPUT', 'nameTh');
    await refused(ADMIN, 'createNetwork', chapter({ nameTh: 'ก'.repeat(301) }), 'BAD_USER_INPUT', 'nameTh');
    await refused(ADMIN, 'createNetwork', chapter({ provinceCode: 'TH-99' }), 'BAD_USER_INPUT', 'provinceCode');
    await refused(ADMIN, 'createNetwork', chapter({ provinceCode: 'Rayong' }), 'BAD_USER_INPUT', 'provinceCode');
    const sector = await refused(ADMIN, 'createNetwork', chapter({ sectorCode: 'SPORTS' }), 'BAD_USER_INPUT', 'sectorCode');
    expect(sector.message).toContain('AGRICULTURE');
    await refused(ADMIN, 'createNetwork', chapter({ source: { kind: 'REFERENCE_DATA' } }), 'BAD_USER_INPUT', 'source.kind');
    await refused(ADMIN, 'createNetwork', chapter({ source: { kind: 'SOURCE_DOCUMENT' } }), 'BAD_USER_INPUT', 'source.kind');
    await refused(ADMIN, 'createNetwork', chapter({ source: { url: 'javascript:alert(1)' } }), 'BAD_USER_INPUT', 'source.url');
    // A provincial editor is refused in another province before its input is looked at.
    await refused(EDITOR_14, 'createNetwork', chapter({ nameTh: '' }), 'FORBIDDEN');
  });

  it('allows one chapter per province and sector, naming the existing one (and saying to restore it when archived)', async () => {
    const taken = await refused(
      ADMIN,
      'createNetwork',
      chapter({ provinceCode: 'TH-14', sectorCode: 'religion' }),
      'BAD_USER_INPUT',
      'sectorCode',
    );
    expect(taken.message).toContain(networkId('TH-14', 'RELIGION'));
    expect(taken.message).not.toContain('restore');
    const archived = await networkFixture('TH-21', true);
    const again = await refused(ADMIN, 'createNetwork', chapter({ sectorCode: archived.sectorCode }), 'BAD_USER_INPUT', 'sectorCode');
    expect(again.message).toContain(archived.id);
    expect(again.message).toContain('restoreNetwork');
  });

  it('lets one of two simultaneous creates of the same chapter through; the other is told which chapter exists', async () => {
    const input = chapter({ provinceCode: 'TH-24', sectorCode: 'EDUCATION', nameTh: 'เครือข่ายการศึกษา ฉะเชิงเทรา' });
    const results = await Promise.all([call(ADMIN, 'createNetwork', input), call(ADMIN, 'createNetwork', input)]);
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['BAD_USER_INPUT', 'OK']);
    const winner = results.find((r) => !r.errors)!.data.createNetwork.network;
    const loser = results.find((r) => r.errors)!.errors![0]!;
    expect(loser.extensions).toMatchObject({ field: 'sectorCode' });
    expect(loser.message).toContain(winner.id);
    const rows = await server.db.client.network.findMany({ where: { provinceCode: 'TH-24' } });
    expect(rows.map((r) => r.id)).toEqual([winner.id]);
    expect(await server.db.client.auditEntry.count({ where: { entityId: winner.id } })).toBe(1);
  });

  it('refuses bad chapter updates: required name cleared or not Thai, archived chapter, unknown id', async () => {
    const live = await networkFixture('TH-21');
    await refused(ADMIN, 'updateNetwork', { id: live.id, version: live.version, nameTh: null }, 'BAD_USER_INPUT', 'nameTh');
    await refused(ADMIN, 'updateNetwork', { id: live.id, version: live.version, nameTh: 'Network' }, 'BAD_USER_INPUT', 'nameTh');
    const archived = await networkFixture('TH-21', true);
    const update = await refused(
      ADMIN,
      'updateNetwork',
      { id: archived.id, version: archived.version, nameTh: 'เครือข่าย' },
      'BAD_USER_INPUT',
      'id',
    );
    expect(update.message).toContain('restore');
    await refused(ADMIN, 'archiveNetwork', { id: archived.id, version: archived.version }, 'BAD_USER_INPUT', 'id');
    await refused(ADMIN, 'restoreNetwork', { id: live.id, version: live.version }, 'BAD_USER_INPUT', 'id');
  });

  const year = (fields: Input) => ({
    provinceCode: 'TH-21',
    programmeYear: 1,
    fiscalYear: 2566,
    targetBehaviourTh: 'ชาวระยอง สุจริต',
    targetVirtues: ['HONESTY'],
    ...fields,
  });

  it('refuses bad programme years with the field named, and changes nothing', async () => {
    await refused(ADMIN, 'createProgrammeYear', year({ programmeYear: 0 }), 'BAD_USER_INPUT', 'programmeYear');
    await refused(ADMIN, 'createProgrammeYear', year({ programmeYear: 51 }), 'BAD_USER_INPUT', 'programmeYear');
    const ce = await refused(ADMIN, 'createProgrammeYear', year({ fiscalYear: 2022 }), 'BAD_USER_INPUT', 'fiscalYear');
    expect(ce.message).toContain('2565');
    await refused(ADMIN, 'createProgrammeYear', year({ fiscalYear: 2900 }), 'BAD_USER_INPUT', 'fiscalYear');
    await refused(ADMIN, 'createProgrammeYear', year({ targetBehaviourTh: ' \n ' }), 'BAD_USER_INPUT', 'targetBehaviourTh');
    await refused(ADMIN, 'createProgrammeYear', year({ targetBehaviourTh: 'Honest Rayong' }), 'BAD_USER_INPUT', 'targetBehaviourTh');
    await refused(ADMIN, 'createProgrammeYear', year({ targetVirtues: [] }), 'BAD_USER_INPUT', 'targetVirtues');
    await refused(ADMIN, 'createProgrammeYear', year({ provinceCode: 'TH-00' }), 'BAD_USER_INPUT', 'provinceCode');
    await refused(ADMIN, 'createProgrammeYear', year({ source: { kind: 'REFERENCE_DATA' } }), 'BAD_USER_INPUT', 'source.kind');
  });

  it('keeps programme year and fiscal year unique per province, archived years included', async () => {
    const first = await yearFixture('TH-22'); // year 1, FY2563
    const archived = await yearFixture('TH-22', true); // year 2, FY2564
    const base = { provinceCode: 'TH-22', targetBehaviourTh: 'ชาวจันทบุรี กตัญญู', targetVirtues: ['GRATITUDE'] };
    const byYear = await refused(
      ADMIN,
      'createProgrammeYear',
      { ...base, programmeYear: 1, fiscalYear: 2570 },
      'BAD_USER_INPUT',
      'programmeYear',
    );
    expect(byYear.message).toContain(first.id);
    const byFiscal = await refused(
      ADMIN,
      'createProgrammeYear',
      { ...base, programmeYear: 9, fiscalYear: 2564 },
      'BAD_USER_INPUT',
      'fiscalYear',
    );
    expect(byFiscal.message).toContain(archived.id);
    expect(byFiscal.message).toContain('restoreProgrammeYear');
    // The same numbers in another province are fine.
    expect(
      (await write(ADMIN, 'createProgrammeYear', { ...base, provinceCode: 'TH-23', programmeYear: 1, fiscalYear: 2563 })).version,
    ).toBe(1);
    // Updates: to another year's numbers, required fields cleared, bad values.
    const at = { id: first.id, version: first.version };
    await refused(ADMIN, 'updateProgrammeYear', { ...at, programmeYear: 2 }, 'BAD_USER_INPUT', 'programmeYear');
    await refused(ADMIN, 'updateProgrammeYear', { ...at, fiscalYear: 2564 }, 'BAD_USER_INPUT', 'fiscalYear');
    await refused(ADMIN, 'updateProgrammeYear', { ...at, fiscalYear: 2023 }, 'BAD_USER_INPUT', 'fiscalYear');
    await refused(ADMIN, 'updateProgrammeYear', { ...at, programmeYear: null }, 'BAD_USER_INPUT', 'programmeYear');
    await refused(ADMIN, 'updateProgrammeYear', { ...at, fiscalYear: null }, 'BAD_USER_INPUT', 'fiscalYear');
    await refused(ADMIN, 'updateProgrammeYear', { ...at, targetBehaviourTh: null }, 'BAD_USER_INPUT', 'targetBehaviourTh');
    await refused(ADMIN, 'updateProgrammeYear', { ...at, targetVirtues: null }, 'BAD_USER_INPUT', 'targetVirtues');
    await refused(ADMIN, 'updateProgrammeYear', { ...at, targetVirtues: [] }, 'BAD_USER_INPUT', 'targetVirtues');
    await refused(ADMIN, 'updateProgrammeYear', { id: archived.id, version: archived.version, programmeYear: 5 }, 'BAD_USER_INPUT', 'id');
    // Keeping its own numbers is not a clash with itself.
    expect((await write(ADMIN, 'updateProgrammeYear', { ...at, programmeYear: 1, fiscalYear: 2563 })).version).toBe(2);
  });

  it('answers NOT_FOUND for unknown ids', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [op, entity] of [
      ['updateNetwork', 'Network'],
      ['archiveNetwork', 'Network'],
      ['restoreNetwork', 'Network'],
      ['updateProgrammeYear', 'ProgrammeYear'],
      ['archiveProgrammeYear', 'ProgrammeYear'],
      ['restoreProgrammeYear', 'ProgrammeYear'],
    ] as const) {
      const error = await refused(ADMIN, op, { id, version: 1 }, 'NOT_FOUND');
      expect(error.extensions).toMatchObject({ entity, id });
    }
    const data = await execute(server, `query($id: ID!) { network(id: $id) { id } programmeYear(id: $id) { id } }`, { id });
    expect(data).toEqual({ network: null, programmeYear: null });
  });
});

// ---- normalization, audit trail, archive and restore -------------------------------------------

const EDITOR_50: Viewer = { id: 'editor-50', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-50', name: 'บรรณาธิการเชียงใหม่' };

interface Counts {
  networks: string[];
  province: number;
  sectorsCovered: number;
  region: number;
  nation: number;
  rank: number;
}

async function chiangMaiCounts(): Promise<Counts> {
  const data = await execute(
    server,
    `{ province(code: "TH-50") { networks { id } networkStats { chapters sectorsCovered } }
       region(code: "NORTH") { networkStats { chapters } } nation { networkStats { chapters } }
       networkRanking(region: "NORTH") { value province { code } } }`,
  );
  return {
    networks: data.province.networks.map((n: { id: string }) => n.id),
    province: data.province.networkStats.chapters,
    sectorsCovered: data.province.networkStats.sectorsCovered,
    region: data.region.networkStats.chapters,
    nation: data.nation.networkStats.chapters,
    rank: data.networkRanking.find((r: { province: { code: string } }) => r.province.code === 'TH-50').value,
  };
}

describe('a network chapter from creation to restoration', () => {
  it('normalizes input, writes an audit entry per write, and leaves an archived chapter out of lists and stats only', async () => {
    const start = await chiangMaiCounts();
    const network = await write(ADMIN, 'createNetwork', {
      provinceCode: '๕๐',
      sectorCode: ' media ',
      nameTh: '  เครือข่าย   สื่อมวลชน \n จังหวัดเชียงใหม่ ',
      nameEn: 'Cafe\u0301 media network ',
    });
    expect(network).toMatchObject({
      version: 1,
      archivedAt: null,
      nameTh: 'เครือข่าย สื่อมวลชน จังหวัดเชียงใหม่',
      nameEn: 'Café media network',
      province: { code: 'TH-50' },
      sector: { code: 'MEDIA' },
      source: { kind: 'USER_ENTRY', label: 'บันทึกผ่าน API โดย ผู้ดูแลระบบ', url: null, synthetic: false },
    });
    const { id } = network;
    expect(await chiangMaiCounts()).toEqual({
      networks: [...start.networks, id],
      province: start.province + 1,
      sectorsCovered: start.sectorsCovered + 1,
      region: start.region + 1,
      nation: start.nation + 1,
      rank: start.rank + 1,
    });

    const renamed = await write(EDITOR_50, 'updateNetwork', { id, version: 1, nameTh: 'เครือข่ายสื่อมวลชน จังหวัดเชียงใหม่', nameEn: null });
    expect(renamed).toMatchObject({ version: 2, nameTh: 'เครือข่ายสื่อมวลชน จังหวัดเชียงใหม่', nameEn: null, sector: { code: 'MEDIA' } });

    const archived = await write(EDITOR_50, 'archiveNetwork', { id, version: 2, reason: '  ซ้ำกับ   เครือข่ายอื่น ' });
    expect(archived.version).toBe(3);
    expect(Date.parse(archived.archivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await chiangMaiCounts()).toEqual(start);
    // Found by id, as an entity too (the agencies subgraph asks for this selection), with its trail.
    const entities = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Network { id archivedAt province { code } sector { code } } } }`,
      {
        reps: [
          { __typename: 'Network', id },
          { __typename: 'Network', id: networkId('TH-14', 'MEDIA') },
          { __typename: 'Network', id: 'no-such-network' },
        ],
      },
    );
    expect(entities._entities).toEqual([
      { id, archivedAt: archived.archivedAt, province: { code: 'TH-50' }, sector: { code: 'MEDIA' } },
      { id: networkId('TH-14', 'MEDIA'), archivedAt: null, province: { code: 'TH-14' }, sector: { code: 'MEDIA' } },
      null,
    ]);

    const restored = await write(ADMIN, 'restoreNetwork', { id, version: 3, reason: 'ยังใช้งานอยู่' });
    expect(restored).toMatchObject({ version: 4, archivedAt: null });
    expect((await chiangMaiCounts()).province).toBe(start.province + 1);

    const { network: withTrail } = await execute(
      server,
      `query($id: ID!) { network(id: $id) { auditTrail { id at operation reason requestId actor { id role provinceCode name } changes { field before after } } } }`,
      { id },
      READER,
    );
    const trail = withTrail.auditTrail;
    expect(trail.map((e: { operation: string }) => e.operation)).toEqual(['RESTORE', 'ARCHIVE', 'UPDATE', 'CREATE']);
    expect(trail.map((e: { actor: unknown }) => e.actor)).toEqual([
      { id: 'admin-1', role: 'NATIONAL_ADMIN', provinceCode: null, name: 'ผู้ดูแลระบบ' },
      { id: 'editor-50', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-50', name: 'บรรณาธิการเชียงใหม่' },
      { id: 'editor-50', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-50', name: 'บรรณาธิการเชียงใหม่' },
      { id: 'admin-1', role: 'NATIONAL_ADMIN', provinceCode: null, name: 'ผู้ดูแลระบบ' },
    ]);
    expect(trail.map((e: { reason: string | null }) => e.reason)).toEqual(['ยังใช้งานอยู่', 'ซ้ำกับ เครือข่ายอื่น', null, null]);
    const changes = (i: number) =>
      Object.fromEntries(
        trail[i].changes.map((c: { field: string; before: string | null; after: string | null }) => [c.field, [c.before, c.after]]),
      );
    expect(changes(2)).toEqual({
      nameTh: ['"เครือข่าย สื่อมวลชน จังหวัดเชียงใหม่"', '"เครือข่ายสื่อมวลชน จังหวัดเชียงใหม่"'],
      nameEn: ['"Café media network"', 'null'],
      version: ['1', '2'],
    });
    expect(changes(1)).toEqual({ archivedAt: ['null', JSON.stringify(archived.archivedAt)], version: ['2', '3'] });
    expect(changes(0)).toEqual({ archivedAt: [JSON.stringify(archived.archivedAt), 'null'], version: ['3', '4'] });
    expect(changes(3)).toMatchObject({ id: [null, JSON.stringify(id)], provinceCode: [null, '"TH-50"'], sectorCode: [null, '"MEDIA"'] });
    expect(trail.every((e: { at: string }) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    // The rows themselves: one per write, JSON before and after.
    const rows = await server.db.client.auditEntry.findMany({ where: { entityType: 'Network', entityId: id } });
    expect(rows).toHaveLength(4);
  });
});

describe('a programme year from creation to restoration', () => {
  it('normalizes input, keeps an audit trail readable after archiving, and leaves an archived year out of the province', async () => {
    const year = await write(EDITOR_10, 'createProgrammeYear', {
      provinceCode: '๑๐',
      programmeYear: 1,
      fiscalYear: 2566,
      targetBehaviourTh: ' ชาวกรุงเทพฯ   มีวินัย\tสุจริต ',
      targetBehaviourEn: 'Bangkok people are disciplined and honest',
      targetVirtues: ['DISCIPLINE', 'HONESTY', 'DISCIPLINE'],
      source: { kind: 'IMPORT', label: 'แบบฟอร์ม  จังหวัด ', url: ' https://example.org/bkk ' },
    });
    expect(year).toMatchObject({
      version: 1,
      archivedAt: null,
      programmeYear: 1,
      fiscalYear: 2566,
      targetBehaviourTh: 'ชาวกรุงเทพฯ มีวินัย สุจริต',
      targetVirtues: ['DISCIPLINE', 'HONESTY'],
      province: { code: 'TH-10' },
      source: { kind: 'IMPORT', label: 'แบบฟอร์ม จังหวัด' },
    });
    const updated = await write(EDITOR_10, 'updateProgrammeYear', {
      id: year.id,
      version: 1,
      targetBehaviourEn: null,
      targetVirtues: ['SUFFICIENCY'],
    });
    expect(updated).toMatchObject({
      version: 2,
      targetBehaviourEn: null,
      targetVirtues: ['SUFFICIENCY'],
      fiscalYear: 2566,
      programmeYear: 1,
    });

    const list = `{ province(code: "TH-10") { programmeYears { id } } }`;
    expect((await execute(server, list)).province.programmeYears).toEqual([{ id: year.id }]);
    const archived = await write(EDITOR_10, 'archiveProgrammeYear', { id: year.id, version: 2, reason: 'บันทึกผิดปี' });
    expect(archived.archivedAt).not.toBeNull();
    expect((await execute(server, list)).province.programmeYears).toEqual([]);
    const byId = await execute(
      server,
      `query($id: ID!) { programmeYear(id: $id) { archivedAt version auditTrail { operation reason actor { id } } } }`,
      { id: year.id },
      EDITOR_14,
    );
    expect(byId.programmeYear).toEqual({
      archivedAt: archived.archivedAt,
      version: 3,
      auditTrail: [
        { operation: 'ARCHIVE', reason: 'บันทึกผิดปี', actor: { id: 'editor-10' } },
        { operation: 'UPDATE', reason: null, actor: { id: 'editor-10' } },
        { operation: 'CREATE', reason: null, actor: { id: 'editor-10' } },
      ],
    });
    const restored = await write(EDITOR_10, 'restoreProgrammeYear', { id: year.id, version: 3 });
    expect(restored).toMatchObject({ version: 4, archivedAt: null });
    expect((await execute(server, list)).province.programmeYears).toEqual([{ id: year.id }]);
    const row = await server.db.client.programmeYear.findUniqueOrThrow({ where: { id: year.id } });
    expect(row).toMatchObject({ sourceKind: 'IMPORT', sourceUrl: 'https://example.org/bkk', version: 4, archivedAt: null });
  });
});

describe('in Thai: a request with Accept-Language: th gets the Thai catalogue, with the same code and field', () => {
  /** A request as the gateway forwards it for a Thai user. */
  async function inThai(viewer: Viewer, op: Operation, input: Input) {
    const body = await postInThai(url, server.config.viewerSecret, viewer, MUTATIONS[op], { input });
    expect(body.data?.[op] ?? null).toBeNull();
    return body.errors?.[0];
  }

  it('bad input, another province refused, an unknown id', async () => {
    const year = {
      provinceCode: 'TH-14',
      programmeYear: 0,
      fiscalYear: 2599,
      targetBehaviourTh: 'จิตอาสา',
      targetVirtues: ['VOLUNTEERISM'],
    };
    expect(await inThai(ADMIN, 'createProgrammeYear', year)).toMatchObject({
      message: 'programmeYear ต้องเป็นจำนวนเต็มตั้งแต่ 1 (ปีแรกของจังหวัด) ถึง 50 (ได้รับ 0)',
      extensions: { code: 'BAD_USER_INPUT', field: 'programmeYear' },
    });
    expect(await inThai(ADMIN, 'createNetwork', { provinceCode: 'TH-14', sectorCode: 'NO_SUCH', nameTh: 'เครือข่าย' })).toMatchObject({
      message: expect.stringMatching(/^ไม่รู้จักภาคส่วน "NO_SUCH" ภาคส่วนที่มี: .*RELIGION/),
      extensions: { code: 'BAD_USER_INPUT', field: 'sectorCode' },
    });
    expect(await inThai(EDITOR_10, 'createNetwork', { provinceCode: 'TH-14', sectorCode: 'RELIGION', nameTh: 'เครือข่าย' })).toMatchObject({
      message: 'ผู้แก้ไขระดับจังหวัดของ TH-10 ไม่มีสิทธิ์เพิ่มเครือข่ายใน TH-14',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await inThai(ADMIN, 'archiveNetwork', { id: 'ไม่มีเครือข่ายนี้', version: 1 })).toMatchObject({
      message: 'ไม่พบเครือข่าย ไม่มีเครือข่ายนี้',
      extensions: { code: 'NOT_FOUND' },
    });
    // Without a preference the same refusal is in English.
    const english = await call(EDITOR_10, 'createNetwork', { provinceCode: 'TH-14', sectorCode: 'RELIGION', nameTh: 'เครือข่าย' });
    expect(english.errors?.[0]?.message).toBe('A provincial editor of TH-10 may not add network chapters in TH-14');
  });
});
