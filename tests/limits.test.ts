/**
 * The gateway's defences other than rate limits (docs/SECURITY.md): limits set by configuration and
 * the list-cost model; trusted documents registered from a graphql-codegen manifest, the only thing a
 * partner key may run in production; automatic persisted queries for the public portal; introspection
 * and field suggestions for staff only in production.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { generate } from '@graphql-codegen/cli';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PROJECT_ROOT } from '@moral-registry/common';
import { CULTURE_OFFICE } from '@moral-registry/common/demo';
import { SUPERGRAPH_PATH, type RunningGateway } from '@moral-registry/gateway';
import { costSchema, operationCost } from '../gateway/src/security/cost.ts';
import { checkManifest, readManifest } from '../gateway/src/security/documents.ts';
import { COMPARISON, startStack, tokenFor, type Stack } from './harness.ts';

let stack: Stack;
let production: RunningGateway;
let tight: RunningGateway;
let work: string;
/** The partner app's manifest, as graphql-codegen's client preset wrote it. */
let manifestPath: string;
let manifest: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  production = await stack.gatewayWith({ NODE_ENV: 'production' });
  tight = await stack.gatewayWith({
    GATEWAY_MAX_DEPTH: 3,
    GATEWAY_MAX_ALIASES: 1,
    GATEWAY_MAX_TOKENS: 40,
    GATEWAY_MAX_DIRECTIVES: 1,
    GATEWAY_MAX_COST: 100,
    GATEWAY_MAX_BODY_BYTES: 2000,
    GATEWAY_MAX_BATCH: 0,
  });
  work = mkdtempSync(path.join(tmpdir(), 'registry-documents-'));
  await generate(
    {
      schema: SUPERGRAPH_PATH,
      documents: path.join(PROJECT_ROOT, 'tests/fixtures/partner-app/operations.graphql'),
      generates: { [`${work}/app/`]: { preset: 'client', presetConfig: { persistedDocuments: true, fragmentMasking: false } } },
      silent: true,
    },
    true,
  );
  manifestPath = path.join(work, 'app', 'persisted-documents.json');
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
}, 180_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function send(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await response.json()) as {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: Record<string, any> }[];
  };
  return { status: response.status, data: json.data, errors: json.errors, code: json.errors?.[0]?.extensions?.code as string | undefined };
}

const idOf = (operation: string) => Object.entries(manifest).find(([, document]) => document.includes(`query ${operation}`))![0];

describe('limits', () => {
  it('lets the national comparison of all 77 provinces through, at an estimated cost of 1155', async () => {
    const schema = costSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const cost = operationCost(schema, parse(COMPARISON), { fy: 2565 }, null, {
      defaultListSize: stack.env.GATEWAY_DEFAULT_LIST_SIZE,
      defaultPageSize: DEFAULT_PAGE_SIZE,
      maxPageSize: MAX_PAGE_SIZE,
    });
    // 77 provinces (@listSize(assumedSize: 77)) × (the province, four stats objects, ten comparisons).
    expect(cost).toBe(1155);
    expect(cost).toBeLessThan(stack.env.GATEWAY_MAX_COST);
    console.log(`national comparison: estimated cost ${cost} of at most ${stack.env.GATEWAY_MAX_COST}`);
    const result = await send(production.url, { query: COMPARISON, variables: { fy: 2565 } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.provinces).toHaveLength(77);
  });

  it('counts `first` and nested lists across subgraphs: 77 provinces × 100 agencies is refused, 5 per province is not', async () => {
    const nested = (first: number) => ({ query: `{ provinces { agencies(first: ${first}) { edges { node { id nameTh } } } } }` });
    const refused = await send(production.url, nested(100));
    expect({ status: refused.status, code: refused.code }).toEqual({ status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
    expect(refused.errors![0]!.extensions!.cost).toEqual({ estimated: 77 * (1 + 1 + 100 * 2), max: stack.env.GATEWAY_MAX_COST });
    expect(refused.data ?? null).toBeNull();
    const allowed = await send(production.url, nested(5));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.provinces).toHaveLength(77);
  });

  it('applies the limits set by configuration, each refused with its own code and the limit in the message', async () => {
    const cases: [string, unknown, number, string, RegExp][] = [
      ['depth 4 > 3', { query: '{ province(code: "TH-14") { region { provinces { code } } } }' }, 400, 'QUERY_TOO_DEEP', /limit of 3/],
      ['2 aliases > 1', { query: '{ a: nation { code } b: nation { code } }' }, 400, 'TOO_MANY_ALIASES', /limit of 1/],
      ['tokens > 40', { query: `{ nation { ${'code '.repeat(40)} } }` }, 400, 'TOO_MANY_TOKENS', /limit of 40/],
      [
        '2 directives > 1',
        { query: '{ nation { code @include(if: true) nameTh @skip(if: false) } }' },
        400,
        'TOO_MANY_DIRECTIVES',
        /limit of 1/,
      ],
      [
        'cost 154 > 100',
        { query: '{ provinces { region { code } } }' },
        400,
        'COST_ESTIMATED_TOO_EXPENSIVE',
        /cost 154 is over the limit of 100/,
      ],
      [
        'body > 2000 bytes',
        { query: '{ nation { code } }', variables: { pad: 'x'.repeat(2500) } },
        413,
        'REQUEST_ENTITY_TOO_LARGE',
        /2000/,
      ],
      ['batching off', [{ query: '{ nation { code } }' }], 400, 'BAD_REQUEST', /Batching is not supported/],
    ];
    for (const [name, body, status, code, message] of cases) {
      const result = await send(tight.url, body);
      expect({ name, status: result.status, code: result.code }).toEqual({ name, status, code });
      expect(result.errors![0]!.message).toMatch(message);
    }
    const within = await send(tight.url, { query: '{ nation { code } }' });
    expect(within.data).toEqual({ nation: { code: 'TH' } });
  });
});

describe('messages in Thai', () => {
  // A provincial clerk's browser sends Accept-Language: th-TH; every refusal comes back in Thai, with the
  // same extensions.code (and extensions.field) as in English, so clients never parse the text.
  const thai = { 'accept-language': 'th-TH,th;q=0.9,en;q=0.8' };

  it('says what the limits refused in Thai', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ query: '{ province(code: "TH-14") { region { provinces { code } } } }' }, 'QUERY_TOO_DEEP', /^เกินขีดจำกัดความลึกของคำค้น 3 ชั้น/],
      [{ query: '{ a: nation { code } b: nation { code } }' }, 'TOO_MANY_ALIASES', /^เกินขีดจำกัดจำนวนชื่อแทน \(alias\) 1 ชื่อ$/],
      [{ query: '{ provinces { region { code } } }' }, 'COST_ESTIMATED_TOO_EXPENSIVE', /^ต้นทุนโดยประมาณของคำขอ 154 เกินขีดจำกัด 100/],
      [{ query: '{ nation { code } }', variables: { pad: 'x'.repeat(2500) } }, 'REQUEST_ENTITY_TOO_LARGE', /^เนื้อหาคำขอมีขนาดเกิน 2000 ไบต์$/],
    ];
    for (const [body, code, message] of cases) {
      const result = await send(tight.url, body, thai);
      expect({ code: result.code, message: result.errors![0]!.message }).toEqual({ code, message: expect.stringMatching(message) });
    }
  });

  it('says in Thai why a token, an input, a Common Era year and a write were refused, with the same codes', async () => {
    const badToken = await send(stack.gatewayUrl, { query: '{ nation { code } }' }, { ...thai, authorization: 'Bearer not-a-token' });
    expect({ status: badToken.status, code: badToken.code, message: badToken.errors![0]!.message }).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'โทเคนไม่ถูกต้อง',
    });

    const year = await send(stack.gatewayUrl, { query: '{ province(code: "TH-14") { activityStats(fiscalYear: 2022) { count } } }' }, thai);
    expect(year.errors![0]).toMatchObject({
      message: 'fiscalYear 2022 ดูเหมือนเป็นปีคริสต์ศักราช ปีงบประมาณใช้ปีพุทธศักราช (หมายถึง 2565 หรือไม่?)',
      extensions: { code: 'BAD_USER_INPUT', field: 'fiscalYear' },
    });
    // The same request without a preference: English, same code and field.
    const english = await send(stack.gatewayUrl, { query: '{ province(code: "TH-14") { activityStats(fiscalYear: 2022) { count } } }' });
    expect(english.errors![0]).toMatchObject({
      message: expect.stringMatching(/looks like a Common Era year.*did you mean 2565\?/),
      extensions: { code: 'BAD_USER_INPUT', field: 'fiscalYear' },
    });

    const create = (provinceCode: string, token: string) =>
      send(
        stack.gatewayUrl,
        {
          query: 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }',
          variables: { input: { nameTh: 'โรงเรียนทดสอบภาษาไทย', kind: 'SCHOOL', provinceCode } },
        },
        { ...thai, authorization: `Bearer ${token}` },
      );
    const editor = await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-15');
    const badProvince = await create('TH-99', await tokenFor(stack, 'NATIONAL_ADMIN'));
    expect(badProvince.errors![0]).toMatchObject({
      message: 'provinceCode TH-99 ไม่ใช่หนึ่งใน 77 จังหวัด',
      extensions: { code: 'BAD_USER_INPUT', field: 'provinceCode' },
    });
    const refused = await create('TH-14', editor);
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.errors![0]!.message).toMatch(/^ผู้แก้ไขระดับจังหวัดของ TH-15 ไม่มีสิทธิ์.+ใน TH-14$/);

    const missing = await send(
      stack.gatewayUrl,
      {
        query: 'mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id } } }',
        variables: { input: { id: '00000000-0000-4000-8000-000000000000', version: 1, nameEn: 'x' } },
      },
      { ...thai, authorization: `Bearer ${await tokenFor(stack, 'NATIONAL_ADMIN')}` },
    );
    expect(missing.errors![0]).toMatchObject({
      message: 'ไม่พบหน่วยงาน 00000000-0000-4000-8000-000000000000',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

describe('trusted documents', () => {
  const cli = (args: string[], env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/documents.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: '', GATEWAY_DATABASE_URL: '', ...env },
    }).then(
      ({ stdout }) => ({ exitCode: 0, output: stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ exitCode: error.code, output: error.stdout + error.stderr }),
    );

  it('npm run documents registers a graphql-codegen manifest, lists it and removes a document; a broken manifest is refused whole', async () => {
    const dataDir = path.join(work, 'data');
    expect(Object.keys(manifest)).toHaveLength(2);
    expect(Object.keys(manifest).every((id) => /^sha256:[0-9a-f]{64}$/.test(id))).toBe(true);
    const registered = await cli(['register', manifestPath], { DATA_DIR: dataDir });
    expect(registered).toMatchObject({
      exitCode: 0,
      output: expect.stringContaining('Registered 2 document(s) (0 already registered) for every partner key'),
    });
    const again = await cli(['register', manifestPath], { DATA_DIR: dataDir });
    expect(again.output).toContain('Registered 0 document(s) (2 already registered)');

    const broken = path.join(work, 'broken.json');
    writeFileSync(broken, JSON.stringify({ a1: '{ provincez { code } }', [`sha256:${'0'.repeat(64)}`]: '{ nation { code } }' }));
    const refused = await cli(['register', broken], { DATA_DIR: dataDir });
    expect(refused.exitCode).toBe(2);
    expect(refused.output).toContain('a1: Cannot query field "provincez" on type "Query"');
    expect(refused.output).toContain('is not the SHA-256 hash of its document');
    const forNobody = await cli(['register', manifestPath, '--key-id', 'nosuchid'], { DATA_DIR: dataDir });
    expect(forNobody).toMatchObject({ exitCode: 2, output: expect.stringContaining('No API key nosuchid') });

    const removed = await cli(['remove', idOf('PartnerAgency')], { DATA_DIR: dataDir });
    expect(removed).toMatchObject({ exitCode: 0, output: expect.stringContaining('Removed 1 registration(s)') });
    const listed = await cli(['list'], { DATA_DIR: dataDir });
    expect(listed.output).toContain(`${idOf('PartnerProvinces')}  every partner`);
    expect(listed.output).toContain('PartnerProvinces');
    expect(listed.output).not.toContain('PartnerAgency');
  }, 60_000);

  it('in production a partner key runs registered documents by id, and nothing else; staff and anonymous callers still send queries', async () => {
    const schema = costSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    await stack.documents.register(checkManifest(readManifest(manifest), schema));
    const { key } = await stack.apiKeys.create({ name: 'แอปพาร์ทเนอร์', role: 'PARTNER' });
    const other = await stack.apiKeys.create({ name: 'พาร์ทเนอร์อื่น', role: 'PARTNER' });
    const onlyForOther = { id: `other-app:${Date.now()}`, document: '{ nation { code nameTh } }', operationNames: ['(anonymous)'] };
    await stack.documents.register([onlyForOther], { keyId: other.record.id });
    const partner = { 'x-api-key': key };

    const byId = await send(production.url, { documentId: idOf('PartnerAgency'), variables: { id: CULTURE_OFFICE.id } }, partner);
    expect(byId.errors).toBeUndefined();
    expect(byId.data!.agency).toMatchObject({ id: CULTURE_OFFICE.id, province: { code: 'TH-14' } });
    // The same document by its hash in Apollo's extension (bare hex, no "sha256:").
    const hex = idOf('PartnerProvinces').slice('sha256:'.length);
    const byHash = await send(
      production.url,
      { variables: { region: 'CENTRAL' }, extensions: { persistedQuery: { version: 1, sha256Hash: hex } } },
      partner,
    );
    expect(byHash.data!.provinces.map((p: { code: string }) => p.code)).toContain('TH-14');

    const arbitrary = await send(production.url, { query: '{ nation { code } }' }, partner);
    expect({ status: arbitrary.status, code: arbitrary.code }).toEqual({ status: 403, code: 'PERSISTED_QUERY_ONLY' });
    expect(arbitrary.errors![0]!.message).toMatch(/registered documents only/);
    const unknown = await send(production.url, { documentId: `sha256:${'f'.repeat(64)}` }, partner);
    expect({ status: unknown.status, code: unknown.code }).toEqual({ status: 404, code: 'PERSISTED_QUERY_NOT_FOUND' });
    const notTheirs = await send(production.url, { documentId: onlyForOther.id }, partner);
    expect({ status: notTheirs.status, code: notTheirs.code }).toEqual({ status: 404, code: 'PERSISTED_QUERY_NOT_FOUND' });
    const theirs = await send(production.url, { documentId: onlyForOther.id }, { 'x-api-key': other.key });
    expect(theirs.data).toEqual({ nation: { code: 'TH', nameTh: 'ประเทศไทย' } });

    const staff = await send(
      production.url,
      { query: '{ nation { code } }' },
      { authorization: `Bearer ${await tokenFor(stack, 'STAFF_READER')}` },
    );
    expect(staff.data).toEqual({ nation: { code: 'TH' } });
    const anonymous = await send(production.url, { query: '{ nation { code } }' });
    expect(anonymous.data).toEqual({ nation: { code: 'TH' } });
    // Outside production partners may still send documents (while they write their app).
    const development = await send(stack.gatewayUrl, { query: '{ nation { code } }' }, partner);
    expect(development.data).toEqual({ nation: { code: 'TH' } });

    // A removed document stops working (this stack caches no lookups).
    await stack.documents.remove(idOf('PartnerAgency'));
    const removed = await send(production.url, { documentId: idOf('PartnerAgency'), variables: { id: CULTURE_OFFICE.id } }, partner);
    expect(removed.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('automatic persisted queries', () => {
  it('the portal sends a hash, is asked for the query once, and from then on the hash alone works', async () => {
    const query = `{ province(code: "TH-14") { code nameTh apq: nameEn } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const first = await send(production.url, { extensions });
    expect({ status: first.status, code: first.code, message: first.errors?.[0]?.message }).toEqual({
      status: 404,
      code: 'PERSISTED_QUERY_NOT_FOUND',
      message: 'PersistedQueryNotFound',
    });
    const withQuery = await send(production.url, { query, extensions });
    expect(withQuery.data!.province).toMatchObject({ code: 'TH-14', nameTh: 'พระนครศรีอยุธยา' });
    const hashAlone = await send(production.url, { extensions });
    expect(hashAlone.data).toEqual(withQuery.data);

    const mismatch = await send(production.url, { query: '{ nation { code } }', extensions });
    expect({ status: mismatch.status, code: mismatch.code }).toEqual({ status: 400, code: 'PERSISTED_QUERY_MISMATCH' });
    // A partner key cannot use APQ to run a document nobody registered.
    const { key } = await stack.apiKeys.create({ name: 'พาร์ทเนอร์ APQ', role: 'PARTNER' });
    const partner = await send(production.url, { extensions }, { 'x-api-key': key });
    expect(partner.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('introspection and field suggestions in production', () => {
  const INTROSPECTION = '{ __schema { queryType { name } } }';

  it('are off for anonymous and partner callers and on for staff', async () => {
    const anonymous = await send(production.url, { query: INTROSPECTION });
    expect({ status: anonymous.status, code: anonymous.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(anonymous.errors![0]!.message).toMatch(/introspection has been disabled/);
    const typo = await send(production.url, { query: '{ provincez { code } }' });
    expect(typo.errors![0]!.message).toBe('Cannot query field "provincez" on type "Query".');

    // A partner sends registered documents only; even a registered introspection document is refused.
    const { key } = await stack.apiKeys.create({ name: 'พาร์ทเนอร์ introspection', role: 'PARTNER' });
    const id = `introspection:${Date.now()}`;
    await stack.documents.register([{ id, document: INTROSPECTION, operationNames: ['(anonymous)'] }]);
    const partner = await send(production.url, { documentId: id }, { 'x-api-key': key });
    expect({ status: partner.status, code: partner.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });

    const staff = { authorization: `Bearer ${await tokenFor(stack, 'NATIONAL_ADMIN')}` };
    const introspection = await send(production.url, { query: INTROSPECTION }, staff);
    expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const staffTypo = await send(production.url, { query: '{ provincez { code } }' }, staff);
    expect(staffTypo.errors![0]!.message).toMatch(/Did you mean "province" or "provinces"\?/);
    // Outside production everyone may introspect (GraphiQL in development).
    const development = await send(stack.gatewayUrl, { query: INTROSPECTION });
    expect(development.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});
