/**
 * The gateway's response cache (docs/RESILIENCE.md): public reads are answered from the cache the
 * second time, one entry per role, staff never; answers with personal data or errors are never cached;
 * a write through the gateway is visible to the next read; with Redis, two gateway replicas share
 * entries and a write through one clears them for the other.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { personId } from '@moral-registry/common/demo';
import { startGateway, type RunningGateway } from '@moral-registry/gateway';
import { startStack, tokenFor, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ gatewayEnv: { GATEWAY_CACHE_ENABLED: true } });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  // With REDIS_URL set, the stack's gateway kept its entries in Redis under a prefix of its own.
  if (stack?.env.REDIS_URL) await deleteKeys(stack.env.REDIS_URL, stack.env.GATEWAY_CACHE_REDIS_PREFIX);
});

async function deleteKeys(url: string, prefix: string) {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(keys);
  await redis.quit();
}

interface Answer {
  status: number;
  data: Record<string, any> | null | undefined;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  cache?: { hit: boolean; didCache?: boolean; ttl?: number };
}

async function read(query: string, headers: Record<string, string> = {}, url = stack.gatewayUrl): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as Omit<Answer, 'status' | 'cache'> & { extensions?: { responseCache?: Answer['cache'] } };
  return { status: response.status, data: body.data, errors: body.errors, cache: body.extensions?.responseCache };
}

const STATS = `{ province(code: "TH-14") { code nameTh agencyStats { total nationalRank } } agencyRanking { rank value province { code } } }`;
const REFERENCE = `{ regions { code nameTh provinces { code nameTh } } }`;
const createAgencyIn14 = (name: string) =>
  `mutation { createAgency(input: { nameTh: ${JSON.stringify(name)}, kind: COMMUNITY, provinceCode: "TH-14" }) { agency { id } } }`;

async function createAgency(name: string, url = stack.gatewayUrl) {
  const token = await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-14');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: createAgencyIn14(name) }),
  });
  const body = (await response.json()) as { data?: { createAgency: { agency: { id: string } } }; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!.createAgency.agency.id;
}

describe('public reads through the cache', () => {
  it('answers a second identical read from the cache, with the TTL of its shortest-lived type', async () => {
    const first = await read(STATS);
    expect(first.errors).toBeUndefined();
    expect(first.cache).toEqual({ hit: false, didCache: true, ttl: 60_000 });
    const second = await read(STATS);
    expect(second.cache).toEqual({ hit: true });
    expect(second.data).toEqual(first.data);

    const reference = await read(REFERENCE);
    expect(reference.cache).toEqual({ hit: false, didCache: true, ttl: 3_600_000 });
    expect((await read(REFERENCE)).cache).toEqual({ hit: true });
  });

  it('keeps one entry per role: a partner app does not get the anonymous entry, staff answers are never cached', async () => {
    const query = `{ nation { agencyStats { total } } }`;
    expect((await read(query)).cache).toMatchObject({ hit: false, didCache: true });
    expect((await read(query)).cache).toEqual({ hit: true });

    const { key } = await stack.apiKeys.create({ name: 'แอปทดสอบแคช', role: 'PARTNER' });
    const partner = { 'x-api-key': key };
    expect((await read(query, partner)).cache).toMatchObject({ hit: false, didCache: true });
    expect((await read(query, partner)).cache).toEqual({ hit: true });

    const staff = { authorization: `Bearer ${await tokenFor(stack, 'STAFF_READER')}` };
    for (let i = 0; i < 2; i++) {
      const answer = await read(query, staff);
      expect(answer.data).toEqual({ nation: { agencyStats: { total: expect.any(Number) } } });
      expect(answer.cache).toBeUndefined();
    }
  });

  it('never caches answers that touch personal data or carry an error', async () => {
    const person = `{ person(id: "${personId('jureeporn')}") { fullNameTh phone } }`;
    const agencies = `{ province(code: "TH-14") { agencyStats { total } agencies(first: 2) { edges { node { nameTh } } } } }`;
    const error = `{ province(code: "TH-14") { activityStats(fiscalYear: 65) { count } } }`;
    for (const query of [person, agencies, error]) {
      const answers = [await read(query), await read(query)];
      // A bad argument the gateway checks itself (fiscalYear) is refused before the cache is asked: no cache entry either way.
      expect(answers.map((a) => ({ hit: a.cache?.hit ?? false, didCache: a.cache?.didCache ?? false }))).toEqual([
        { hit: false, didCache: false },
        { hit: false, didCache: false },
      ]);
    }
    const failed = await read(error);
    expect(failed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('a write through the gateway', () => {
  it('is visible to the next read: the cached stats are dropped', async () => {
    const before = await read(STATS);
    expect((await read(STATS)).cache).toEqual({ hit: true });
    const total = before.data!.province.agencyStats.total as number;

    await createAgency('ชมรมทดสอบแคช');
    const after = await read(STATS);
    expect(after.cache).toMatchObject({ hit: false });
    expect(after.data!.province.agencyStats.total).toBe(total + 1);
    expect(after.data!.agencyRanking[0]).toEqual({ rank: 1, value: total + 1, province: { code: 'TH-14' } });
  });

  it('that fails clears nothing', async () => {
    await read(STATS);
    expect((await read(STATS)).cache).toEqual({ hit: true });
    const refused = await read(createAgencyIn14('ชมรมนิรนาม'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await read(STATS)).cache).toEqual({ hit: true });
  });
});

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisReachable = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL);
  const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 500 });
  // The probe closes its socket whatever the outcome: the worker process runs other files after this one.
  const answer = (reachable: boolean) => {
    socket.destroy();
    resolve(reachable);
  };
  socket
    .once('connect', () => answer(true))
    .once('error', () => answer(false))
    .once('timeout', () => answer(false));
});

// Skipped only on a developer's machine without Redis, and then it says so; CI (.ci/run starts Redis)
// always runs it, so a Redis that is missing there fails the run instead of hiding the test.
const runRedisTests = redisReachable || !!process.env.CI;
(!runRedisTests ? describe.skip : describe)(
  runRedisTests
    ? 'two gateway replicas sharing the cache in Redis'
    : `two gateway replicas sharing the cache in Redis: skipped, no Redis at ${REDIS_URL} (set REDIS_URL, or start redis-server)`,
  () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:response-cache:`;
    let replicas: RunningGateway[] = [];
    let redis: Redis;
    beforeAll(async () => {
      const env = { ...stack.env, GATEWAY_CACHE_ENABLED: true, REDIS_URL, GATEWAY_CACHE_REDIS_PREFIX: prefix };
      const start = () => startGateway({ host: '127.0.0.1', port: 0, subgraphUrls: stack.subgraphUrls, env, apiKeys: stack.apiKeys });
      replicas = [await start(), await start()];
      redis = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      for (const replica of replicas) await replica.close();
      await redis.quit();
      await deleteKeys(REDIS_URL, prefix);
    });

    it('serves one replica’s entry from the other, and a write through one clears it for both', async () => {
      const [a, b] = replicas.map((r) => r.url) as [string, string];
      const first = await read(STATS, {}, a);
      expect(first.cache).toMatchObject({ hit: false, didCache: true });
      expect((await read(STATS, {}, b)).cache).toEqual({ hit: true });
      const stored = await redis.keys(`${prefix}*`);
      expect(stored.length).toBeGreaterThan(0);
      const ttls = await Promise.all(stored.filter((k) => !k.endsWith('generation')).map((k) => redis.pttl(k)));
      for (const ttl of ttls) expect(ttl).toBeGreaterThan(0);

      await createAgency('ชมรมทดสอบแคชเรดิส', a);
      const after = await read(STATS, {}, b);
      expect(after.cache).toMatchObject({ hit: false });
      expect(after.data!.province.agencyStats.total).toBe(first.data!.province.agencyStats.total + 1);
    });
  },
);
