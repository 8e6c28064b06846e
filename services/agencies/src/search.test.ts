/**
 * Finding agencies and people as users do (docs/SEARCH.md): the search test set of
 * tests/fixtures/search/agencies.json (queries written from the user's side, with the records that
 * answer them) against one database seeded with the demo data and the set's records; LIKE wildcards
 * as literal characters; codes and Thai names of sectors and regions; numbers in names.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Viewer } from '@moral-registry/common';
import { execute, executeRaw, inMemory } from '@moral-registry/common/testing';
import { createServer } from './server.ts';

interface Judged {
  query: string;
  intent: string;
  relevant: string[];
  mustNotAppear: string[];
}
const fixture = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../tests/fixtures/search/agencies.json'), 'utf8')) as {
  agencies: { nameTh: string; nameEn: string; kind: string; provinceCode: string | null }[];
  agencyQueries: Judged[];
  people: { titleTh: string; fullNameTh: string; fullNameEn: string | null; positionTh: string; provinceCode: string }[];
  personQueries: Judged[];
};
const SOURCE = { sourceKind: 'USER_ENTRY' as const, sourceLabel: 'tests/fixtures/search' };
const ADMIN: Viewer = { id: 'admin-1', role: 'NATIONAL_ADMIN', provinceCode: null, name: 'ผู้ดูแลระบบ' };

let server: Awaited<ReturnType<typeof createServer>>;
beforeAll(async () => {
  server = await createServer({ config: inMemory, seed: true });
  // Through Prisma Client, as the seeds and imports write: the service's extension fills the search columns.
  await server.db.client.agency.createMany({ data: fixture.agencies.map((a) => ({ ...a, kind: a.kind as never, ...SOURCE })) });
  await server.db.client.person.createMany({ data: fixture.people.map((p) => ({ ...p, ...SOURCE })) });
});
afterAll(() => server?.close());

const matches = (name: string, patterns: readonly string[]) =>
  patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));

/**
 * precision@5 of one query: of the first five answers, the share that answers it (of at most as many
 * as there are relevant records, when fewer than five exist).
 */
async function judge(list: 'agencies' | 'people', nameField: 'nameTh' | 'fullNameTh', queries: Judged[], all: string[]) {
  const rows = [];
  for (const q of queries) {
    const data = await execute(
      server,
      `query($q: String) { ${list}(search: $q, first: 20) { totalCount edges { node { ${nameField} } } } }`,
      {
        q: q.query,
      },
    );
    const names: string[] = data[list].edges.map((e: { node: Record<string, string> }) => e.node[nameField]);
    const relevant = all.filter((n) => matches(n, q.relevant));
    const hits = names.slice(0, 5).filter((n) => relevant.includes(n)).length;
    rows.push({
      query: q.query,
      p5: relevant.length ? hits / Math.min(5, relevant.length) : 0,
      unwanted: names.filter((n) => matches(n, q.mustNotAppear)),
      top: names.slice(0, 5),
      relevant: relevant.length,
    });
  }
  return rows;
}

describe('search test set (tests/fixtures/search)', () => {
  it('finds what users look for: precision@5 ≥ 0.9 over the Thai and English queries, and never what they did not mean', async () => {
    const agencies = (await server.db.client.agency.findMany({ where: { archivedAt: null }, select: { nameTh: true } })).map(
      (a) => a.nameTh,
    );
    const people = (await server.db.client.person.findMany({ where: { archivedAt: null }, select: { fullNameTh: true } })).map(
      (p) => p.fullNameTh,
    );
    const rows = [
      ...(await judge('agencies', 'nameTh', fixture.agencyQueries, agencies)),
      ...(await judge('people', 'fullNameTh', fixture.personQueries, people)),
    ];
    const mean = rows.reduce((sum, r) => sum + r.p5, 0) / rows.length;
    const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
    console.log(
      `search test set on ${database}: ${rows.length} queries, precision@5 = ${mean.toFixed(3)}\n` +
        rows
          .filter((r) => r.p5 < 1)
          .map((r) => `  ${r.p5.toFixed(2)}  "${r.query}" (${r.relevant} relevant) → ${r.top.join(' | ')}`)
          .join('\n'),
    );
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(rows.filter((r) => r.relevant === 0).map((r) => r.query)).toEqual([]);
    expect(rows.filter((r) => r.unwanted.length).map((r) => `${r.query}: ${r.unwanted.join(', ')}`)).toEqual([]);
    expect(mean).toBeGreaterThanOrEqual(0.9);
  });

  it('"วัด" lists temples before a school named after a temple, and no culture office at all', async () => {
    const data = await execute(server, `{ agencies(search: "วัดพนัญเชิง") { totalCount edges { node { nameTh } } } }`);
    expect(data.agencies.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh)).toEqual(['วัดพนัญเชิงวรวิหาร', 'โรงเรียนวัดพนัญเชิง']);
    const temples = await execute(server, `{ agencies(search: "วัด", first: 100) { totalCount edges { node { nameTh } } } }`);
    const names: string[] = temples.agencies.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh);
    expect(names.some((n) => n.includes('วัฒนธรรม'))).toBe(false);
    expect(names.slice(0, -1).every((n) => n.startsWith('วัด'))).toBe(true);
    expect(temples.agencies.totalCount).toBe(names.length);
  });

  it('a search page after the last match is empty and still gives the total and the way back', async () => {
    const query = `query($a: String) { agencies(search: "วัด", first: 100, after: $a) {
      totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor node { nameTh } } } }`;
    const all = (await execute(server, query, { a: null })).agencies;
    expect(all.edges.length).toBeGreaterThan(1);
    const after = (await execute(server, query, { a: all.edges.at(-1).cursor })).agencies;
    expect(after.edges).toEqual([]);
    expect(after.totalCount).toBe(all.totalCount);
    expect(after.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const second = (await execute(server, query, { a: all.edges[0].cursor })).agencies;
    expect(second.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh)).toEqual(
      all.edges.slice(1).map((e: { node: { nameTh: string } }) => e.node.nameTh),
    );
    expect(second.totalCount).toBe(all.totalCount);
  });

  it('takes %, _ and \\ as the characters they are, not as wildcards', async () => {
    const count = async (search: string) =>
      (await execute(server, `query($s: String) { agencies(search: $s) { totalCount edges { node { nameTh } } } }`, { s: search }))
        .agencies;
    expect((await count('%')).edges.map((e: { node: { nameTh: string } }) => e.node.nameTh)).toEqual(['ร้านค้าชุมชน 100% คุณธรรม']);
    expect((await count('_')).totalCount).toBe(0);
    expect((await count('\\')).totalCount).toBe(0);
    expect((await count('%%')).totalCount).toBe(0);
  });

  it('finds an agency by its new name after a rename through updateAgency, and no longer by the old one', async () => {
    const { id, version } = (await server.db.client.agency.findFirst({ where: { nameTh: 'ชุมชนคลองสระบัว' } }))!;
    await execute(
      server,
      `mutation($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id } } }`,
      { input: { id, version, nameTh: 'ชุมชนริมน้ำเจ้าพระยา', nameEn: 'Chao Phraya Riverside Community' } },
      ADMIN,
    );
    const find = async (search: string) =>
      (await execute(server, `query($s: String) { agencies(search: $s) { edges { node { id } } } }`, { s: search })).agencies.edges.map(
        (e: { node: { id: string } }) => e.node.id,
      );
    expect(await find('ริมน้ำ')).toEqual([id]);
    expect(await find('riverside')).toEqual([id]);
    expect(await find('สระบัว')).toEqual([]);
    expect(await find('khlong')).toEqual([]);
  });

  it('leaves an archived agency out of a search and finds it again once restored (the AgencySearch table follows)', async () => {
    const agency = await server.db.client.agency.create({
      data: { nameTh: 'วิสาหกิจชุมชนผ้าทอมือบ้านนาคู', kind: 'COMMUNITY', provinceCode: 'TH-16', ...SOURCE },
    });
    const find = async (search: string) =>
      (await execute(server, `query($s: String) { agencies(search: $s) { totalCount edges { node { id } } } }`, { s: search })).agencies;
    expect(await find('ผ้าทอ วิสาหกิจ')).toEqual({ totalCount: 1, edges: [{ node: { id: agency.id } }] });
    const write = (name: string, version: number) =>
      execute(
        server,
        `mutation($input: ${name === 'archiveAgency' ? 'ArchiveInput' : 'RestoreInput'}!) { ${name}(input: $input) { agency { version } } }`,
        {
          input: { id: agency.id, version, reason: 'ทดสอบ' },
        },
        ADMIN,
      );
    const archived = await write('archiveAgency', agency.version);
    expect(await find('ผ้าทอ วิสาหกิจ')).toEqual({ totalCount: 0, edges: [] });
    await write('restoreAgency', archived.archiveAgency.agency.version);
    expect(await find('ผ้าทอ วิสาหกิจ')).toEqual({ totalCount: 1, edges: [{ node: { id: agency.id } }] });
    // Deleted outright (as a restore of a backup may): gone from the search table too.
    await server.db.client.agency.delete({ where: { id: agency.id } });
    expect(await find('ผ้าทอ วิสาหกิจ')).toEqual({ totalCount: 0, edges: [] });
  });

  it('pages a search with no other filter without a duplicate or a skip when rows are inserted and archived between pages', async () => {
    const prisma = server.db.client;
    const names = [1, 2, 3, 4, 5].map((n) => `ศูนย์เรียนรู้ไผ่ทอง หมู่ ${n}`);
    await prisma.agency.createMany({
      data: names.map((nameTh) => ({ nameTh, kind: 'COMMUNITY' as const, provinceCode: 'TH-17', ...SOURCE })),
    });
    const page = async (after?: string) =>
      (
        await execute(
          server,
          `query($after: String) { agencies(search: "ไผ่ทอง", first: 2, after: $after) { totalCount edges { node { nameTh } } pageInfo { endCursor hasNextPage } } }`,
          { after },
        )
      ).agencies;
    const first = await page();
    expect(first.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh)).toEqual(names.slice(0, 2));
    expect(first.totalCount).toBe(5);
    // Between pages: a row before the cursor is inserted, one after it archived.
    await prisma.agency.create({ data: { nameTh: 'ศูนย์เรียนรู้ไผ่ทอง หมู่ 0', kind: 'COMMUNITY', provinceCode: 'TH-17', ...SOURCE } });
    await prisma.agency.updateMany({ where: { nameTh: names[2] }, data: { archivedAt: new Date() } });
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh)).toEqual([names[3], names[4]]);
    expect(second).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: false } });
  });

  it('sorts numbers in Thai names as numbers: …17 before …1352', async () => {
    await server.db.client.agency.createMany({
      data: ['ชุมชนเลขที่ 1352', 'ชุมชนเลขที่ 17', 'ชุมชนเลขที่ 2'].map((nameTh) => ({
        nameTh,
        kind: 'COMMUNITY' as const,
        provinceCode: 'TH-15',
        ...SOURCE,
      })),
    });
    const data = await execute(server, `{ agencies(search: "ชุมชนเลขที่", orderBy: [{ field: NAME_TH }]) { edges { node { nameTh } } } }`);
    expect(data.agencies.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh)).toEqual([
      'ชุมชนเลขที่ 2',
      'ชุมชนเลขที่ 17',
      'ชุมชนเลขที่ 1352',
    ]);
  });
});

describe('filters, codes and names', () => {
  const total = async (args: string) => (await execute(server, `{ agencies(${args}) { totalCount } }`)).agencies.totalCount as number;

  it('takes a sector by code in any case or by its Thai name; an unknown one is refused with the list in Thai and English', async () => {
    const religion = await total('provinceCode: "TH-14", sectorCode: "RELIGION"');
    expect(religion).toBeGreaterThan(0);
    expect(await total('provinceCode: "TH-14", sectorCode: "religion"')).toBe(religion);
    expect(await total('provinceCode: "TH-14", sectorCode: "ศาสนา"')).toBe(religion);
    for (const bad of ['XYZ', 'ศาสนาพุทธ']) {
      const result = await executeRaw(server, `query($s: ID) { agencies(sectorCode: $s) { totalCount } }`, { s: bad });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sectorCode' });
      expect(result.errors?.[0]?.message).toContain('RELIGION (ศาสนา, Religion)');
    }
  });

  it('combines search, kind, district and network filters; totalCount honours them all', async () => {
    const schools = await execute(
      server,
      `{ agencies(search: "โรงเรียน", kind: SCHOOL, provinceCode: "TH-40") { totalCount edges { node { nameTh kind } } } }`,
    );
    // Both names start with the query: Thai dictionary order then (โคก before หนอง: the vowel โ is read after its consonant).
    expect(schools.agencies.edges.map((e: { node: { nameTh: string } }) => e.node.nameTh)).toEqual(['โรงเรียนบ้านโคกสูง', 'โรงเรียนบ้านหนองบัว']);
    expect(schools.agencies.totalCount).toBe(2);
    const demo = await server.db.client.agency.findFirst({
      where: { provinceCode: 'TH-14', districtCode: { not: null }, networkId: { not: null } },
    });
    const expected = await server.db.client.agency.count({
      where: { archivedAt: null, districtCode: demo!.districtCode, networkId: demo!.networkId, kind: demo!.kind },
    });
    expect(await total(`districtCode: "${demo!.districtCode}", networkId: "${demo!.networkId}", kind: ${demo!.kind}`)).toBe(expected);
  });

  it('ranks provinces of a region given by its Thai name, top N and bottom N', async () => {
    const query = `query($region: String, $first: Int, $order: SortDirection) { agencyRanking(region: $region, first: $first, order: $order) { rank value province { code } } }`;
    const all = (await execute(server, query, { region: 'ภาคกลาง' })).agencyRanking;
    expect(all.map((r: { province: { code: string } }) => r.province.code).sort()).toEqual([
      'TH-14',
      'TH-15',
      'TH-16',
      'TH-17',
      'TH-18',
      'TH-19',
    ]);
    const top = (await execute(server, query, { region: 'central', first: 2 })).agencyRanking;
    expect(top).toEqual(all.slice(0, 2));
    const bottom = (await execute(server, query, { region: 'CENTRAL', first: 2, order: 'ASC' })).agencyRanking;
    expect(bottom.map((r: { value: number }) => r.value)).toEqual(
      [...all]
        .reverse()
        .slice(0, 2)
        .map((r: { value: number }) => r.value),
    );
    const bad = await executeRaw(server, query, { region: 'ภาคกลางตอนบน' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'region' });
    expect(bad.errors?.[0]?.message).toContain('CENTRAL (ภาคกลาง, Central)');
  });

  it('pages many provinces’ searched agencies in one SQL statement', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { agencies(search: "วัด", first: 2) { totalCount edges { node { nameTh } } } } } }`;
    const reps = ['TH-14', 'TH-50', 'TH-40', 'TH-38'].map((code) => ({ __typename: 'Province', code }));
    const mark = server.db.statements.count;
    const data = await execute(server, query, { reps });
    expect(server.db.statements.count - mark).toBe(1);
    expect(data._entities.map((p: { agencies: { totalCount: number } }) => p.agencies.totalCount > 0)).toEqual([true, true, false, false]);
  });
});

describe('keyset paging', () => {
  const ORDERS = ['NAME_TH', 'NAME_EN', 'CREATED_AT', 'UPDATED_AT', 'RELEVANCE'].flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
  );
  const USED = new Set(['TH-14', 'TH-15', 'TH-34', 'TH-40', 'TH-50', 'TH-57']);
  const provinces = ['TH-20', 'TH-21', 'TH-22', 'TH-23', 'TH-24', 'TH-25', 'TH-26', 'TH-27', 'TH-30', 'TH-31', 'TH-32', 'TH-33']
    .concat(['TH-35', 'TH-36', 'TH-37', 'TH-39', 'TH-41', 'TH-42', 'TH-43', 'TH-44', 'TH-45'])
    .filter((p) => !USED.has(p));
  const NAMES = ['วัดบ้านนา', 'โรงเรียนวัดบ้านนา', 'วัดเกาะ', 'วัดคลอง 12', 'วัดคลอง 3', 'ชุมชนวัดใหม่', 'วัดอรุณ', 'มูลนิธิวัดป่า', 'วัดไผ่', 'วัดขวาง'];
  const QUERY = `query($p: ID, $s: String, $o: [AgencyOrder!], $first: Int, $after: String, $last: Int, $before: String) {
    agencies(provinceCode: $p, search: $s, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`;
  type Page = {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
    edges: { node: { id: string } }[];
  };

  it.each(
    ORDERS.flatMap((order, i) => [
      { order, backward: false, province: provinces[2 * i]! },
      { order, backward: true, province: provinces[2 * i + 1]! },
    ]),
  )(
    '$order.field $order.direction, backward: $backward — rows inserted and archived between pages: no duplicate, no skip',
    async ({ order, backward, province }) => {
      const prisma = server.db.client;
      await prisma.agency.createMany({
        data: NAMES.map((nameTh, i) => ({
          nameTh,
          nameEn: i % 3 ? `Temple ${i}` : null,
          kind: 'RELIGIOUS_ORGANIZATION' as const,
          provinceCode: province,
          ...SOURCE,
        })),
      });
      // Some rows changed later, so that created and updated orders differ from the name order.
      for (const nameTh of ['วัดไผ่', 'วัดเกาะ'])
        await prisma.agency.updateMany({ where: { provinceCode: province, nameTh }, data: { nameEn: `Changed ${nameTh}` } });
      const variables = { p: province, s: order.field === 'RELEVANCE' ? 'วัด' : null, o: [order] };
      const page = async (extra: Record<string, unknown>): Promise<Page> =>
        (await execute(server, QUERY, { ...variables, ...extra })).agencies;
      const initial = (await page({ first: 100 })).edges.map((e) => e.node.id);
      expect(initial).toHaveLength(NAMES.length);

      const seen: string[] = [];
      let current = await page(backward ? { last: 3 } : { first: 3 });
      seen.push(...(backward ? [...current.edges].reverse() : current.edges).map((e) => e.node.id));
      // Between the first and second page: one new row at each end of the order, one row archived
      // that was already seen and one that was not.
      await prisma.agency.createMany({
        data: ['กกวัดแรก', 'ฮฮวัดท้าย'].map((nameTh) => ({
          nameTh,
          nameEn: nameTh === 'กกวัดแรก' ? 'AAA' : 'ZZZ',
          kind: 'RELIGIOUS_ORGANIZATION' as const,
          provinceCode: province,
          ...SOURCE,
        })),
      });
      const archived = [seen[0]!, (backward ? initial[0] : initial.at(-1))!];
      await prisma.agency.updateMany({ where: { id: { in: archived } }, data: { archivedAt: new Date() } });
      for (let guard = 0; guard < 10; guard++) {
        const more = backward ? current.pageInfo.hasPreviousPage : current.pageInfo.hasNextPage;
        if (!more) break;
        current = await page(
          backward ? { last: 3, before: current.pageInfo.startCursor } : { first: 3, after: current.pageInfo.endCursor },
        );
        seen.push(...(backward ? [...current.edges].reverse() : current.edges).map((e) => e.node.id));
      }
      expect(new Set(seen).size).toBe(seen.length);
      const kept = initial.filter((id) => !archived.includes(id));
      expect(kept.filter((id) => !seen.includes(id))).toEqual([]);
      // Read in the list's order, the rows seen are in the order of a fresh listing.
      const final = (await page({ first: 100 })).edges.map((e) => e.node.id);
      const inOrder = backward ? [...seen].reverse() : seen;
      expect(inOrder.filter((id) => final.includes(id))).toEqual(final.filter((id) => inOrder.includes(id)));
      expect(current.totalCount).toBe(NAMES.length);
    },
  );

  it('refuses an offset cursor of the earlier API and a cursor of another order, naming the argument', async () => {
    const offset = Buffer.from('o:19').toString('base64url');
    const old = await executeRaw(server, `query($a: String) { agencies(after: $a) { totalCount } }`, { a: offset });
    expect(old.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(old.errors?.[0]?.message).toContain('first page');
    const cursor = (await execute(server, `{ agencies(first: 1) { pageInfo { endCursor } } }`)).agencies.pageInfo.endCursor;
    const other = await executeRaw(server, `query($b: String) { agencies(before: $b, orderBy: [{ field: CREATED_AT }]) { totalCount } }`, {
      b: cursor,
    });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
  });
});
