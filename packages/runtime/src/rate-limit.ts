/**
 * Fixed-window attempt counters in PostgreSQL, so every instance of a
 * service counts the same attempts (DESIGN.md: "limits are counted in the
 * database"). One statement per key: count this attempt and report how many
 * the window holds. The service's database needs the `rate_limit` table
 * (key text primary key, window_start timestamptz, attempts integer); a
 * key's row is reused window after window.
 */
import type { DataSource } from 'typeorm';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** Counts an attempt for each key; returns the seconds to wait if any key is over its limit, else 0. */
export async function countAttempt(dataSource: DataSource, keys: [string, RateLimit][]): Promise<number> {
  let wait = 0;
  for (const [key, { limit, windowSeconds }] of keys) {
    const [row] = (await dataSource.query(
      `INSERT INTO rate_limit (key, window_start, attempts) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         attempts = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE rate_limit.attempts + 1 END,
         window_start = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => $2) THEN now() ELSE rate_limit.window_start END
       RETURNING attempts, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS "secondsLeft"`,
      [key, windowSeconds],
    )) as { attempts: number; secondsLeft: number }[];
    if (row!.attempts > limit) wait = Math.max(wait, Math.max(1, row!.secondsLeft));
  }
  return wait;
}
