/**
 * Rate limits at the gateway (docs/SECURITY.md, "Rate limits"): a counter per anonymous address, per
 * API key and per staff member; over the limit HTTP 429 with Retry-After and RATE_LIMITED. In memory by
 * default; in Redis with REDIS_URL, where two gateway replicas share one limit; and still enforced (in
 * memory) while Redis cannot be reached.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { Env } from '@moral-registry/common';
import { clientAddress } from '../gateway/src/security/caller.ts';
import { startStack, tokenFor, type Stack } from './harness.ts';

// The machine's Redis (.ci/run starts it), or the one REDIS_URL names.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `test:${randomUUID()}:rate-limit`;

let stack: Stack;

const LIMITS: Partial<Env> = {
  GATEWAY_RATE_LIMITS: true,
  GATEWAY_RATE_LIMIT_ANONYMOUS: 3,
  GATEWAY_RATE_LIMIT_API_KEY: 5,
  GATEWAY_RATE_LIMIT_STAFF: 4,
};

const gatewayWith = (env: Partial<Env>) => stack.gatewayWith({ ...LIMITS, ...env });

beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => {
  await stack?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}, 240_000);

async function ask(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: '{ nation { code } }' }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] };
  return {
    status: response.status,
    code: body.errors?.[0]?.extensions?.code as string | undefined,
    message: body.errors?.[0]?.message,
    retryAfter: response.headers.get('retry-after'),
    remaining: response.headers.get('x-ratelimit-remaining'),
  };
}

/** The statuses of `n` requests in a row. */
const statuses = async (n: number, url: (i: number) => string, headers: Record<string, string> = {}) => {
  const result: number[] = [];
  for (let i = 0; i < n; i++) result.push((await ask(url(i), headers)).status);
  return result;
};

describe('in memory', () => {
  it('lets an anonymous address make 3 requests per window, then answers 429 with Retry-After', async () => {
    // A window far longer than the test: the four requests fall in one window however slow the machine.
    const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_WINDOW_SECONDS: 600 });
    const first = await ask(gateway.url);
    expect({ status: first.status, remaining: first.remaining }).toEqual({ status: 200, remaining: '2' });
    expect(await statuses(2, () => gateway.url)).toEqual([200, 200]);
    const limited = await ask(gateway.url);
    expect({ status: limited.status, code: limited.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(600);
    expect(limited.message).toMatch(/at most 3 per 600 s/);
    // A Thai clerk is told the same in Thai (Accept-Language), with the same code.
    const thai = await ask(gateway.url, { 'accept-language': 'th' });
    expect({ code: thai.code, message: thai.message }).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^คำขอมากเกินไป: ได้ไม่เกิน 3 ครั้งต่อ 600 วินาที กรุณาลองใหม่ใน \d+ วินาที$/),
    });
    // A forged X-Forwarded-For does not buy a new counter (no trusted proxy is configured).
    expect((await ask(gateway.url, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    // Health checks are never limited.
    expect((await fetch(new URL('/healthz', gateway.url))).status).toBe(200);
  });

  it('admits the address again once the Retry-After it was given has passed', async () => {
    // One request per 2 s window: ask until refused (a slow machine may need a few tries to land two
    // requests in one window), then wait the Retry-After the answer gave and ask again.
    const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_WINDOW_SECONDS: 2, GATEWAY_RATE_LIMIT_ANONYMOUS: 1 });
    let limited = await ask(gateway.url);
    for (let tries = 0; limited.status !== 429 && tries < 20; tries++) limited = await ask(gateway.url);
    expect({ status: limited.status, code: limited.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    await new Promise((resolve) => setTimeout(resolve, Number(limited.retryAfter) * 1000));
    expect((await ask(gateway.url)).status).toBe(200);
  });

  it('counts each API key and each staff member separately, and refused credentials against the address', async () => {
    const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_WINDOW_SECONDS: 60 });
    const one = await stack.apiKeys.create({ name: 'พาร์ทเนอร์หนึ่ง', role: 'PARTNER' });
    const two = await stack.apiKeys.create({ name: 'พาร์ทเนอร์สอง', role: 'PARTNER' });
    expect(await statuses(6, () => gateway.url, { 'x-api-key': one.key })).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await statuses(1, () => gateway.url, { 'x-api-key': two.key })).toEqual([200]);
    const editor = { authorization: `Bearer ${await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-14')}` };
    expect(await statuses(5, () => gateway.url, editor)).toEqual([200, 200, 200, 200, 429]);
    const reader = { authorization: `Bearer ${await tokenFor(stack, 'STAFF_READER')}` };
    expect(await statuses(1, () => gateway.url, reader)).toEqual([200]);
    // Keys and tokens did not use up the address's own counter; bad keys do, then get 429 instead of 401.
    expect(await statuses(3, () => gateway.url, { 'x-api-key': `mrk_00000000_${'A'.repeat(43)}` })).toEqual([401, 401, 401]);
    expect((await ask(gateway.url)).code).toBe('RATE_LIMITED');
  });

  it('takes the client address from X-Forwarded-For only as far as the configured proxies go', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.7, 203.0.113.9', 0)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '198.51.100.7, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.5', '198.51.100.7, 203.0.113.9', 2)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.5', null, 1)).toBe('10.0.0.5');
  });
});

describe('in Redis', () => {
  it('two gateway replicas sharing Redis share one limit per address and per key', async () => {
    const env = { REDIS_URL, GATEWAY_RATE_LIMIT_PREFIX: PREFIX, GATEWAY_RATE_LIMIT_WINDOW_SECONDS: 60 };
    const a = await gatewayWith(env);
    const b = await gatewayWith(env);
    const alternate = (i: number) => (i % 2 === 0 ? a.url : b.url);
    expect(await statuses(4, alternate)).toEqual([200, 200, 200, 429]);
    expect((await ask(a.url)).status).toBe(429);
    const { key } = await stack.apiKeys.create({ name: 'พาร์ทเนอร์ Redis', role: 'PARTNER' });
    expect(await statuses(6, alternate, { 'x-api-key': key })).toEqual([200, 200, 200, 200, 200, 429]);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}*`);
    await redis.quit();
    expect(keys.sort()).toEqual([`${PREFIX}:anonymous:ip:127.0.0.1`, `${PREFIX}:partner:key:${key.split('_')[1]}`].sort());
  });

  it('keeps limiting, in memory, while Redis cannot be reached', async () => {
    const gateway = await gatewayWith({ REDIS_URL: 'redis://127.0.0.1:1', GATEWAY_RATE_LIMIT_PREFIX: `${PREFIX}:down` });
    expect(await statuses(4, () => gateway.url)).toEqual([200, 200, 200, 429]);
  });
});
