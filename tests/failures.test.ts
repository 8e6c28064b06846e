/**
 * Failures behind the gateway (docs/RESILIENCE.md): a subgraph killed under a stream of national
 * comparison reads costs only its own fields, named in the answer, and full answers return when it
 * is back; a slow subgraph costs at most the upstream timeout; failed reads are retried, writes never;
 * production names the failed subgraph too; and the agencies database restarted under a stream of
 * writes loses no committed write, while readiness reports the outage and the recovery.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { applicationName } from '@moral-registry/common';
import { startGateway, type RunningGateway } from '@moral-registry/gateway';
import { startStack, tokenFor, type Stack } from './harness.ts';

const DATABASE_URL = process.env.DATABASE_URL;

interface Answer {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** A reused keep-alive connection the gateway closed as idle at that very moment: the read never started. */
const connectionReset = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code === 'ECONNRESET';

async function gql(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const send = () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query }),
    });
  // These are reads: like any HTTP client, send one again on a fresh connection when the pooled one was reset
  // (Node's keep-alive race between the client reusing a socket and the server closing it), once.
  const response = await send().catch((error: unknown) => {
    if (connectionReset(error)) return send();
    throw error;
  });
  const body = (await response.json()) as Omit<Answer, 'status'>;
  return { status: response.status, ...body };
}

async function readiness(graphqlUrl: string) {
  const response = await fetch(new URL('/readyz', graphqlUrl));
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}`);
    await sleep(25);
  }
}

/** Runs `task` over and over with `concurrency` workers until stopped; each result is kept with when it ran. */
function load<T>(concurrency: number, task: (n: number) => Promise<T>, pauseMs = 0) {
  const results: { startedAt: number; endedAt: number; result: T }[] = [];
  let running = true;
  let n = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) {
      const startedAt = Date.now();
      const result = await task(n++);
      results.push({ startedAt, endedAt: Date.now(), result });
      if (pauseMs) await sleep(pauseMs);
    }
  });
  return {
    results,
    since: (t: number) => results.filter((r) => r.startedAt >= t),
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** A TCP proxy a test can cut: `refuse()` closes new connections at once, as a stopped server would. */
async function tcpProxy(target: { host: string; port: number }) {
  let accepting = true;
  const server = net.createServer((client) => {
    if (!accepting) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close).pipe(upstream);
    upstream.on('error', close).on('close', close).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    refuse: () => (accepting = false),
    accept: () => (accepting = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * An HTTP proxy in front of a subgraph that counts requests and can hold them (forwarded only when
 * the test releases them) or drop the connection.
 */
async function httpProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  const state = { requests: 0, hold: false, dropNext: 0 };
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    state.requests += 1;
    if (state.dropNext > 0) {
      state.dropNext -= 1;
      return req.socket.destroy();
    }
    const forward = () => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (state.hold) held.push(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    state,
    /** The requests held so far, still unanswered. */
    held: () => held.length,
    /** Forwards the held requests and stops holding. */
    release: () => {
      state.hold = false;
      for (const forward of held.splice(0)) forward();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let stack: Stack;
/**
 * Where the error of a failed subgraph points: Hive Router's executor (GATEWAY_QUERY_PLANNER=rust, the
 * default) names the object whose fields that subgraph owns, Hive Gateway's own planner the field.
 */
const failedAt = (object: string, field: string) => (stack.env.GATEWAY_QUERY_PLANNER === 'js' ? [object, field] : [object]);
let database: Awaited<ReturnType<typeof tcpProxy>> | null = null;
beforeAll(async () => {
  // On PostgreSQL the agencies subgraph reaches its database through a proxy the restart test can cut.
  if (DATABASE_URL) {
    const url = new URL(DATABASE_URL);
    database = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(database.port);
    stack = await startStack({ databaseUrls: { agencies: url.toString() } });
  } else stack = await startStack();
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await database?.close();
}, 240_000);

const COMPARISON = `{ provinces { code nameTh agencyStats { total } activityStats(fiscalYear: 2565) { count } recognitionStats(fiscalYear: 2565) { total } } }`;

describe('a subgraph killed under a stream of national comparison reads', () => {
  it('answers the other subgraphs’ fields with an error naming it, and answers in full once it is back', async () => {
    const reads = load(2, () => gql(stack.gatewayUrl, COMPARISON));
    await until('a few full answers', () => reads.results.length >= 4);

    await stack.stopSubgraph('awards');
    const down = Date.now();
    await until('three answers without awards', () => reads.since(down).length >= 3);
    const ready = await readiness(stack.gatewayUrl);
    expect(ready).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        unavailable: ['awards'],
        subgraphs: { networks: 'ready', agencies: 'ready', activities: 'ready', awards: 'unreachable' },
      },
    });

    const restarting = Date.now();
    await stack.startSubgraph('awards');
    const up = Date.now();
    await until('three answers after the restart', () => reads.since(up).length >= 3);
    await reads.stop();

    // Not one failed request: every answer has the 77 provinces with the other subgraphs' fields.
    for (const { result } of reads.results) {
      expect(result.status).toBe(200);
      expect(result.data?.provinces).toHaveLength(77);
      const ayutthaya = result.data!.provinces.find((p: { code: string }) => p.code === 'TH-14');
      expect(ayutthaya).toMatchObject({ nameTh: 'พระนครศรีอยุธยา', agencyStats: { total: 59 }, activityStats: { count: 1 } });
    }
    const whileDown = reads.results.filter((r) => r.startedAt >= down && r.endedAt <= restarting);
    expect(whileDown.length).toBeGreaterThanOrEqual(3);
    for (const { result } of whileDown) {
      expect(result.data!.provinces.every((p: { recognitionStats: unknown }) => p.recognitionStats === null)).toBe(true);
      expect(result.errors).toEqual([
        {
          message: 'The awards subgraph could not be reached; its fields are null',
          path: failedAt('provinces', 'recognitionStats'),
          extensions: { code: 'SUBREQUEST_HTTP_ERROR', serviceName: 'awards' },
        },
      ]);
    }
    for (const { result } of reads.since(up)) {
      expect(result.errors).toBeUndefined();
      expect(result.data!.provinces.find((p: { code: string }) => p.code === 'TH-14').recognitionStats).toEqual({
        total: expect.any(Number),
      });
    }
    expect((await readiness(stack.gatewayUrl)).status).toBe(200);
  });
});

describe('a slow or flaky subgraph', () => {
  let proxy: Awaited<ReturnType<typeof httpProxy>>;
  let gateway: RunningGateway;
  beforeAll(async () => {
    proxy = await httpProxy(stack.subgraphUrls.awards);
    const env = { ...stack.env, GATEWAY_UPSTREAM_TIMEOUT_MS: 400, GATEWAY_UPSTREAM_RETRY_DELAY_MS: 20 };
    gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      subgraphUrls: { ...stack.subgraphUrls, awards: proxy.url },
      env,
      apiKeys: stack.apiKeys,
    });
  }, 240_000);
  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
  }, 240_000);

  const RECOGNITIONS = `{ province(code: "TH-14") { nameTh recognitionStats(fiscalYear: 2565) { total } } }`;

  it('costs at most the upstream timeout, asked once, and the answer says which subgraph was slow', async () => {
    // The awards subgraph does not answer at all until the test lets it: an answer that arrives
    // while its request is still held was given without waiting for it.
    proxy.state.hold = true;
    proxy.state.requests = 0;
    const answer = await gql(gateway.url, RECOGNITIONS);
    const stillHeld = proxy.held();
    proxy.release();
    expect(stillHeld).toBe(1);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ province: { nameTh: 'พระนครศรีอยุธยา', recognitionStats: null } });
    expect(answer.errors).toEqual([
      {
        message: 'The awards subgraph did not answer within 400 ms; its fields are null',
        path: failedAt('province', 'recognitionStats'),
        extensions: { code: 'GATEWAY_TIMEOUT', serviceName: 'awards' },
      },
    ]);
    expect(proxy.state.requests).toBe(1);
  });

  it('retries a read whose connection failed, and never a write', async () => {
    proxy.state.requests = 0;
    proxy.state.dropNext = 2;
    const read = await gql(gateway.url, RECOGNITIONS);
    expect(read.errors).toBeUndefined();
    expect(read.data!.province.recognitionStats).toEqual({ total: expect.any(Number) });
    expect(proxy.state.requests).toBe(3);

    proxy.state.requests = 0;
    proxy.state.dropNext = 1;
    const admin = { authorization: `Bearer ${await tokenFor(stack, 'NATIONAL_ADMIN')}` };
    const write = await gql(
      gateway.url,
      `mutation { createAwardCriteria(input: { provinceCode: "TH-10", fiscalYear: 2566, textTh: "เกณฑ์ทดสอบการลองใหม่", virtues: [HONESTY] }) { awardCriteria { id } } }`,
      admin,
    );
    expect(write.errors).toEqual([
      {
        message: 'The awards subgraph could not be reached; its fields are null',
        path: ['createAwardCriteria'],
        extensions: { code: 'SUBREQUEST_HTTP_ERROR', serviceName: 'awards' },
      },
    ]);
    expect(proxy.state.requests).toBe(1);
  });
});

describe('in production', () => {
  it('still names the subgraph that failed, and nothing more (no address, no request)', async () => {
    const closed = await httpProxy(stack.subgraphUrls.awards);
    await closed.close();
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      subgraphUrls: { ...stack.subgraphUrls, awards: closed.url },
      env: { ...stack.env, NODE_ENV: 'production', GATEWAY_UPSTREAM_RETRIES: 0 },
      apiKeys: stack.apiKeys,
    });
    try {
      const answer = await gql(gateway.url, `{ nation { agencyStats { total } recognitionStats(fiscalYear: 2565) { total } } }`);
      expect(answer).toEqual({
        status: 200,
        data: { nation: { agencyStats: { total: expect.any(Number) }, recognitionStats: null } },
        errors: [
          {
            message: 'The awards subgraph could not be reached; its fields are null',
            path: failedAt('nation', 'recognitionStats'),
            extensions: { code: 'SUBREQUEST_HTTP_ERROR', serviceName: 'awards' },
          },
        ],
      });
    } finally {
      await gateway.close();
    }
  });
});

(!DATABASE_URL ? describe.skip : describe)(
  DATABASE_URL
    ? 'the agencies database restarted under a stream of writes'
    : 'the agencies database restarted under a stream of writes: skipped, needs DATABASE_URL (PGlite runs in-process, there is no server to restart)',
  () => {
    it('loses no committed write, reports every failed one, and recovers; readiness follows the database', async () => {
      const config = stack.services.agencies.config.database;
      if (config.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      const editor = { authorization: `Bearer ${await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-14')}` };
      const run = Date.now().toString(36);
      const writes = load(
        2,
        async (n) => {
          const name = `ชมรมทดสอบการกู้คืน ${run} ${n}`;
          const answer = await gql(
            stack.gatewayUrl,
            `mutation { createAgency(input: { nameTh: ${JSON.stringify(name)}, kind: COMMUNITY, provinceCode: "TH-14" }) { agency { id nameTh } } }`,
            editor,
          );
          return { name, id: answer.data?.createAgency?.agency?.id as string | undefined, errors: answer.errors };
        },
        10,
      );
      try {
        await until('a few writes', () => writes.results.filter((w) => w.result.id).length >= 5);

        // The restart: the server ends every connection of the service, then refuses new ones for a while.
        database!.refuse();
        const cut = Date.now();
        const terminated = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND datname = current_database() AND application_name = $1`,
          [applicationName(config.schema)],
        );
        expect(terminated.rowCount).toBeGreaterThan(0);
        await until('writes failing', () => writes.since(cut).filter((w) => w.result.errors).length >= 3);
        const agenciesReady = await fetch(new URL('/readyz', stack.subgraphUrls.agencies));
        expect(agenciesReady.status).toBe(503);
        const gatewayReady = await readiness(stack.gatewayUrl);
        expect(gatewayReady.status).toBe(503);
        expect(gatewayReady.body!.unavailable).toEqual(['agencies']);

        database!.accept();
        const back = Date.now();
        await until('writes succeeding again', () => writes.since(back).filter((w) => w.result.id).length >= 5);
        expect((await fetch(new URL('/readyz', stack.subgraphUrls.agencies))).status).toBe(200);
        expect((await readiness(stack.gatewayUrl)).status).toBe(200);
      } finally {
        await writes.stop();
      }

      const outcomes = writes.results.map((w) => w.result);
      const succeeded = outcomes.filter((o) => o.id);
      const failed = outcomes.filter((o) => !o.id);
      // Not one answer without an id and without an error: no write silently lost.
      expect(failed.filter((o) => !o.errors?.length)).toEqual([]);
      expect(failed.length).toBeGreaterThan(0);
      for (const o of failed) expect(o.errors![0]!.extensions?.serviceName).toBe('agencies');
      // Every write that answered with an id is in the database.
      const stored = await admin.query<{ id: string }>(`SELECT id FROM "${config.schema}"."Agency" WHERE id = ANY($1)`, [
        succeeded.map((o) => o.id),
      ]);
      expect(stored.rowCount).toBe(succeeded.length);
      await admin.end();
    });
  },
);
