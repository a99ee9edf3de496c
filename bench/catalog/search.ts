/**
 * The catalog benchmark's search scenario: services of its own (one process
 * each, production settings, fresh databases), seeded with
 * `--search-courses` published courses (search-seed.ts); the search page and
 * the baseline page through the gateway, each body's answer checked once,
 * the share of the catalog each search word matches alone, then the
 * measurements (search-rounds.ts); then the SQL counts and EXPLAIN plans on
 * services of their own with LOG_SQL=true (search-sql.ts). Problems: errors
 * under load, statements growing with the page size, a Seq Scan on course.
 */
import type { BenchRun } from '../runner/run';
import { ServiceProcesses } from '../runner/services';
import type { CatalogOptions } from './options';
import { checkSearchTarget, SEARCH, searchSelectivity, searchTargets } from './search-operations';
import { measureSearch, searchFigures, type SearchFigures, type SearchRounds } from './search-rounds';
import { seedSearch } from './search-seed';
import { planProblems, searchSql, SEARCH_SQL_PAGE_SIZES, type SearchPlan } from './search-sql';
import { sqlProblems, type SqlCount } from './sql-per-request';

export interface SearchOutcome {
  operation: string;
  /** Courses, categories, instructors, confirmed orders and sold-out courses seeded. */
  data: { courses: number; categories: number; instructors: number; confirmedOrders: number; soldOut: number };
  /** Per search word: % of the courses it matches alone. */
  selectivityPct: Record<string, number>;
  /** The request bodies' variables, in the order taken. */
  variables: { search: unknown[]; baseline: unknown[] };
  rounds: SearchRounds;
  figures: SearchFigures;
  sqlPageSizes: number[];
  sql: SqlCount[];
  plans: SearchPlan[];
  problems: string[];
}

const variablesOf = (bodies: string[] | undefined): unknown[] => (bodies ?? []).map((body) => (JSON.parse(body) as { variables: unknown }).variables);

export async function runSearch(run: BenchRun, serverUrl: string, options: CatalogOptions): Promise<SearchOutcome> {
  const { log } = run;
  log(`search: services with ${options.searchCourses} courses`);
  const services = new ServiceProcesses(serverUrl, { maxSubscriptionsPerConnection: 20, log });
  const stopServices = run.hold('the services (search)', () => services.stop());
  await services.start();
  const { accounts, course, order } = services.databaseUrls;
  const catalog = await seedSearch({ accounts: accounts!, course: course!, order: order! }, options.searchCourses, log);
  const { search, baseline } = await searchTargets(services.gatewayUrl, catalog);
  await checkSearchTarget(search, catalog);
  await checkSearchTarget(baseline, catalog);
  const selectivityPct = await searchSelectivity(services.gatewayUrl, catalog);
  log(`search words match ${Math.min(...Object.values(selectivityPct))}-${Math.max(...Object.values(selectivityPct))} % of the courses alone`);
  const rounds = await measureSearch([search, baseline], options, services.meters, log);
  await stopServices();

  log('search SQL per request and plans: services again with LOG_SQL=true');
  const { counts, plans } = await searchSql(run, serverUrl, options);
  const figures = searchFigures(rounds);
  return {
    operation: SEARCH,
    data: {
      courses: catalog.courses.length,
      categories: catalog.categories.length,
      instructors: catalog.instructors.length,
      confirmedOrders: catalog.orders,
      soldOut: catalog.courses.filter((c) => c.sold === c.capacity).length,
    },
    selectivityPct,
    variables: { search: variablesOf(search.bodies), baseline: variablesOf(baseline.bodies) },
    rounds,
    figures,
    sqlPageSizes: SEARCH_SQL_PAGE_SIZES,
    sql: counts,
    plans,
    problems: [...rounds.problems, ...sqlProblems(counts, ['accounts', 'course', 'order'], 'search'), ...planProblems(plans)],
  };
}
