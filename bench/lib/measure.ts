/**
 * The measurements of one scenario through one gateway: a checked first answer, SQL statements per
 * operation per subgraph (counter deltas around single requests), latency at concurrency 1
 * (sequential requests after a warm-up) and throughput at concurrency N (autocannon).
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { SERVICES, type ServiceName } from '../../packages/common/src/config.ts';
import type { Scenario } from '../scenarios/index.ts';
import { measureCpu, type CpuUsage } from './cpu.ts';
import { describeFailure, graphqlBody, HttpClient, isGraphQLSuccess } from './http.ts';
import type { Stack } from './stack.ts';
import { latencyStats, sampleSequentially, type LatencyStats } from './stats.ts';

export interface StatementCounts {
  /** Median statements per operation, per subgraph. */
  perSubgraph: Record<ServiceName, number>;
  total: number;
  /** Every sample, per subgraph. */
  samples: Record<ServiceName, number[]>;
  /** True when every sample gave the same counts. */
  stable: boolean;
}

export interface LatencyResult extends LatencyStats {
  /** Requests that failed (not 200, GraphQL errors or no data); not counted in the statistics. */
  errors: number;
  loadAverage: number;
}

export interface ThroughputResult {
  connections: number;
  /**
   * `duration`: load for --duration seconds. `amount`: fewer than 2 × connections responses came
   * back within the duration, so the time of exactly 2 × connections responses was measured instead.
   */
  mode: 'duration' | 'amount';
  durationSec: number;
  requests: number;
  /** Completed responses per second. */
  rps: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  /** Responses that were not a 200 with data and without GraphQL errors. */
  graphqlErrors: number;
  connectionErrors: number;
  timeouts: number;
  /** The first few failed response bodies (truncated), to tell what went wrong. */
  failures: string[];
  /**
   * SQL statements each subgraph sent during the phase per completed response (requests cut off when
   * the load stops count too). Below the concurrency-1 figure when the gateway merges identical
   * concurrent subgraph requests.
   */
  statementsPerResponse: Record<ServiceName, number>;
  cpu: CpuUsage;
}

export interface GatewayResult {
  url: string;
  responseBytes: number;
  /** A problem with the first answer (errors, missing data); measurements are skipped when set. */
  failure?: string;
  statements?: StatementCounts;
  latency?: LatencyResult;
  throughput?: ThroughputResult;
}

const STATEMENT_SAMPLES = 5;

let running: autocannon.Instance | undefined;
/** Stops a running load (Ctrl-C). */
export function stopLoad(): void {
  running?.stop();
}

/** The request bodies of a scenario in turn: always the same one, or each of its variants in a cycle. */
function bodies(scenario: Scenario): () => string {
  const all = (scenario.variants ?? [scenario.variables]).map((variables) => graphqlBody(scenario.query, variables));
  let i = 0;
  return () => all[i++ % all.length]!;
}

export class Measurer {
  private readonly client = new HttpClient();
  constructor(
    private readonly stack: Stack,
    private readonly limits: { duration: number; minSamples: number; connections: number },
  ) {}

  close(): void {
    this.client.close();
  }

  /** Sends the operation once and checks the answer; returns the parsed data. */
  async firstAnswer(url: string, scenario: Scenario): Promise<{ data?: unknown; bytes: number; failure?: string }> {
    const res = await this.client.post(url, graphqlBody(scenario.query, scenario.variables));
    const failure = describeFailure(res);
    if (failure) return { bytes: Buffer.byteLength(res.body), failure };
    const data = (JSON.parse(res.body) as { data: unknown }).data;
    return { data, bytes: Buffer.byteLength(res.body), failure: scenario.check?.(data) };
  }

  async statements(url: string, scenario: Scenario): Promise<StatementCounts> {
    const body = graphqlBody(scenario.query, scenario.variables);
    for (let i = 0; i < 3; i++) await this.client.post(url, body); // warm-up: connections, caches
    const samples = Object.fromEntries(SERVICES.map((s) => [s, [] as number[]])) as Record<ServiceName, number[]>;
    for (let i = 0; i < STATEMENT_SAMPLES; i++) {
      const before = await this.stack.statements();
      const res = await this.client.post(url, body);
      const after = await this.stack.statements();
      const failure = describeFailure(res);
      if (failure) throw new Error(`${scenario.id} via ${url}: ${failure}`);
      for (const s of SERVICES) samples[s].push(after[s] - before[s]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const perSubgraph = Object.fromEntries(SERVICES.map((s) => [s, median(samples[s])])) as Record<ServiceName, number>;
    return {
      perSubgraph,
      total: Object.values(perSubgraph).reduce((a, b) => a + b, 0),
      samples,
      stable: SERVICES.every((s) => samples[s].every((n) => n === samples[s][0])),
    };
  }

  async latency(url: string, scenario: Scenario): Promise<LatencyResult> {
    const next = bodies(scenario);
    let errors = 0;
    const samples = await sampleSequentially(
      async () => {
        const res = await this.client.post(url, next());
        if (res.status !== 200 || !isGraphQLSuccess(res.body)) errors += 1;
        return res.ms;
      },
      { warmup: 20, minSamples: this.limits.minSamples, minSeconds: this.limits.duration, maxSeconds: 3 * this.limits.duration },
    );
    return { ...latencyStats(samples), errors, loadAverage: Math.round(os.loadavg()[0]! * 100) / 100 };
  }

  async throughput(url: string, scenario: Scenario): Promise<ThroughputResult> {
    const minimum = 2 * this.limits.connections;
    const failures: string[] = [];
    const verify = (body: string | Buffer | undefined) => {
      const text = typeof body === 'string' ? body : (body?.toString('utf8') ?? '');
      const ok = isGraphQLSuccess(text);
      if (!ok && failures.length < 3) failures.push(text.slice(0, 500));
      return ok;
    };
    let endCpu = await measureCpu(this.stack.pids(), this.stack.postgresPids);
    let before = await this.stack.statements();
    let result = await this.load(url, scenario, { duration: this.limits.duration }, verify);
    let mode: ThroughputResult['mode'] = 'duration';
    if (result.requests.total < minimum) {
      // Too slow for the duration to see enough responses (autocannon drops those still in flight when
      // it stops): time a fixed number of responses instead.
      endCpu = await measureCpu(this.stack.pids(), this.stack.postgresPids);
      before = await this.stack.statements();
      failures.length = 0;
      result = await this.load(url, scenario, { amount: minimum }, verify);
      mode = 'amount';
    }
    const cpu = await endCpu();
    const after = await this.stack.statements();
    const perResponse = (s: ServiceName) => Math.round(((after[s] - before[s]) / Math.max(1, result.requests.total)) * 100) / 100;
    return {
      connections: this.limits.connections,
      mode,
      durationSec: result.duration,
      requests: result.requests.total,
      rps: Math.round((result.requests.total / result.duration) * 10) / 10,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      non2xx: result.non2xx,
      graphqlErrors: result.mismatches,
      connectionErrors: result.errors,
      timeouts: result.timeouts,
      failures,
      statementsPerResponse: Object.fromEntries(SERVICES.map((s) => [s, perResponse(s)])) as Record<ServiceName, number>,
      cpu,
    };
  }

  private load(
    url: string,
    scenario: Scenario,
    length: { duration: number } | { amount: number },
    verifyBody: (body: string | Buffer | undefined) => boolean,
  ): Promise<autocannon.Result> {
    const next = bodies(scenario);
    return new Promise<autocannon.Result>((resolve, reject) => {
      running = autocannon(
        {
          url,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: next(),
          // Distinct-query load: every request the next variables (autocannon asks before each send).
          ...(scenario.variants ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: next() }) }] } : {}),
          connections: this.limits.connections,
          ...length,
          timeout: 60,
          verifyBody,
        },
        (error, res) => (error ? reject(error) : resolve(res)),
      );
    }).finally(() => {
      running = undefined;
    });
  }
}
