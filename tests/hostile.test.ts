/**
 * A battery of hostile requests against the gateway and, where they apply, each subgraph directly.
 * Every kind gets its documented status and error code (docs/SECURITY.md): nothing answers 5xx, no
 * answer is HTML quoting what was sent, and afterwards every service is healthy and a normal query
 * still works. Each request is a test of its own, so one failure does not hide the others.
 *
 * The families after the battery are the holes a security probe of the production build found
 * (issue 12): path variants, list cost of null and negative page sizes, suggestions, staff token and
 * viewer-header lifetimes, NUL characters, cursors and over-long strings, CORS, /metrics, links to
 * other provinces' agencies, look-alike names, formula cells in CSV files and oversized XLSX parts.
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import JSZip from 'jszip';
import { parse as parseCsv } from 'csv-parse/sync';
import { DEVELOPMENT_JWT_SECRET, SERVICES, VIEWER_HEADER, signViewer, viewerSecret } from '@moral-registry/common';
import type { RunningGateway } from '@moral-registry/gateway';
import { exportData, importFile, openSource } from '@moral-registry/spreadsheets';
import { startStack, tokenFor, type Stack } from './harness.ts';

const METRICS_TOKEN = 'metrics-token-for-the-hostile-test';
const PORTAL = 'https://portal.example.go.th';

let stack: Stack;
/** NODE_ENV=production: trusted documents for partners, no suggestions, /metrics behind a token, CORS for PORTAL only. */
let production: RunningGateway;
/** Production with a rate limit of one anonymous request per hour, already used up. */
let limited: RunningGateway;
let partnerKey: string;
let admin: string;
let work: string;

beforeAll(async () => {
  stack = await startStack();
  production = await stack.gatewayWith({ NODE_ENV: 'production', METRICS_TOKEN, GATEWAY_CORS_ORIGINS: [PORTAL] });
  limited = await stack.gatewayWith({
    NODE_ENV: 'production',
    GATEWAY_RATE_LIMITS: true,
    GATEWAY_RATE_LIMIT_ANONYMOUS: 1,
    GATEWAY_RATE_LIMIT_WINDOW_SECONDS: 3600,
  });
  partnerKey = (await stack.apiKeys.create({ name: 'พาร์ทเนอร์ทดสอบ', role: 'PARTNER' })).key;
  admin = await tokenFor(stack, 'NATIONAL_ADMIN');
  work = mkdtempSync(path.join(tmpdir(), 'hostile-'));
  // The one anonymous request of the hour.
  await request(limited.url, query('{ nation { code } }'));
}, 180_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
  code: string | null;
  headers: http.IncomingHttpHeaders;
}

/**
 * One request on a connection of its own (a server may close a connection whose body it refused),
 * with exactly the bytes given: a Buffer for broken UTF-8, chunks for a body without Content-Length.
 */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[]; rawPath?: string },
) {
  return new Promise<Answer>((resolve, reject) => {
    const { hostname, port, pathname, search } = new URL(url);
    // rawPath: sent exactly as written (a URL string would be normalised first: `/./graphql` → `/graphql`).
    const target = { hostname, port, path: options.rawPath ?? `${pathname}${search}` };
    const req = http.request({ ...target, method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let code: string | null = null;
        try {
          code = JSON.parse(text).errors?.[0]?.extensions?.code ?? null;
        } catch {
          // not JSON: code stays null
        }
        resolve({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), text, code, headers: res.headers });
      });
    });
    // Writing the rest of a refused body may fail once the server has answered and closed.
    req.on('error', (error) => (req.destroyed && (error as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(error)));
    if (options.chunks) for (const chunk of options.chunks) req.write(chunk);
    else if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
const json = (body: unknown) => ({ headers: JSON_HEADERS, body: JSON.stringify(body) });
const query = (document: string, variables?: Record<string, unknown>, operationName?: string) =>
  json({ query: document, variables, operationName });
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

interface Case {
  kind: string;
  target: 'gateway' | (typeof SERVICES)[number];
  options: Parameters<typeof request>[1];
  status: number;
  /** null: no error (an ordinary answer). */
  code: string | null;
}

function fragmentBomb(levels: number): string {
  let document = 'query Bomb { ...F0 }';
  for (let i = 0; i < levels; i++) {
    document += ` fragment F${i} on Query { ${i < levels - 1 ? `...F${i + 1} ...F${i + 1}` : 'provinces { code nameTh }'} }`;
  }
  return document;
}

function gatewayCases(): Case[] {
  const c = (kind: string, options: Case['options'], status: number, code: string | null): Case => ({
    kind,
    target: 'gateway',
    options,
    status,
    code,
  });
  const PROVINCE = 'query P($code: ID!) { province(code: $code) { code } }';
  const AGENCY = 'query A($id: ID!) { agency(id: $id) { id nameTh } }';
  const SEARCH = 'query S($search: String!) { agencies(search: $search, first: 5) { totalCount } }';
  const FY = 'query F($fy: Int!) { nation { activityStats(fiscalYear: $fy) { count } } }';
  const sqlLike = ["' OR 1=1; --", "1'; DROP TABLE agencies; --", '" UNION SELECT password FROM users --'];
  const scriptLike = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(document.cookie)'];
  const oversized = 'x'.repeat(1_100_000);
  return [
    c('malformed JSON', { headers: JSON_HEADERS, body: '{"query": "{ nation { code } }"' }, 400, 'BAD_REQUEST'),
    c('malformed JSON', { headers: JSON_HEADERS, body: '{"query": "{ nation { code } }"} trailing' }, 400, 'BAD_REQUEST'),
    c('malformed JSON', { headers: JSON_HEADERS, body: "{'query': '{ nation { code } }'}" }, 400, 'BAD_REQUEST'),
    c('malformed JSON', { headers: JSON_HEADERS, body: '"just a string"' }, 400, 'BAD_REQUEST'),
    c('empty body', { headers: JSON_HEADERS, body: '' }, 400, 'BAD_REQUEST'),
    c(
      'wrong content type',
      { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ nation { code } }' }) },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    c(
      'wrong content type',
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B%20nation%20%7B%20code%20%7D%20%7D' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    c(
      'wrong content type',
      {
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--\r\n',
      },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    c('wrong content type', { headers: {}, body: JSON.stringify({ query: '{ nation { code } }' }) }, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    c('GET mutation', { method: 'GET', headers: { accept: 'application/graphql-response+json' } }, 405, 'BAD_REQUEST'),
    c('huge document', query(`{ nation { ${'code '.repeat(5000)}} }`), 400, 'TOO_MANY_TOKENS'),
    c('deeply nested', query(`{ ${'provinces { region { '.repeat(7)}code${' } }'.repeat(7)} }`), 400, 'QUERY_TOO_DEEP'),
    c('deeply nested', query(`{ ${'provinces { region { '.repeat(40)}code${' } }'.repeat(40)} }`), 400, 'QUERY_TOO_DEEP'),
    c('alias bomb', query(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: provinces { code }`).join(' ')} }`), 400, 'TOO_MANY_ALIASES'),
    c(
      'alias bomb',
      query(
        `query { ...B } fragment A on Query { ${Array.from({ length: 8 }, (_, i) => `x${i}: nation { code }`).join(' ')} } fragment B on Query { ...A ...A ...A }`,
      ),
      400,
      'TOO_MANY_ALIASES',
    ),
    c('fragment bomb', query('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'), 400, 'GRAPHQL_VALIDATION_FAILED'),
    c('fragment bomb', query('query { ...A } fragment A on Query { nation { code } ...A }'), 400, 'GRAPHQL_VALIDATION_FAILED'),
    c('fragment bomb', query(fragmentBomb(30)), 400, 'COST_ESTIMATED_TOO_EXPENSIVE'),
    c('directive flood', query(`{ nation { ${'code @include(if: true) '.repeat(30)}} }`), 400, 'TOO_MANY_DIRECTIVES'),
    c(
      'directive flood',
      query(`{ nation { ...N } } fragment N on Nation { ${'code @skip(if: false) '.repeat(25)}}`),
      400,
      'TOO_MANY_DIRECTIVES',
    ),
    c('wrong variable types', query(PROVINCE, { code: { $ne: null } }), 400, 'BAD_USER_INPUT'),
    c('wrong variable types', query(FY, { fy: 'two thousand' }), 400, 'BAD_USER_INPUT'),
    c('wrong variable types', query(FY, { fy: 1e100 }), 400, 'BAD_USER_INPUT'),
    c('wrong variable types', query(PROVINCE, { code: null }), 400, 'BAD_USER_INPUT'),
    c('wrong variable types', query(PROVINCE), 400, 'BAD_USER_INPUT'),
    c(
      'unknown operation name',
      query('query A { nation { code } } query B { provinces { code } }', {}, 'C'),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    ),
    c('unknown operation name', query('query A { nation { code } } query B { provinces { code } }'), 400, 'OPERATION_RESOLUTION_FAILURE'),
    c('unknown persisted id', json({ documentId: `sha256:${'0'.repeat(64)}` }), 404, 'PERSISTED_QUERY_NOT_FOUND'),
    c('unknown persisted id', json({ documentId: '../../etc/passwd' }), 404, 'PERSISTED_QUERY_NOT_FOUND'),
    c(
      'unknown persisted id',
      json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
      404,
      'PERSISTED_QUERY_NOT_FOUND',
    ),
    ...sqlLike.flatMap((s) => [
      c('SQL-looking variables', query(PROVINCE, { code: s }), 200, 'BAD_USER_INPUT'),
      c('SQL-looking variables', query(AGENCY, { id: s }), 200, null),
      c('SQL-looking variables', query(SEARCH, { search: s }), 200, null),
    ]),
    ...scriptLike.flatMap((s) => [
      c('script-looking variables', query(PROVINCE, { code: s }), 200, 'BAD_USER_INPUT'),
      c('script-looking variables', query(AGENCY, { id: s }), 200, null),
      c('script-looking variables', query(SEARCH, { search: s }), 200, null),
    ]),
    c(
      'broken UTF-8',
      {
        headers: JSON_HEADERS,
        body: bytes(
          '{"query":"query S($search: String!) { agencies(search: $search) { totalCount } }","variables":{"search":"',
          [0xff, 0xfe, 0xc3],
          '"}}',
        ),
      },
      200,
      null,
    ),
    c(
      'broken UTF-8',
      { headers: JSON_HEADERS, body: bytes('{"query":"{ nation { code ', [0xc3, 0x28], ' } }"}') },
      400,
      'GRAPHQL_PARSE_FAILED',
    ),
    c(
      'broken UTF-8',
      { headers: JSON_HEADERS, body: bytes('{"query"', [0xed, 0xa0, 0x80], ':"{ nation { code } }"}') },
      400,
      'BAD_REQUEST',
    ),
    c('oversized body', json({ query: '{ nation { code } }', variables: { pad: oversized } }), 413, 'REQUEST_ENTITY_TOO_LARGE'),
    c(
      'oversized body',
      { headers: JSON_HEADERS, chunks: Array.from({ length: 12 }, () => Buffer.from(' '.repeat(100_000))) },
      413,
      'REQUEST_ENTITY_TOO_LARGE',
    ),
    c('batch over the limit', json(Array.from({ length: 6 }, () => ({ query: '{ nation { code } }' }))), 413, 'BAD_REQUEST'),
    c('batch over the limit', json(Array.from({ length: 500 }, () => ({ query: '{ provinces { code } }' }))), 413, 'BAD_REQUEST'),
  ];
}

function subgraphCases(target: (typeof SERVICES)[number]): Case[] {
  const c = (kind: string, options: Case['options'], status: number, code: string | null): Case => ({
    kind,
    target,
    options,
    status,
    code,
  });
  return [
    c('malformed JSON', { headers: JSON_HEADERS, body: '{"query": ' }, 400, 'BAD_REQUEST'),
    c('empty body', { headers: JSON_HEADERS, body: '' }, 401, 'UNAUTHENTICATED'),
    c('wrong content type', { headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }, 400, 'BAD_REQUEST'),
    c(
      'wrong content type',
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' },
      400,
      'BAD_REQUEST',
    ),
    c('GET mutation', { method: 'GET', headers: {} }, 400, 'BAD_REQUEST'),
    // Only the gateway signs the viewer header: hostile documents are refused before they are parsed.
    c('deeply nested', query(`{ ${'a { '.repeat(200)}b${' }'.repeat(200)} }`), 401, 'UNAUTHENTICATED'),
    c('alias bomb', query(`{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`), 401, 'UNAUTHENTICATED'),
    c('broken UTF-8', { headers: JSON_HEADERS, body: bytes('{"query":"{ __typename ', [0xff, 0xfe], ' }"}') }, 401, 'UNAUTHENTICATED'),
    c(
      'oversized body',
      { headers: JSON_HEADERS, chunks: Array.from({ length: 12 }, () => Buffer.from(' '.repeat(100_000))) },
      413,
      'REQUEST_ENTITY_TOO_LARGE',
    ),
  ];
}

const MUTATION = 'mutation { archiveAgency(input: { id: "x", version: 1 }) { agency { id } } }';

const CASES = [...gatewayCases(), ...SERVICES.flatMap((s) => subgraphCases(s))];
const urlOf = (target: Case['target']) => (target === 'gateway' ? stack.gatewayUrl : stack.subgraphUrls[target]);

describe('hostile requests', () => {
  CASES.forEach((test, i) => {
    it(`#${i + 1} ${test.kind} → ${test.target}: ${test.status} ${test.code ?? '(data)'}`, async () => {
      const base = urlOf(test.target);
      const url = test.options.method === 'GET' ? `${base}?query=${encodeURIComponent(MUTATION)}` : base;
      const answer = await request(url, test.options);
      expect({ status: answer.status, code: answer.code, text: answer.text.slice(0, 300) }).toMatchObject({
        status: test.status,
        code: test.code,
      });
      expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
    });
  });

  it('GraphiQL (development only) does not echo a script passed in the URL into its HTML', async () => {
    const page = await request(`${stack.gatewayUrl}?query=${encodeURIComponent('</script><script>alert(1)</script>')}`, {
      method: 'GET',
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    expect(page.text).not.toContain('<script>alert(1)</script>');
  });

  it('leave every service healthy, and a normal query works', async () => {
    for (const base of [stack.gatewayUrl, ...SERVICES.map((s) => stack.subgraphUrls[s])]) {
      for (const probe of ['/healthz', '/readyz']) {
        const url = new URL(probe, base).toString();
        const health = await request(url, { method: 'GET' });
        expect({ url, status: health.status }).toEqual({ url, status: 200 });
      }
    }
    const normal = await request(
      stack.gatewayUrl,
      query('{ provinces { code agencyStats { total } } agencies(first: 5, provinceCode: "TH-14") { totalCount } }'),
    );
    expect(normal.status).toBe(200);
    const data = JSON.parse(normal.text).data;
    expect(data.provinces).toHaveLength(77);
    expect(data.agencies.totalCount).toBeGreaterThanOrEqual(59);
  });
});

/** A GraphQL request to `url` with these headers; the answer's first error code and the data. */
async function graphql(url: string, document: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const answer = await request(url, { headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify({ query: document, variables }) });
  const body = JSON.parse(answer.text) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
  const first = body.errors?.[0];
  return {
    status: answer.status,
    code: first?.extensions?.code ?? null,
    field: first?.extensions?.field ?? null,
    message: first?.message ?? '',
    body,
    answer,
  };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// Every path the server could be asked on that names the endpoint in some way. Yoga answers as
// GraphQL any URL that ends with /graphql or /graphql/; each variant must get the same defence as
// /graphql itself, or 404.
const PATH_VARIANTS = [
  '/graphql/',
  '//graphql',
  '///graphql',
  '/graphql//',
  '/./graphql',
  '/x/../graphql',
  '/GRAPHQL',
  '/Graphql',
  '/graphql?x',
  '/graphql/?x',
  '/graphql;x',
  '/graphql%2F',
  '/%67raphql',
  '/graphql%00',
  '/x/graphql',
  '/healthz/graphql',
  '/?next=/graphql',
  '/?next=/graphql/',
];

describe('path variants (issue 12, 1): each gets the defences of /graphql, or 404', () => {
  for (const variant of PATH_VARIANTS) {
    it(`a partner key on ${variant}: registered documents only`, async () => {
      const answer = await request(production.url, {
        rawPath: variant,
        headers: { ...JSON_HEADERS, 'x-api-key': partnerKey },
        body: JSON.stringify({ query: '{ nation { code } }' }),
      });
      expect([`403 PERSISTED_QUERY_ONLY`, '404', '404 NOT_FOUND']).toContain(`${answer.status}${answer.code ? ` ${answer.code}` : ''}`);
    });
    it(`an address over its rate limit on ${variant}: 429, or 404`, async () => {
      const answer = await request(limited.url, { rawPath: variant, ...query('{ nation { code } }') });
      expect(['429 RATE_LIMITED', '404', '404 NOT_FOUND']).toContain(`${answer.status}${answer.code ? ` ${answer.code}` : ''}`);
    });
  }
  it('the canonical path still works', async () => {
    const answer = await request(production.url, query('{ nation { code } }'));
    expect({ status: answer.status, data: JSON.parse(answer.text).data }).toEqual({ status: 200, data: { nation: { code: 'TH' } } });
  });
});

describe('list cost of null, absent and out-of-range page sizes (issue 12, 2)', () => {
  const NESTED_NULL = `{ provinces { agencies(first: null) { edges { node { activities(first: null) { edges { node {
      participatingAgencies(first: null) { totalCount } } } } } } } } }`;
  const DOCUMENTED_15554 = 'provinces { agencies(first: 100) { edges { node { id } } } }';
  const cases: [string, string, Record<string, unknown>, number, string | null, string | null][] = [
    ['first: null at three levels is priced at the default page size', NESTED_NULL, {}, 400, 'COST_ESTIMATED_TOO_EXPENSIVE', null],
    [
      'first: $n with $n null',
      `query($n: Int) { provinces { agencies(first: $n) { edges { node { activities(first: $n) { edges { node {
        participatingAgencies(first: $n) { totalCount } } } } } } } } }`,
      { n: null },
      400,
      'COST_ESTIMATED_TOO_EXPENSIVE',
      null,
    ],
    [
      'a negative first does not lower the cost of the rest',
      `{ agency(id: "x") { activities(first: -100000) { totalCount } } ${DOCUMENTED_15554} }`,
      {},
      400,
      'BAD_USER_INPUT',
      'first',
    ],
    ['a negative first in a variable', 'query($n: Int) { agencies(first: $n) { totalCount } }', { n: -1 }, 400, 'BAD_USER_INPUT', 'first'],
    ['first over 100', '{ agencies(first: 101) { totalCount } }', {}, 400, 'BAD_USER_INPUT', 'first'],
    ['first: null alone runs (20 rows)', '{ agencies(first: null) { edges { node { id } } } }', {}, 200, null, null],
  ];
  for (const [name, document, variables, status, code, field] of cases) {
    it(name, async () => {
      const result = await graphql(stack.gatewayUrl, document, variables);
      expect({ status: result.status, code: result.code, field: result.field }).toEqual({ status, code, field });
      if (status === 200) expect(result.body.data.agencies.edges).toHaveLength(20);
    });
  }
});

describe('suggestions in production (issue 12, 8): hidden from anonymous and partner callers', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['an enum value written in the document', '{ agencyRanking(metric: TOTL) { rank } }', {}],
    ['an enum value in a variable', 'query($m: AgencyMetric) { agencyRanking(metric: $m) { rank } }', { m: 'TOTL' }],
    ['an input field written in the document', 'mutation { createAgency(input: { nameT: "x", kind: SCHOOL }) { agency { id } } }', {}],
    [
      'an input field in a variable',
      'mutation($i: CreateAgencyInput!) { createAgency(input: $i) { agency { id } } }',
      { i: { nameT: 'x', nameTh: 'ก', kind: 'SCHOOL' } },
    ],
    ['a field', '{ provincez { code } }', {}],
  ];
  for (const [name, document, variables] of cases) {
    it(name, async () => {
      const anonymous = await graphql(production.url, document, variables);
      expect(anonymous.body.errors?.length).toBeGreaterThan(0);
      expect(anonymous.body.errors!.map((e) => e.message).join(' ')).not.toMatch(/Did you mean/);
      const staff = await graphql(production.url, document, variables, bearer(admin));
      expect(staff.body.errors!.map((e) => e.message).join(' ')).toMatch(/Did you mean/);
    });
  }
});

describe('token lifetimes (issue 12, 9)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const staffToken = (claims: { iat?: number; exp?: number }) => {
    let jwt = new SignJWT({ role: 'NATIONAL_ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('probe')
      .setIssuer(stack.env.JWT_ISSUER)
      .setAudience(stack.env.JWT_AUDIENCE);
    if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
    return jwt.sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
  };
  const cases: [string, () => { iat?: number; exp?: number }][] = [
    ['a staff token without exp', () => ({ iat: now() })],
    ['a staff token without iat', () => ({ exp: now() + 600 })],
    ['a staff token that expires in a century', () => ({ iat: now(), exp: now() + 100 * 365 * 86_400 })],
    ['a staff token issued an hour from now', () => ({ iat: now() + 3600, exp: now() + 7200 })],
    ['a staff token issued two days ago, still valid', () => ({ iat: now() - 2 * 86_400, exp: now() + 600 })],
  ];
  for (const [name, claims] of cases) {
    it(`${name} is refused (401)`, async () => {
      const result = await graphql(stack.gatewayUrl, '{ nation { code } }', {}, bearer(await staffToken(claims())));
      expect({ status: result.status, code: result.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });
  }
  it('a staff token of 8 hours is accepted', async () => {
    const result = await graphql(
      stack.gatewayUrl,
      '{ nation { code } }',
      {},
      bearer(await staffToken({ iat: now(), exp: now() + 8 * 3600 })),
    );
    expect(result.body.data).toEqual({ nation: { code: 'TH' } });
  });
  it('a subgraph refuses a viewer header that lives longer than VIEWER_TTL_SECONDS', async () => {
    const header = await signViewer({ id: 'probe', role: 'NATIONAL_ADMIN', provinceCode: null }, viewerSecret(stack.env), 86_400);
    const result = await graphql(stack.subgraphUrls.networks, '{ nation { code } }', {}, { [VIEWER_HEADER]: header });
    expect({ status: result.status, code: result.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const fresh = await signViewer({ id: 'probe', role: 'NATIONAL_ADMIN', provinceCode: null }, viewerSecret(stack.env));
    expect((await graphql(stack.subgraphUrls.networks, '{ nation { code } }', {}, { [VIEWER_HEADER]: fresh })).body.data).toEqual({
      nation: { code: 'TH' },
    });
  });
});

describe('bad values name their field (issue 12, 10 and 11)', () => {
  const cursor = (text: string) => Buffer.from(text).toString('base64url');
  const CREATE = 'mutation($i: CreateAgencyInput!) { createAgency(input: $i) { agency { id } } }';
  const cases: [string, string, Record<string, unknown>, string, boolean][] = [
    ['a NUL character in a variable', 'query($s: String!) { agencies(search: $s) { totalCount } }', { s: 'ก\u0000ข' }, 's', false],
    ['a NUL character written in the document', '{ agencies(search: "ก\\u0000ข") { totalCount } }', {}, 'search', false],
    [
      'a NUL character in a mutation input',
      CREATE,
      { i: { nameTh: 'ชมรม\u0000ทดสอบ', kind: 'SCHOOL', provinceCode: 'TH-14' } },
      'i.nameTh',
      true,
    ],
    [
      'a cursor past any offset',
      `{ agencies(first: 2, after: "${cursor('o:99999999999999999999999')}") { totalCount } }`,
      {},
      'after',
      false,
    ],
    ['a cursor that is not one', '{ agencies(first: 2, after: "bm90LWEtY3Vyc29y") { totalCount } }', {}, 'after', false],
    ['an unknown region next to nation', '{ nation { code } provinces(region: "x") { code } }', {}, 'region', false],
    [
      'a 100,018-character source.url',
      CREATE,
      { i: { nameTh: 'ชมรมยาว', kind: 'SCHOOL', provinceCode: 'TH-14', source: { url: `https://x.th/${'a'.repeat(100_000)}` } } },
      'i.source.url',
      true,
    ],
    [
      'a 5,000-character source.url',
      CREATE,
      { i: { nameTh: 'ชมรมยาว', kind: 'SCHOOL', provinceCode: 'TH-14', source: { url: `https://x.th/${'a'.repeat(5000)}` } } },
      'source.url',
      true,
    ],
  ];
  for (const [name, document, variables, field, asAdmin] of cases) {
    it(`${name}: BAD_USER_INPUT naming ${field}`, async () => {
      const result = await graphql(stack.gatewayUrl, document, variables, asAdmin ? bearer(admin) : {});
      expect({ code: result.code, field: result.field, message: result.message.slice(0, 200) }).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    });
  }
  it('a 200,000-character province code is not echoed back', async () => {
    const code = 'x'.repeat(200_000);
    for (const document of ['query($c: ID!) { province(code: $c) { code } }', `{ province(code: "${'y'.repeat(9000)}") { code } }`]) {
      const result = await graphql(stack.gatewayUrl, document, { c: code });
      expect(result.code).toBe('BAD_USER_INPUT');
      expect(result.answer.text.length).toBeLessThan(2000);
    }
  });
});

describe('CORS (issue 12, 12): configured origins only', () => {
  const preflight = (url: string, origin: string) =>
    request(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
  it('another site gets no CORS headers, credentials least of all', async () => {
    for (const url of [production.url, stack.gatewayUrl]) {
      const answer = await request(url, { ...query('{ nation { code } }'), headers: { ...JSON_HEADERS, origin: 'https://evil.example' } });
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      const pre = await preflight(url, 'https://evil.example');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
  it('a configured origin may call with credentials', async () => {
    const answer = await request(production.url, { ...query('{ nation { code } }'), headers: { ...JSON_HEADERS, origin: PORTAL } });
    expect(answer.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    const pre = await preflight(production.url, PORTAL);
    expect(pre.headers['access-control-allow-origin']).toBe(PORTAL);
  });
});

describe('/metrics (issue 12, 5)', () => {
  const scrape = (url: string, token?: string) =>
    request(new URL('/metrics', url).toString(), { method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} });
  it('needs the token in production, on the gateway and on every subgraph', async () => {
    expect((await scrape(production.url)).status).toBe(403);
    expect((await scrape(production.url, 'wrong-token-of-some-length')).status).toBe(403);
    expect((await scrape(production.url, METRICS_TOKEN)).status).toBe(200);
    // A production gateway without a token configured keeps /metrics closed.
    expect((await scrape(limited.url)).status).toBe(403);
  });
  it('made-up operation names add no series; they count as "other"', async () => {
    const series = async () => (await scrape(production.url, METRICS_TOKEN)).text.split('\n').filter((l) => l && !l.startsWith('#'));
    // Every metric a request can make exists after a first round of the same shape.
    const names = (round: number) => Array.from({ length: 10 }, (_, i) => `Probe${round}x${i}`);
    const send = (name: string) => request(production.url, query(`query ${name} { nation { code } }`, {}, name));
    for (const name of names(0)) await send(name);
    const before = (await series()).length;
    for (const name of names(1)) await send(name);
    const after = await series();
    expect(after.length).toBe(before);
    expect(after.join('\n')).not.toMatch(/Probe\d/);
    expect(after.join('\n')).toMatch(/graphql_gateway_subgraph_execute_duration_count\{[^}]*operationName="other"/);
  });
});

let bangkokAgency: string | null = null;
/** A TH-10 (Bangkok) agency (made once), an editor of TH-14 and one of TH-10. */
async function provinces() {
  if (!bangkokAgency) {
    const created = await graphql(
      stack.gatewayUrl,
      'mutation($i: CreateAgencyInput!) { createAgency(input: $i) { agency { id } } }',
      { i: { nameTh: 'สำนักงานวัฒนธรรมกรุงเทพทดสอบ', kind: 'GOVERNMENT_OFFICE', provinceCode: 'TH-10' } },
      bearer(admin),
    );
    bangkokAgency = created.body.data.createAgency.agency.id as string;
  }
  return {
    bangkokAgency,
    editor14: bearer(await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-14')),
    editor10: bearer(await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-10')),
  };
}

describe("links to other provinces' agencies (issue 12, 3)", () => {
  const PERSON = 'mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id version } } }';
  const ACTIVITY = 'mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id version } } }';
  const activity = (extra: object) => ({
    titleTh: 'ประชุมข้ามจังหวัด',
    kind: 'CONSULTATION_MEETING',
    startDate: '2021-12-16',
    provinceCode: 'TH-14',
    ...extra,
  });

  it("a provincial editor cannot link another province's agency: person, organizer, participant (FORBIDDEN naming the field)", async () => {
    const { bangkokAgency, editor14 } = await provinces();
    const attempts: [string, Record<string, unknown>, string][] = [
      [PERSON, { i: { fullNameTh: 'นายข้าม จังหวัด', agencyId: bangkokAgency, provinceCode: 'TH-14' } }, 'agencyId'],
      [ACTIVITY, { i: activity({ organizerIds: [bangkokAgency] }) }, 'organizerIds'],
      [ACTIVITY, { i: activity({ participatingAgencyIds: [bangkokAgency] }) }, 'participatingAgencyIds'],
    ];
    for (const [document, variables, field] of attempts) {
      const result = await graphql(stack.gatewayUrl, document, variables, editor14);
      expect({ code: result.code, field: result.field }).toEqual({ code: 'FORBIDDEN', field });
    }
    const person = await graphql(stack.gatewayUrl, PERSON, { i: { fullNameTh: 'นายอยู่ จังหวัดเดียว', provinceCode: 'TH-14' } }, editor14);
    const update = await graphql(
      stack.gatewayUrl,
      'mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { person { id } } }',
      { i: { id: person.body.data.createPerson.person.id, version: 1, agencyId: bangkokAgency } },
      editor14,
    );
    expect({ code: update.code, field: update.field }).toEqual({ code: 'FORBIDDEN', field: 'agencyId' });
  });

  it('the other province sees a link a national admin made, and removes it; it cannot change the record otherwise', async () => {
    const { bangkokAgency, editor10 } = await provinces();
    const person = await graphql(
      stack.gatewayUrl,
      PERSON,
      { i: { fullNameTh: 'นางเชื่อม ข้ามเขต', agencyId: bangkokAgency, provinceCode: 'TH-14' } },
      bearer(admin),
    );
    const personId = person.body.data.createPerson.person.id;
    const created = await graphql(
      stack.gatewayUrl,
      ACTIVITY,
      { i: activity({ titleTh: 'สมัชชาข้ามจังหวัด', organizerIds: [bangkokAgency], participatingAgencyIds: [bangkokAgency] }) },
      bearer(admin),
    );
    const activityId = created.body.data.createActivity.activity.id;
    const seen = await graphql(
      stack.gatewayUrl,
      'query($id: ID!) { agency(id: $id) { people { id } activities(first: 100) { edges { node { id } } } } }',
      { id: bangkokAgency },
      editor10,
    );
    expect(seen.body.data.agency.people.map((p: { id: string }) => p.id)).toContain(personId);
    expect(seen.body.data.agency.activities.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(activityId);

    const change = await graphql(
      stack.gatewayUrl,
      'mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { person { id } } }',
      { i: { id: personId, version: 1, positionTh: 'ผู้แทน' } },
      editor10,
    );
    expect(change.code).toBe('FORBIDDEN');
    const unlinkPerson = await graphql(
      stack.gatewayUrl,
      'mutation($i: UnlinkPersonInput!) { unlinkPersonFromAgency(input: $i) { person { id version } } }',
      { i: { id: personId, version: 1, reason: 'ไม่ใช่บุคลากรของหน่วยงานนี้' } },
      editor10,
    );
    expect(unlinkPerson.body.data?.unlinkPersonFromAgency.person).toEqual({ id: personId, version: 2 });
    const unlinkActivity = await graphql(
      stack.gatewayUrl,
      'mutation($i: UnlinkAgencyInput!) { unlinkAgencyFromActivity(input: $i) { activity { id version organizers { id } } } }',
      { i: { id: activityId, agencyId: bangkokAgency, version: 1 } },
      editor10,
    );
    expect(unlinkActivity.body.data?.unlinkAgencyFromActivity.activity).toEqual({ id: activityId, version: 2, organizers: [] });
    const after = await graphql(stack.gatewayUrl, 'query($id: ID!) { agency(id: $id) { people { id } } }', { id: bangkokAgency }, editor10);
    expect(after.body.data.agency.people.map((p: { id: string }) => p.id)).not.toContain(personId);
  });
});

describe('look-alike names (issue 12, 6): normalised, and a live duplicate is a CONFLICT naming the record', () => {
  const BASE = 'กลุ่มน้ำใจทดสอบ';
  const CREATE = 'mutation($i: CreateAgencyInput!) { createAgency(input: $i) { agency { id nameTh } } }';
  const create = (nameTh: string) =>
    graphql(stack.gatewayUrl, CREATE, { i: { nameTh, kind: 'COMMUNITY', provinceCode: 'TH-14' } }, bearer(admin));
  const insert = (ch: string) => `กลุ่ม${ch}น้ำใจ${ch}ทดสอบ`;
  const VARIANTS: [string, string][] = [
    ['the same name again', BASE],
    ['zero-width space U+200B', insert('\u200B')],
    ['zero-width non-joiner U+200C', insert('\u200C')],
    ['zero-width joiner U+200D', insert('\u200D')],
    ['word joiner U+2060', insert('\u2060')],
    ['invisible separator U+2063', insert('\u2063')],
    ['soft hyphen U+00AD', insert('\u00AD')],
    ['right-to-left override U+202E', insert('\u202E')],
    ['left-to-right mark U+200E', insert('\u200E')],
    ['bell U+0007', insert('\u0007')],
    ['SARA AM as NIKHAHIT + SARA AA', 'กลุ่มน\u0E49\u0E4D\u0E32ใจทดสอบ'],
    ['SARA AM as NIKHAHIT + SARA AA, tone mark after', 'กลุ่มน\u0E4D\u0E49\u0E32ใจทดสอบ'],
    ['a tab, a newline and doubled spaces around', `\t${BASE}\n `],
  ];
  let existing: string;
  beforeAll(async () => {
    const created = await create(BASE);
    existing = created.body.data.createAgency.agency.id;
  });
  for (const [name, variant] of VARIANTS) {
    it(name, async () => {
      const result = await create(variant);
      expect({ code: result.code, existingId: result.body.errors?.[0]?.extensions?.existingId }).toEqual({
        code: 'CONFLICT',
        existingId: existing,
      });
    });
  }
  it('a name with invisible characters is stored without them', async () => {
    const result = await create(`ชมรม\u200Bคุณ\u202Eธรรม\u00ADใหม่`);
    expect(result.body.data.createAgency.agency.nameTh).toBe('ชมรมคุณธรรมใหม่');
  });
});

describe('formula cells in CSV files (issue 12, 4)', () => {
  const FORMULAS = ['=HYPERLINK("http://x","ย")', "+cmd|' /C calc'!A0ก", '@SUM(1+1)ก', '-2+3+cmd|ก', '=1+1ก'];
  const FORMULA_START = /^[=+\-@\t\r]/;

  it('an export neutralises every cell a spreadsheet would evaluate, and imports back unchanged', async () => {
    const ids: string[] = [];
    for (const nameTh of FORMULAS) {
      const result = await graphql(
        stack.gatewayUrl,
        'mutation($i: CreateAgencyInput!) { createAgency(input: $i) { agency { id nameTh } } }',
        { i: { nameTh, kind: 'COMMUNITY', provinceCode: 'TH-38' } },
        bearer(admin),
      );
      expect(result.body.data.createAgency.agency.nameTh).toBe(nameTh);
      ids.push(result.body.data.createAgency.agency.id);
    }
    const dir = mkdtempSync(path.join(work, 'export-'));
    const exported = await exportData({
      what: 'agencies',
      format: 'csv',
      province: 'TH-38',
      out: dir,
      url: stack.gatewayUrl,
      includeSynthetic: true,
    });
    const cells = (parseCsv(readFileSync(exported.file), { bom: true, relax_column_count: true }) as string[][]).flat();
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    for (const name of FORMULAS) expect(cells).toContain(`'${name}`);
    const again = await importFile({
      file: exported.file,
      type: 'agencies',
      url: stack.gatewayUrl,
      token: admin,
      progress: 'none',
      log: () => {},
    });
    expect(again).toMatchObject({ rejected: 0, created: 0, updated: 0 });
  });

  it('an import error file neutralises them too', async () => {
    const dir = mkdtempSync(path.join(work, 'errors-'));
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, `nameTh,kind,provinceCode\n"=HYPERLINK(""http://x"",""ก"")",NOT_A_KIND,TH-14\n"@SUM(1)ข",,TH-14\n`);
    const summary = await importFile({ file, type: 'agencies', url: stack.gatewayUrl, token: admin, progress: 'none', log: () => {} });
    expect(summary.rejected).toBe(2);
    const cells = (parseCsv(readFileSync(path.join(dir, 'bad.errors.csv')), { bom: true, relax_column_count: true }) as string[][]).flat();
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    expect(cells).toContain(`'=HYPERLINK("http://x","ก")`);
  });
});

/** A minimal XLSX: one sheet whose cells are shared strings, and the shared-string part as given. */
async function craftXlsx(file: string, sharedStrings: string, cells: number) {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  );
  zip.file(
    'xl/workbook.xml',
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="ข้อมูล" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
  );
  zip.file(
    'xl/sharedStrings.xml',
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sharedStrings}</sst>`,
  );
  const rows = Array.from({ length: cells }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c></row>`).join('');
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
  );
  writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

describe('oversized XLSX parts (issue 12, 7): the import stops with a message naming the limit', () => {
  const LIMITS = { maxCellChars: 100, maxSharedStrings: 50, maxInflatedBytes: 50_000 };
  const head = '<si><t>nameTh</t></si>';
  const cases: [string, string, number, RegExp][] = [
    ['one cell over the size limit', `${head}<si><t>${'ก'.repeat(5000)}</t></si>`, 2, /more than 100 characters.*XLSX_MAX_CELL_CHARS/],
    ['one cell over the size limit, written as entities', `${head}<si><t>${'&#x0E01;'.repeat(200)}</t></si>`, 2, /XLSX_MAX_CELL_CHARS/],
    [
      'more shared strings than allowed',
      Array.from({ length: 60 }, (_, i) => `<si><t>ชื่อ${i}</t></si>`).join(''),
      60,
      /more than 50 shared strings.*XLSX_MAX_SHARED_STRINGS/,
    ],
    ['formatted runs counted with the strings', `${head}<si>${'<r><t>ก</t></r>'.repeat(60)}</si>`, 2, /XLSX_MAX_SHARED_STRINGS/],
    [
      'a part inflating past the total',
      `${head}<si><t>ก</t></si>${'<!-- padding -->'.repeat(5000)}`,
      2,
      /more than 50000 bytes.*XLSX_MAX_INFLATED_BYTES/,
    ],
  ];
  for (const [name, sharedStrings, cells, message] of cases) {
    it(name, async () => {
      const file = path.join(work, `${name.replace(/\W+/g, '-')}.xlsx`);
      await craftXlsx(file, sharedStrings, cells);
      await expect(
        importFile({
          file,
          type: 'agencies',
          url: stack.gatewayUrl,
          token: admin,
          progress: 'none',
          log: () => {},
          xlsxLimits: LIMITS,
          errorFile: false,
        }),
      ).rejects.toThrow(message);
    });
  }
  it('a workbook within the limits is read', async () => {
    const file = path.join(work, 'small.xlsx');
    await craftXlsx(file, `${head}<si><t>ชมรมเล็ก</t></si>`, 2);
    const source = await openSource(file, { xlsxLimits: LIMITS });
    const cells: unknown[] = [];
    for await (const row of source.rows) cells.push(...row.cells);
    expect(cells).toEqual(['nameTh', 'ชมรมเล็ก']);
  });
});
