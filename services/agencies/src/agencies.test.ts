import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execute, executeRaw, inMemory } from '@moral-registry/common/testing';
import { networkId, CULTURE_OFFICE } from '@moral-registry/common/demo';
import { createServer } from './server.ts';

let server: Awaited<ReturnType<typeof createServer>>;
beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
});
afterAll(() => server?.close());

describe('agencies subgraph', () => {
  it('resolves Province entities with Ayutthaya’s 59 agencies, counted by sector', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { code agencyStats { total bySector { sector { code } count } } } } }`,
      {
        reps: [
          { __typename: 'Province', code: 'TH-14' },
          { __typename: 'Province', code: 'TH-38' },
        ],
      },
    );
    const [ayutthaya, buengKan] = data._entities;
    expect(ayutthaya.agencyStats.total).toBe(59);
    expect(ayutthaya.agencyStats.bySector).toHaveLength(9);
    expect(ayutthaya.agencyStats.bySector.reduce((sum: number, s: { count: number }) => sum + s.count, 0)).toBe(59);
    expect(buengKan.agencyStats).toEqual({ total: 0, bySector: [] });
  });

  it('pages a province’s agencies in Thai order and reports the total on every page', async () => {
    const query = `query($reps: [_Any!]!, $after: String) { _entities(representations: $reps) { ... on Province { agencies(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id nameTh } } } } } }`;
    const reps = [{ __typename: 'Province', code: 'TH-14' }];
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const data: Record<string, any> = await execute(server, query, { reps, after });
      const page: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { nameTh: string } }[];
      } = data._entities[0].agencies;
      expect(page.totalCount).toBe(59);
      seen.push(...page.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh));
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(seen).toHaveLength(59);
    expect(new Set(seen).size).toBe(59);
    expect([...seen].sort(new Intl.Collator('th-TH').compare)).toEqual(seen);
  });

  it('counts the agencies of network chapters and resolves Agency entities', async () => {
    const data = await execute(
      server,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Network { agencyCount } ... on Agency { nameTh kind province { code } network { id } source { kind synthetic } people { fullNameTh positionTh } } } }`,
      {
        reps: [
          { __typename: 'Network', id: networkId('TH-14', 'GOVERNMENT') },
          { __typename: 'Network', id: networkId('TH-14', 'MEDIA') },
          { __typename: 'Agency', id: CULTURE_OFFICE.id },
        ],
      },
    );
    expect(data._entities[0].agencyCount).toBe(9);
    expect(data._entities[1].agencyCount).toBe(5);
    expect(data._entities[2]).toMatchObject({
      nameTh: 'สำนักงานวัฒนธรรมจังหวัดพระนครศรีอยุธยา',
      kind: 'GOVERNMENT_OFFICE',
      province: { code: 'TH-14' },
      network: { id: networkId('TH-14', 'GOVERNMENT') },
      source: { kind: 'SOURCE_DOCUMENT', synthetic: false },
      people: [{ fullNameTh: 'จุรีพร ขันตี', positionTh: 'วัฒนธรรมจังหวัดพระนครศรีอยุธยา' }],
    });
  });

  it('searches Thai names', async () => {
    const data = await execute(server, `{ agencies(search: " มหาวิทยาลัย ", provinceCode: "14") { totalCount edges { node { nameEn } } } }`);
    expect(data.agencies.totalCount).toBe(2);
    expect(data.agencies.edges.map((e: { node: { nameEn: string } }) => e.node.nameEn).sort()).toEqual([
      'Phranakhon Si Ayutthaya Rajabhat University',
      'Rajamangala University of Technology Suvarnabhumi',
    ]);
  });

  it('rejects a page larger than 100 and a malformed province code', async () => {
    const tooMany = await executeRaw(server, `{ agencies(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCode = await executeRaw(server, `{ agencies(provinceCode: "Ayutthaya") { totalCount } }`);
    expect(badCode.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'provinceCode' });
  });
});
