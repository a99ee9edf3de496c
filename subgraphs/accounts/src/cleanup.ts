/**
 * Deletes what the accounts subgraph no longer needs: rate-limit windows that
 * ended, and refresh tokens a day past their expiry (an expired token is
 * refused either way; sessions.ts). Plain DELETEs, safe to run from any
 * number of instances at once. Started every 60 s by server.ts.
 */
import type { DataSource } from 'typeorm';

/** One pass; returns how many rows it deleted. `windowSeconds` is the rate-limit window (AUTH_RATE_LIMIT_WINDOW_SECONDS). */
export async function cleanupOnce(dataSource: DataSource, windowSeconds: number): Promise<number> {
  const windows = await dataSource.query(`DELETE FROM rate_limit WHERE window_start < now() - make_interval(secs => $1)`, [windowSeconds]);
  const tokens = await dataSource.query(`DELETE FROM refresh_token WHERE expires_at < now() - interval '1 day'`);
  return Number(windows[1] ?? 0) + Number(tokens[1] ?? 0);
}
