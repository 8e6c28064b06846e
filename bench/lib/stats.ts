/** Latency statistics from raw samples. */

export interface LatencyStats {
  samples: number;
  /** Milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function latencyStats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/**
 * Runs `sample` sequentially: a warm-up (up to `warmup` calls or 2 s, at least 3 calls), then until
 * both `minSeconds` and `minSamples` are reached, but no longer than `maxSeconds`.
 */
export async function sampleSequentially(
  sample: () => Promise<number>,
  limits: { warmup: number; minSamples: number; minSeconds: number; maxSeconds: number; afterWarmup?: () => void },
): Promise<number[]> {
  const warmupEnd = Date.now() + 2_000;
  for (let i = 0; i < limits.warmup && (i < 3 || Date.now() < warmupEnd); i++) await sample();
  limits.afterWarmup?.();
  const samples: number[] = [];
  const start = Date.now();
  for (;;) {
    const elapsed = (Date.now() - start) / 1000;
    if (elapsed >= limits.maxSeconds) break;
    if (elapsed >= limits.minSeconds && samples.length >= limits.minSamples) break;
    samples.push(await sample());
  }
  return samples;
}
