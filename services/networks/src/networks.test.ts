import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execute, executeRaw, inMemory } from '@moral-registry/common/testing';
import { networkId } from '@moral-registry/common/demo';
import { createServer, seed } from './server.ts';

let server: Awaited<ReturnType<typeof createServer>>;
beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
}, 240_000);
afterAll(() => server?.close(), 240_000);

describe('networks subgraph', () => {
  it('lists the 77 provinces with ISO codes, Thai and English names', async () => {
    const data = await execute(server, `{ provinces { code dopaCode nameTh nameEn region { code } } }`);
    expect(data.provinces).toHaveLength(77);
    expect(data.provinces.find((p: { code: string }) => p.code === 'TH-10')).toMatchObject({
      dopaCode: '10',
      nameTh: 'กรุงเทพมหานคร',
      region: { code: 'BKK' },
    });
    expect(data.provinces.find((p: { code: string }) => p.code === 'TH-38')).toMatchObject({
      nameTh: 'บึงกาฬ',
      nameEn: 'Bueng Kan',
      region: { code: 'NORTHEAST' },
    });
    expect(data.provinces.some((p: { code: string }) => p.code === 'TH-S')).toBe(false);
  });

  it('groups provinces into the 7 NSO regions and the 4 MPC regions', async () => {
    const data = await execute(
      server,
      `{ nso: regions { code provinces { code } } mpc: regions(grouping: MPC) { code provinces { code } } central: provinces(region: "central") { code } }`,
    );
    expect(Object.fromEntries(data.nso.map((r: { code: string; provinces: unknown[] }) => [r.code, r.provinces.length]))).toEqual({
      BKK: 6,
      CENTRAL: 6,
      EAST: 8,
      WEST: 6,
      NORTH: 17,
      NORTHEAST: 20,
      SOUTH: 14,
    });
    expect(data.mpc.reduce((n: number, r: { provinces: unknown[] }) => n + r.provinces.length, 0)).toBe(77);
    expect(data.central.map((p: { code: string }) => p.code)).toEqual(['TH-14', 'TH-15', 'TH-16', 'TH-17', 'TH-18', 'TH-19']);
  });

  it('rejects an unknown region and a malformed province code, and returns null for a province that does not exist', async () => {
    const region = await executeRaw(server, `{ provinces(region: "MIDWEST") { code } }`);
    expect(region.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'region' } });
    expect(region.errors?.[0]?.message).toContain('NORTHEAST');
    const malformed = await executeRaw(server, `{ province(code: "Ayutthaya") { code } }`);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const missing = await execute(server, `{ province(code: "TH-99") { code } }`);
    expect(missing.province).toBeNull();
  });

  it('shows Ayutthaya with its districts, 9 network chapters and 3 programme years', async () => {
    const data = await execute(
      server,
      `{ province(code: "14") { code nameTh nameEn region { nameTh } districts { code nameTh } networks { id nameTh sector { code nameTh } source { kind synthetic } } programmeYears { programmeYear fiscalYear targetBehaviourTh targetVirtues } } }`,
    );
    const p = data.province;
    expect(p).toMatchObject({ code: 'TH-14', nameTh: 'พระนครศรีอยุธยา', nameEn: 'Phra Nakhon Si Ayutthaya', region: { nameTh: 'ภาคกลาง' } });
    expect(p.districts).toHaveLength(16);
    expect(p.districts).toContainEqual({ code: '1414', nameTh: 'อุทัย' });
    expect(p.networks.map((n: { sector: { code: string } }) => n.sector.code)).toEqual([
      'GOVERNMENT',
      'RELIGION',
      'EDUCATION',
      'MEDIA',
      'BUSINESS',
      'CIVIL_SOCIETY',
      'COMMUNITY_ORGANIZATION',
      'COMMUNITY',
      'AGRICULTURE',
    ]);
    expect(p.networks[0]).toMatchObject({ id: networkId('TH-14', 'GOVERNMENT'), source: { kind: 'SOURCE_DOCUMENT', synthetic: false } });
    expect(p.programmeYears).toEqual([
      { programmeYear: 1, fiscalYear: 2563, targetBehaviourTh: 'ชาวอยุธยา มีวินัย ใส่ใจส่วนรวม', targetVirtues: ['DISCIPLINE'] },
      { programmeYear: 2, fiscalYear: 2564, targetBehaviourTh: 'ชาวอยุธยา มีวินัย ใส่ใจส่วนรวม', targetVirtues: ['DISCIPLINE'] },
      { programmeYear: 3, fiscalYear: 2565, targetBehaviourTh: 'ชาวอยุธยา มีวินัย ใส่ใจส่วนรวม', targetVirtues: ['DISCIPLINE'] },
    ]);
  });

  it('resolves Province, Network, District and NetworkSector entities for the gateway', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Province { nameTh } ... on Network { nameTh province { code } } ... on District { nameTh province { code } } ... on NetworkSector { nameTh } ... on Region { nameEn } } }`,
      {
        reps: [
          { __typename: 'Province', code: 'TH-10' },
          { __typename: 'Network', id: networkId('TH-14', 'RELIGION') },
          { __typename: 'District', code: '1414' },
          { __typename: 'NetworkSector', code: 'AGRICULTURE' },
          { __typename: 'Region', code: 'SOUTH' },
          { __typename: 'Province', code: 'TH-99' },
        ],
      },
    );
    expect(data._entities).toEqual([
      { nameTh: 'กรุงเทพมหานคร' },
      { nameTh: 'เครือข่ายศาสนา จังหวัดพระนครศรีอยุธยา', province: { code: 'TH-14' } },
      { nameTh: 'อุทัย', province: { code: 'TH-14' } },
      { nameTh: 'การเกษตร' },
      { nameEn: 'South' },
      null,
    ]);
  });

  it('resolves 77 Province entities with the same number of statements as 1', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { nameTh region { code } networks { id } programmeYears { fiscalYear } } } }`;
    const all = (await execute(server, `{ provinces { code } }`)).provinces.map((p: { code: string }) => ({
      __typename: 'Province',
      code: p.code,
    }));
    expect(all).toHaveLength(77);
    let mark = server.db.statements.count;
    const forOne = await execute(server, query, { reps: all.slice(0, 1) });
    const one = server.db.statements.count - mark;
    mark = server.db.statements.count;
    const forAll = await execute(server, query, { reps: all });
    const seventySeven = server.db.statements.count - mark;
    // Both resolved for real (an answer from a cache would cost nothing and compare equal).
    expect(forOne._entities).toHaveLength(1);
    expect(forAll._entities).toHaveLength(77);
    expect(forAll._entities.every((p: { nameTh?: string } | null) => p?.nameTh)).toBe(true);
    expect({ one: one > 0, seventySeven: seventySeven > 0 }).toEqual({ one: true, seventySeven: true });
    expect(seventySeven).toBe(one);
  });

  it('loads its data twice without changing anything', async () => {
    expect(await seed(server.db)).toEqual({ created: 0 });
    const [row] = await server.db.rawQuery<{ count: number }>('SELECT count(*)::int AS count FROM "District"');
    expect(row?.count).toBe(928);
  });
});
