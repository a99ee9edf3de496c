/**
 * Statistics of the benchmarks: nearest-rank percentiles, distributions,
 * medians over rounds and ratios of medians. Units are the caller's (ms,
 * orders/s, req/s); nothing here measures.
 */

/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

/** The median of the finite values; NaN when there is none. */
export function median(values: number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

/** The median of one figure over a list (rounds, phases, measurements). */
export const medianOf = <T>(items: readonly T[], get: (item: T) => number): number => median(items.map(get));

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.length ? round(sum / sorted.length, 2) : NaN,
  };
}

export const round = (value: number, digits = 1): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

/** `measured / baseline` rounded to `digits`; null when either is missing (a path not run). */
export const ratio = (measured: number | undefined, baseline: number | undefined, digits: number): number | null =>
  measured === undefined || baseline === undefined ? null : round(measured / baseline, digits);
