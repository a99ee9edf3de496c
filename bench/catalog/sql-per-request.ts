/**
 * SQL statements per catalog request: the services started again with
 * LOG_SQL=true, LOG_LEVEL=info and the sweeper and reconciler off (no
 * background SQL), their stdout read here. After 5 warm-up requests, one
 * request per page size (10, 50, 100); the `msg: "database"`, `type:
 * "query"` lines each service logs meanwhile are counted (the SQL text is
 * kept). A subgraph's count must not grow with the page size, nor be zero,
 * and nothing may be logged in the 300 ms before a request.
 */
import { sleep } from '@coursegraph/devkit/timing';
import type { BenchRun } from '../runner/run';
import { ServiceProcesses } from '../runner/services';
import { CATALOG, post } from './operations';
import { PAGE, SQL_PAGE_SIZES } from './options';
import { seed } from './seed';

interface Statement {
  service: string;
  time: number;
  sql: string;
}

export interface SqlCount {
  pageSize: number;
  edges: number;
  statements: Record<string, number>;
  sql: Record<string, string[]>;
}

const SERVICE_NAMES = ['accounts', 'course', 'order', 'gateway'];

/** The services with SQL logging on; each logged statement is pushed to `statements`. */
function loggingServices(serverUrl: string, statements: Statement[], log: (line: string) => void): ServiceProcesses {
  return new ServiceProcesses(serverUrl, {
    maxSubscriptionsPerConnection: 20,
    log,
    // The sweeper and the reconciler would run their own SQL now and then: off for this count.
    env: { LOG_SQL: 'true', LOG_LEVEL: 'info', SWEEP_INTERVAL_SECONDS: '0', RECONCILE_INTERVAL_SECONDS: '0' },
    stdout: (service, line) => {
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; type?: string; sql?: string; time?: string };
        if (entry.msg === 'database' && entry.type === 'query') statements.push({ service, time: Date.parse(entry.time!), sql: entry.sql! });
      } catch {
        // A log line that only looks like JSON: not a statement.
      }
    },
  });
}

/** One catalog request of `pageSize` and the statements each service logged for it. */
async function countOne(gatewayUrl: string, pageSize: number, statements: Statement[]): Promise<SqlCount> {
  statements.length = 0;
  await sleep(300);
  const idle = statements.length;
  const result = await post(gatewayUrl, JSON.stringify({ query: CATALOG, variables: { first: pageSize } }));
  if (result.errors || !result.data) throw new Error(`catalog(first: ${pageSize}): ${JSON.stringify(result).slice(0, 500)}`);
  const edges = (result.data.courses as { edges: unknown[] }).edges.length;
  await sleep(500); // the log lines travel through a pipe
  const per: Record<string, number> = {};
  const sql: Record<string, string[]> = {};
  for (const name of SERVICE_NAMES) {
    per[name] = statements.filter((s) => s.service === name).length;
    sql[name] = statements.filter((s) => s.service === name).map((s) => s.sql.replace(/\s+/g, ' ').trim());
  }
  if (idle) per.idleBefore = idle;
  return { pageSize, edges, statements: per, sql };
}

/** Services of their own (held by the run until done), seeded with `courses` courses; one count per page size. */
export async function sqlPerRequest(run: BenchRun, serverUrl: string, courses: number): Promise<SqlCount[]> {
  const statements: Statement[] = [];
  const services = loggingServices(serverUrl, statements, run.log);
  const stop = run.hold('the services (SQL count)', () => services.stop());
  try {
    await services.start();
    await seed(services.databaseUrls.course!, services.databaseUrls.order!, courses, run.log);
    const warmUp = JSON.stringify({ query: CATALOG, variables: { first: PAGE } });
    for (let index = 0; index < 5; index++) await post(services.gatewayUrl, warmUp); // warm-up: plans, pools, statements
    await sleep(500);
    const counts: SqlCount[] = [];
    for (const pageSize of SQL_PAGE_SIZES) {
      const count = await countOne(services.gatewayUrl, pageSize, statements);
      counts.push(count);
      run.log(
        `first: ${pageSize}: ${count.edges} edges; SQL statements: ${Object.entries(count.statements)
          .map(([name, n]) => `${name} ${n}`)
          .join(', ')}`,
      );
    }
    return counts;
  } finally {
    await stop();
  }
}

/** What makes the counts fail the run: growth with the page size, a subgraph that logged nothing, background SQL. */
export function sqlProblems(sql: SqlCount[]): string[] {
  const problems: string[] = [];
  for (const name of ['course', 'order']) {
    const counts = sql.map((count) => count.statements[name] ?? 0);
    if (counts.some((count) => count > counts[0]!))
      problems.push(
        `${name} subgraph: SQL statements per catalog request grow with the page size: ${sql.map((c) => `first ${c.pageSize}: ${c.statements[name]}`).join(', ')}`,
      );
    if (counts.some((count) => count === 0)) problems.push(`${name} subgraph: no SQL statement logged for a catalog request (logging not captured?)`);
  }
  for (const count of sql)
    if (count.statements.idleBefore)
      problems.push(
        `first ${count.pageSize}: ${count.statements.idleBefore} statements logged before the request (background work), counts unreliable`,
      );
  return problems;
}
