/**
 * The search page's SQL: the services started again with LOG_SQL=true (which
 * also logs each statement's parameters; packages/runtime/src/db.ts), on the
 * same seeded catalog. After 5 warm-up requests, one search request per page
 * size (SEARCH_SQL_PAGE_SIZES), its statements counted per service as in
 * sql-per-request.ts (the count must not grow with the page size). Then the
 * search with each sort (PRICE_ASC, POPULAR), and the same filter and sorts
 * without search: the course subgraph's statements over the course table
 * (the page, and the count behind totalCount) are run again as logged, with
 * their parameters, under EXPLAIN (ANALYZE, BUFFERS) on the course database.
 * A `Seq Scan on course` in a search statement or a page sorted by an
 * indexed key is a problem of the run; POPULAR without search may scan, as
 * the seat counters are left unindexed so that seat writes stay HOT
 * (migration 1764800000000-TuneCatalogSearch).
 */
import type { BenchRun } from '../runner/run';
import { connect } from '../runner/postgres';
import type { CatalogOptions } from './options';
import { post } from './operations';
import type { SearchCatalog } from './search-data';
import { SEARCH, searchVariables } from './search-operations';
import { seedSearch } from './search-seed';
import { countRequest, loggingServices, type SqlCount, type Statement } from './sql-per-request';

/** Page sizes of the search's SQL count. */
export const SEARCH_SQL_PAGE_SIZES = [10, 20, 50];

export interface SearchPlan {
  /** e.g. `search, PRICE_ASC: page`. */
  label: string;
  sql: string;
  parameters: unknown[];
  /** EXPLAIN (ANALYZE, BUFFERS) output, one line per row. */
  plan: string[];
  /** The plan's scans, joins, sorts and times, trimmed: where the index names are. */
  keyLines: string[];
  seqScanOnCourse: boolean;
  /** Whether a Seq Scan on course fails the run for this statement (search statements, and pages sorted by an indexed key). */
  mustUseIndex: boolean;
}

const SEQ_SCAN_ON_COURSE = /Seq Scan on course\s/;
/** Sorts by a seat counter, which no index covers (see the module's docstring). */
const UNINDEXED_SORTS = new Set(['POPULAR', 'SEATS_LEFT']);
const KEY_LINE = /Scan|Join|Sort Method|Limit|Execution Time/;

const bodyOf = (variables: object) => JSON.stringify({ query: SEARCH, variables });

/** The course subgraph's statements over the course table itself (not the category lookup nor the links). */
const overCourse = (logged: Statement[]) => logged.filter((s) => s.service === 'course' && /FROM "course" "course"/.test(s.sql));

async function explain(courseDbUrl: string, label: string, statement: Statement, withSearch: boolean, sort: string): Promise<SearchPlan> {
  const db = await connect(courseDbUrl);
  try {
    const parameters = statement.parameters ?? [];
    const rows = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, parameters)).rows as { 'QUERY PLAN': string }[];
    const plan = rows.map((row) => row['QUERY PLAN']);
    const isCount = /COUNT\(/i.test(statement.sql);
    return {
      label: `${label}: ${isCount ? 'totalCount' : 'page'}`,
      sql: statement.sql.replace(/\s+/g, ' ').trim(),
      parameters,
      plan,
      keyLines: plan.filter((line) => KEY_LINE.test(line)).map((line) => line.trim()),
      seqScanOnCourse: plan.some((line) => SEQ_SCAN_ON_COURSE.test(line)),
      mustUseIndex: withSearch || (!isCount && !UNINDEXED_SORTS.has(sort)),
    };
  } finally {
    await db.end();
  }
}

/** The counts per page size, then the plans; `statements` is what the logging services log. */
async function countAndExplain(
  gatewayUrl: string,
  courseDbUrl: string,
  catalog: SearchCatalog,
  statements: Statement[],
  log: (line: string) => void,
) {
  const counts: SqlCount[] = [];
  for (const pageSize of SEARCH_SQL_PAGE_SIZES) {
    const { result, statements: per, sql } = await countRequest(gatewayUrl, bodyOf(searchVariables(catalog, 0, pageSize)), statements);
    const edges = (result.data!.courses as { edges: unknown[] }).edges.length;
    counts.push({ pageSize, edges, statements: per, sql });
    log(
      `search, first: ${pageSize}: ${edges} edges; SQL statements: ${Object.entries(per)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
    );
  }
  const plans: SearchPlan[] = [];
  for (const withSearch of [true, false])
    for (const index of [0, 1]) {
      const variables = searchVariables(catalog, index, undefined, withSearch);
      const { logged } = await countRequest(gatewayUrl, bodyOf(variables), statements);
      const label = `${withSearch ? `search "${variables.search}"` : 'no search'}, filter, ${variables.sort}`;
      for (const statement of overCourse(logged)) plans.push(await explain(courseDbUrl, label, statement, withSearch, variables.sort ?? 'NEWEST'));
    }
  return { counts, plans };
}

/** Services of their own with LOG_SQL=true (held by the run until done), seeded with options.searchCourses courses: the counts and the plans. */
export async function searchSql(run: BenchRun, serverUrl: string, options: CatalogOptions): Promise<{ counts: SqlCount[]; plans: SearchPlan[] }> {
  const statements: Statement[] = [];
  const services = loggingServices(serverUrl, statements, run.log);
  const stop = run.hold('the services (search SQL)', () => services.stop());
  try {
    await services.start();
    const { accounts, course, order } = services.databaseUrls;
    const catalog = await seedSearch({ accounts: accounts!, course: course!, order: order! }, options.searchCourses, run.log);
    for (let index = 0; index < 5; index++) await post(services.gatewayUrl, bodyOf(searchVariables(catalog, index))); // plans, pools
    const found = await countAndExplain(services.gatewayUrl, course!, catalog, statements, run.log);
    for (const plan of found.plans) run.log(`plan, ${plan.label}: ${plan.keyLines.join(' | ')}`);
    return found;
  } finally {
    await stop();
  }
}

/** A Seq Scan on course where an index must serve. */
export const planProblems = (plans: SearchPlan[]): string[] =>
  plans.filter((plan) => plan.mustUseIndex && plan.seqScanOnCourse).map((plan) => `${plan.label}: the plan reads the course table with a Seq Scan`);
