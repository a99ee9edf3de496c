/**
 * The course row lock's time per sale, as the course subgraph measures it:
 * its histogram coursegraph_seat_lock_statement_seconds (subgraphs/course/src/metrics.ts),
 * the duration of each statement that locks a course row to take a seat
 * (the wait for the lock plus its hold: that one statement and its commit),
 * read from the service's /metrics (Prometheus text format) before and
 * after a measurement. With one buyer at a time there is no wait, so the
 * mean is the hold time; under load on one course it is wait + hold.
 */

/** The histogram's running `sum` (seconds) and `count`, summed over its series. */
async function readHistogram(courseGraphqlUrl: string): Promise<{ sum: number; count: number }> {
  const response = await fetch(new URL('/metrics', courseGraphqlUrl));
  if (!response.ok) throw new Error(`course /metrics answered HTTP ${response.status}`);
  const text = await response.text();
  const total = (suffix: string) =>
    [...text.matchAll(new RegExp(`^coursegraph_seat_lock_statement_seconds_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
  return { sum: total('sum'), count: total('count') };
}

/** Locking statements during a measurement: how many, and their mean duration in ms (null when none ran). */
export interface LockStatements {
  count: number;
  meanMs: number | null;
}

/** Runs `work` and returns its result with the locking statements the course service ran meanwhile. */
export async function withLockStatements<T>(courseGraphqlUrl: string, work: () => Promise<T>): Promise<T & { lockStatements: LockStatements }> {
  const before = await readHistogram(courseGraphqlUrl);
  const result = await work();
  const after = await readHistogram(courseGraphqlUrl);
  const count = after.count - before.count;
  const meanMs = count > 0 ? Math.round(((after.sum - before.sum) / count) * 1_000_000) / 1000 : null;
  return { ...result, lockStatements: { count, meanMs } };
}
