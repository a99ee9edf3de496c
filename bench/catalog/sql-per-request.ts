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

/** A statement a service logged (with LOG_SQL=true TypeORM logs its parameters too). */
export interface Statement {
  service: string;
  time: number;
  sql: string;
  parameters?: unknown[];
}

export interface SqlCount {
  pageSize: number;
  edges: number;
  statements: Record<string, number>;
  sql: Record<string, string[]>;
}

const SERVICE_NAMES = ['accounts', 'course', 'order', 'gateway'];

/** The services with SQL logging on; each logged statement is pushed to `statements`. */
export function loggingServices(serverUrl: string, statements: Statement[], log: (line: string) => void): ServiceProcesses {
  return new ServiceProcesses(serverUrl, {
    maxSubscriptionsPerConnection: 20,
    log,
    // The sweeper and the reconciler would run their own SQL now and then: off for this count.
    env: { LOG_SQL: 'true', LOG_LEVEL: 'info', SWEEP_INTERVAL_SECONDS: '0', RECONCILE_INTERVAL_SECONDS: '0' },
    stdout: (service, line) => {
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; type?: string; sql?: string; time?: string; parameters?: unknown[] };
        if (entry.msg === 'database' && entry.type === 'query')
          statements.push({ service, time: Date.parse(entry.time!), sql: entry.sql!, parameters: entry.parameters });
      } catch {
        // A log line that only looks like JSON: not a statement.
      }
    },
  });
}

/**
 * One request (`body`, through the gateway at `gatewayUrl`) and the statements each service logged for it:
 * the answer, the count per service (plus `idleBefore`: statements in the 300 ms before it), the SQL text
 * (whitespace folded) and the statements themselves with their parameters.
 */
export async function countRequest(gatewayUrl: string, body: string, statements: Statement[]) {
  statements.length = 0;
  await sleep(300);
  const idle = statements.length;
  const result = await post(gatewayUrl, body);
  if (result.errors || !result.data) throw new Error(`${body.slice(0, 200)}: ${JSON.stringify(result).slice(0, 500)}`);
  await sleep(500); // the log lines travel through a pipe
  const logged = [...statements];
  const per: Record<string, number> = {};
  const sql: Record<string, string[]> = {};
  for (const name of SERVICE_NAMES) {
    per[name] = logged.filter((s) => s.service === name).length;
    sql[name] = logged.filter((s) => s.service === name).map((s) => s.sql.replace(/\s+/g, ' ').trim());
  }
  if (idle) per.idleBefore = idle;
  return { result, statements: per, sql, logged };
}

/** One catalog request of `pageSize` and the statements each service logged for it. */
async function countOne(gatewayUrl: string, pageSize: number, statements: Statement[]): Promise<SqlCount> {
  const {
    result,
    statements: per,
    sql,
  } = await countRequest(gatewayUrl, JSON.stringify({ query: CATALOG, variables: { first: pageSize } }), statements);
  const edges = (result.data!.courses as { edges: unknown[] }).edges.length;
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

/** What makes the counts of `what` (a request) fail the run: growth with the page size, one of `services` logging nothing, background SQL. */
export function sqlProblems(sql: SqlCount[], services = ['course', 'order'], what = 'catalog'): string[] {
  const problems: string[] = [];
  for (const name of services) {
    const counts = sql.map((count) => count.statements[name] ?? 0);
    if (counts.some((count) => count > counts[0]!))
      problems.push(
        `${name} subgraph: SQL statements per ${what} request grow with the page size: ${sql.map((c) => `first ${c.pageSize}: ${c.statements[name]}`).join(', ')}`,
      );
    if (counts.some((count) => count === 0)) problems.push(`${name} subgraph: no SQL statement logged for a ${what} request (logging not captured?)`);
  }
  for (const count of sql)
    if (count.statements.idleBefore)
      problems.push(
        `${what}, first ${count.pageSize}: ${count.statements.idleBefore} statements logged before the request (background work), counts unreliable`,
      );
  return problems;
}
