/**
 * Sign-in at the gateway and the signed viewer header: staff JWTs, partner API keys, anonymous
 * callers, bad credentials refused with 401; every subgraph reached directly refuses a missing, forged,
 * tampered or expired viewer header.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { ANONYMOUS, VIEWER_HEADER, SERVICES, signViewer, viewerSecret } from '@moral-registry/common';
import { postRaw } from '@moral-registry/common/testing';
import { CULTURE_OFFICE, personId } from '@moral-registry/common/demo';
import { startStack, tokenFor, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(() => stack?.close());

async function gateway(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: Record<string, any> }[];
  };
  return { status: response.status, body, code: body.errors?.[0]?.extensions?.code as string | undefined };
}

const PERSON = `query($id: ID!) { person(id: $id) { fullNameTh phone } }`;
const CREATE_AGENCY = `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id nameTh auditTrail { actor { id role provinceCode } requestId } } } }`;

describe('who is asking', () => {
  it('anonymous callers read public data; personal data is null for them', async () => {
    const result = await gateway(PERSON, { id: personId('jureeporn') });
    expect(result.status).toBe(200);
    expect(result.body.data!.person).toEqual({ fullNameTh: 'จุรีพร ขันตี', phone: null });
  });

  it('a staff JWT reaches the subgraphs as that viewer: an editor writes in its province, with its id in the audit trail', async () => {
    const token = await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-14');
    const created = await gateway(
      CREATE_AGENCY,
      { input: { nameTh: 'ชมรมผ่านเกตเวย์', kind: 'COMMUNITY', provinceCode: 'TH-14' } },
      { authorization: `Bearer ${token}`, 'x-request-id': 'req-auth-test-1' },
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createAgency.agency.auditTrail).toEqual([
      { actor: { id: 'test-provincial_editor-TH-14', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14' }, requestId: 'req-auth-test-1' },
    ]);
    const elsewhere = await gateway(
      CREATE_AGENCY,
      { input: { nameTh: 'ชมรมต่างจังหวัด', kind: 'COMMUNITY', provinceCode: 'TH-10' } },
      { authorization: `Bearer ${token}` },
    );
    expect(elsewhere.code).toBe('FORBIDDEN');
    const anonymous = await gateway(CREATE_AGENCY, { input: { nameTh: 'ชมรมนิรนาม', kind: 'COMMUNITY', provinceCode: 'TH-14' } });
    expect(anonymous.code).toBe('UNAUTHENTICATED');
  });

  it('staff readers see contact details; partner API keys (either header) do not, and revoked keys are refused', async () => {
    const reader = await gateway(
      PERSON,
      { id: personId('jureeporn') },
      { authorization: `Bearer ${await tokenFor(stack, 'STAFF_READER')}` },
    );
    expect(reader.body.errors).toBeUndefined();

    const { key, record } = await stack.apiKeys.create({ name: 'พอร์ทัลทดสอบ', role: 'PARTNER' });
    for (const headers of [{ authorization: `ApiKey ${key}` }, { 'x-api-key': key }] as Record<string, string>[]) {
      const partner = await gateway(PERSON, { id: personId('jureeporn') }, headers);
      expect(partner.status).toBe(200);
      expect(partner.body.data!.person).toEqual({ fullNameTh: 'จุรีพร ขันตี', phone: null });
      const write = await gateway(CREATE_AGENCY, { input: { nameTh: 'ชมรมพาร์ทเนอร์', kind: 'COMMUNITY', provinceCode: 'TH-14' } }, headers);
      expect(write.code).toBe('FORBIDDEN');
    }
    const stored = await stack.apiKeys.list();
    expect(JSON.stringify(stored)).not.toContain(key);

    await stack.apiKeys.revoke(record.id);
    const revoked = await gateway(PERSON, { id: personId('jureeporn') }, { 'x-api-key': key });
    expect({ status: revoked.status, code: revoked.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('bad credentials are refused with 401, never downgraded to anonymous', async () => {
    const valid = await tokenFor(stack, 'NATIONAL_ADMIN');
    const expired = await new SignJWT({ role: 'NATIONAL_ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('late')
      .setIssuer(stack.env.JWT_ISSUER)
      .setAudience(stack.env.JWT_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode('development-only-jwt-secret-do-not-use-in-production'));
    const forged = await new SignJWT({ role: 'NATIONAL_ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer(stack.env.JWT_ISSUER)
      .setAudience(stack.env.JWT_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-secret-that-is-not-the-gateways-secret-at-all'));
    const [header, payload, signature] = valid.split('.');
    const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'mallory' })).toString(
      'base64url',
    );
    const cases: [string, Record<string, string>, RegExp][] = [
      ['expired token', { authorization: `Bearer ${expired}` }, /expired/],
      ['token signed with another secret', { authorization: `Bearer ${forged}` }, /not valid/],
      ['tampered token', { authorization: `Bearer ${header}.${elevated}.${signature}` }, /not valid/],
      ['garbage token', { authorization: 'Bearer not-a-jwt' }, /not valid/],
      ['unknown API key', { 'x-api-key': `mrk_00000000_${'A'.repeat(43)}` }, /not valid/],
      ['malformed API key', { authorization: 'ApiKey hello' }, /not valid/],
      ['unsupported scheme', { authorization: 'Basic dXNlcjpwYXNz' }, /Bearer/],
    ];
    for (const [name, headers, message] of cases) {
      const result = await gateway(PERSON, { id: personId('jureeporn') }, headers);
      expect({ name, status: result.status, code: result.code }).toEqual({ name, status: 401, code: 'UNAUTHENTICATED' });
      expect(result.body.errors![0]!.message).toMatch(message);
      expect(result.body.data ?? null).toBeNull();
    }
  });
});

describe('a subgraph reached directly', () => {
  const secret = () => viewerSecret(stack.env);
  const admin = { id: 'mallory', role: 'NATIONAL_ADMIN' as const, provinceCode: null };

  async function direct(service: (typeof SERVICES)[number], headers: Record<string, string>) {
    const response = await fetch(stack.subgraphUrls[service], {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: response.status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message, data: body.data };
  }

  it('refuses a missing, forged, tampered or expired viewer header on every subgraph, and answers a signed one', async () => {
    const valid = await signViewer(ANONYMOUS, secret());
    const forged = await signViewer(admin, 'not-the-shared-secret-but-long-enough-to-sign');
    const [h, p, s] = valid.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'NATIONAL_ADMIN' })).toString('base64url')}.${s}`;
    const expired = await new SignJWT({ role: 'NATIONAL_ADMIN', province: null })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer('moral-registry-gateway')
      .setAudience('moral-registry-subgraphs')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(new TextEncoder().encode(secret()));
    for (const service of SERVICES) {
      const cases: [string, Record<string, string>, RegExp][] = [
        ['missing', {}, /missing/],
        ['forged', { [VIEWER_HEADER]: forged }, /not signed by the gateway/],
        ['tampered', { [VIEWER_HEADER]: tampered }, /not signed by the gateway/],
        ['expired', { [VIEWER_HEADER]: expired }, /expired/],
      ];
      for (const [name, headers, message] of cases) {
        const result = await direct(service, headers);
        expect({ service, name, status: result.status, code: result.code }).toEqual({
          service,
          name,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
        expect(result.message).toMatch(message);
        expect(result.data ?? null).toBeNull();
      }
      const signed = await direct(service, { [VIEWER_HEADER]: valid });
      expect({ service, status: signed.status }).toEqual({ service, status: 200 });
    }
  });

  it('a forged admin header cannot write through a subgraph', async () => {
    const forged = await signViewer(admin, 'not-the-shared-secret-but-long-enough-to-sign');
    const result = await postRaw(
      stack.subgraphUrls.agencies,
      `mutation { createAgency(input: { nameTh: "ชมรมปลอม", kind: COMMUNITY, provinceCode: "TH-14" }) { agency { id } } }`,
      {},
      { [VIEWER_HEADER]: forged },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const rows = await stack.services.agencies.db.rawQuery<{ n: number }>(`SELECT count(*)::int AS n FROM "Agency" WHERE "nameTh" = $1`, [
      'ชมรมปลอม',
    ]);
    expect(rows[0]!.n).toBe(0);
    expect(CULTURE_OFFICE.provinceCode).toBe('TH-14');
  });
});

describe('production sign-in through an identity provider (JWKS)', () => {
  it('verifies RS256 staff tokens against the JWKS and refuses HS256 development tokens', async () => {
    const { generateKeyPair, exportJWK } = await import('jose');
    const http = await import('node:http');
    const { startGateway } = await import('@moral-registry/gateway');
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const idp = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(idp.address() as { port: number }).port}/.well-known/jwks.json`;
    const gw = await startGateway({
      host: '127.0.0.1',
      port: 0,
      subgraphUrls: stack.subgraphUrls,
      env: { ...stack.env, JWT_JWKS_URL: jwksUrl },
      apiKeys: stack.apiKeys,
    });
    try {
      const token = await new SignJWT({ role: 'STAFF_READER', name: 'เจ้าหน้าที่' })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject('idp-user-1')
        .setIssuer(stack.env.JWT_ISSUER)
        .setAudience(stack.env.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      const ok = await postRaw(gw.url, PERSON, { id: personId('jureeporn') }, { authorization: `Bearer ${token}` });
      expect(ok.errors).toBeUndefined();
      const development = await postRaw(
        gw.url,
        PERSON,
        { id: personId('jureeporn') },
        { authorization: `Bearer ${await tokenFor(stack, 'NATIONAL_ADMIN')}` },
      );
      expect(development.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await gw.close();
      await new Promise((resolve) => idp.close(resolve));
    }
  });
});
