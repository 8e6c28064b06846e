/**
 * A battery of hostile requests against the gateway and, where they apply, each subgraph directly.
 * Every kind gets its documented status and error code (docs/SECURITY.md): nothing answers 5xx, no
 * answer is HTML quoting what was sent, and afterwards every service is healthy and a normal query
 * still works. The counts per kind are printed for the release note.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '@moral-registry/common';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(() => stack?.close());

interface Answer {
  status: number;
  contentType: string;
  text: string;
  code: string | null;
}

/**
 * One request on a connection of its own (a server may close a connection whose body it refused),
 * with exactly the bytes given: a Buffer for broken UTF-8, chunks for a body without Content-Length.
 */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] }) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
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
        resolve({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), text, code });
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
  url: string;
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

function gatewayCases(url: string): Case[] {
  const c = (kind: string, options: Case['options'], status: number, code: string | null): Case => ({
    kind,
    target: 'gateway',
    url,
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

function subgraphCases(target: (typeof SERVICES)[number], url: string): Case[] {
  const c = (kind: string, options: Case['options'], status: number, code: string | null): Case => ({
    kind,
    target,
    url,
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

describe('hostile requests', () => {
  it('each get their documented status and code, and every service stays healthy and keeps serving', async () => {
    const cases = [...gatewayCases(stack.gatewayUrl), ...SERVICES.flatMap((s) => subgraphCases(s, stack.subgraphUrls[s]))];
    const summary = new Map<string, { kind: string; target: string; requests: number; answers: Set<string> }>();
    for (const test of cases) {
      const url = test.options.method === 'GET' ? `${test.url}?query=${encodeURIComponent(MUTATION)}` : test.url;
      const answer = await request(url, test.options);
      const label = `${test.kind} → ${test.target}`;
      expect({ label, status: answer.status, code: answer.code }, answer.text.slice(0, 500)).toEqual({
        label,
        status: test.status,
        code: test.code,
      });
      expect(answer.contentType, label).toMatch(/^application\/(graphql-response\+)?json/);
      const target = test.target === 'gateway' ? 'gateway' : '4 subgraphs';
      const row = summary.get(`${test.kind}|${target}`) ?? { kind: test.kind, target, requests: 0, answers: new Set<string>() };
      row.requests++;
      row.answers.add(`${answer.status} ${answer.code ?? '(data)'}`);
      summary.set(`${test.kind}|${target}`, row);
    }

    // GraphiQL (development only) must not echo a script passed in the URL into its HTML.
    const page = await request(`${stack.gatewayUrl}?query=${encodeURIComponent('</script><script>alert(1)</script>')}`, {
      method: 'GET',
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');

    for (const base of [stack.gatewayUrl, ...SERVICES.map((s) => stack.subgraphUrls[s])]) {
      for (const probe of ['/healthz', '/readyz']) {
        const health = await request(new URL(probe, base).toString(), { method: 'GET' });
        expect({ url: new URL(probe, base).toString(), status: health.status }).toEqual({
          url: new URL(probe, base).toString(),
          status: 200,
        });
      }
    }
    const normal = await request(
      stack.gatewayUrl,
      query('{ provinces { code agencyStats { total } } agencies(first: 5, provinceCode: "TH-14") { totalCount } }'),
    );
    expect(normal.status).toBe(200);
    const data = JSON.parse(normal.text).data;
    expect(data.provinces).toHaveLength(77);
    expect(data.agencies.totalCount).toBe(59);

    const table = [...summary.values()].map((r) => ({
      kind: r.kind,
      target: r.target,
      requests: r.requests,
      answered: [...r.answers].join(', '),
    }));
    console.table(table);
    expect(table.reduce((n, r) => n + r.requests, 0)).toBe(cases.length);
    expect(table.some((r) => /\b5\d\d\b/.test(r.answered))).toBe(false);
  });
});
