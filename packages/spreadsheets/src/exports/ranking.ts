/**
 * How a province's figure compares with the 77 provinces, defined as the API defines it (the
 * subgraphs' window functions, written by statsStatement in packages/common/src/stats.ts):
 * rank 1 = highest, equal values share a rank and the next rank skips (SQL `rank()`); the mean over
 * all provinces, zeros included; the percentile is the percentage of provinces with a strictly lower value.
 */

export interface Compared {
  rank: number;
  average: number;
  percentile: number;
}

/** Each key's rank, the average and its percentile among all the values given. */
export function compareAll<Key>(values: ReadonlyMap<Key, number>): Map<Key, Compared> {
  const sorted = [...values.values()].sort((a, b) => a - b);
  const n = sorted.length;
  const average = n ? sorted.reduce((sum, v) => sum + v, 0) / n : 0;
  /** The first index whose value is not below `value` (`orEqual`: not below or equal to it). */
  const firstIndex = (value: number, orEqual: boolean) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < value || (orEqual && sorted[mid] === value)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const result = new Map<Key, Compared>();
  for (const [key, value] of values) {
    const lower = firstIndex(value, false);
    const higher = n - firstIndex(value, true);
    result.set(key, { rank: 1 + higher, average, percentile: n ? (100 * lower) / n : 0 });
  }
  return result;
}

/** Averages and percentiles in the files: two decimals (the same rounding whichever way they were computed). */
export const twoDecimals = (value: number): number => Math.round(value * 100) / 100;
