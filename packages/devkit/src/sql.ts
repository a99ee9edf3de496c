/**
 * What the in-process services ask PostgreSQL: a test's way to count SQL
 * statements (batching, no N+1) without a server-side log.
 */
import pg from 'pg';

/**
 * The SQL text each pg client in this process sends to each of
 * `databaseUrls`' databases while `work` runs, by the key it is given under:
 * `statementsDuring({ course: url }, work)` -> `{ course: ['SELECT ...', ...] }`.
 * Matched by database name, so every pool on that database counts; the
 * services must run in this process (devkit/stack.ts) and load the same `pg`.
 */
export async function statementsDuring<K extends string>(
  databaseUrls: Record<K, string>,
  work: () => Promise<unknown>,
): Promise<Record<K, string[]>> {
  const keys = Object.keys(databaseUrls) as K[];
  const keyOf = new Map(keys.map((key) => [new URL(databaseUrls[key]).pathname.slice(1), key]));
  const seen = Object.fromEntries(keys.map((key) => [key, [] as string[]])) as Record<K, string[]>;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const key = keyOf.get(this.database ?? '');
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (key !== undefined && text) seen[key].push(text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}
