/**
 * The catalog benchmark's options (`npm run bench:catalog -- --help`), each
 * also read from env `BENCH_<NAME>`, and its fixed parameters: the page size
 * measured and the page sizes of the SQL count.
 */
import { flag, numOption, option, runOptions, type RunOptions } from '../runner/options';

/** Courses per catalog page measured (the brief's `courses(first: 20)`). */
export const PAGE = 20;
/** Page sizes of the SQL-per-request count: the statements must not grow with them. */
export const SQL_PAGE_SIZES = [10, 50, 100];

const USAGE = `npm run bench:catalog -- [options]   (or env BENCH_<NAME>)
  --courses N        published courses seeded (default 200)
  --duration S       seconds per throughput measurement (default 15)
  --connections C    autocannon connections (default 20)
  --serial N         requests of the one-client latency measurement per target (default 400)
  --rounds X         rounds over the targets, order reversed every other round (default 2)
  --skip-hive        do not install or measure Hive Gateway
  --profile          CPU-profile the gateway process during its throughput measurements (slower; summary in the results)
  --hive-install-timeout S   give up installing Hive Gateway after S seconds (default 240)
  --search-courses N published courses of the search scenario (default 10000; 5 confirmed orders per course)
  --skip-search      do not run the search scenario
  --only catalog|search   one part only: the catalog page (with Hive) or the search scenario`;

export interface CatalogOptions extends RunOptions {
  /** Published courses seeded (at least 101: the distinct pages need 100 + PAGE). */
  courses: number;
  /** Seconds per throughput measurement. */
  duration: number;
  connections: number;
  /** One-client requests per target and round. */
  serial: number;
  rounds: number;
  skipHive: boolean;
  profile: boolean;
  /** Seconds. */
  hiveInstallTimeout: number;
  /** Published courses of the search scenario (at least 1,000: each search must fill a page after its filter). */
  searchCourses: number;
  /** The parts run: the catalog page (targets, Hive, SQL) and the search scenario. */
  parts: { catalog: boolean; search: boolean };
}

export function catalogOptions(argv: string[]): CatalogOptions {
  const run = runOptions(argv, USAGE, { fallback: 1_500, min: 30 });
  return {
    courses: Math.floor(numOption(argv, 'courses', 200, 101, 10_000)),
    duration: numOption(argv, 'duration', 15, 1, 600),
    connections: Math.floor(numOption(argv, 'connections', 20, 1, 1_000)),
    serial: Math.floor(numOption(argv, 'serial', 400, 10, 100_000)),
    rounds: Math.floor(numOption(argv, 'rounds', 2, 1, 20)),
    skipHive: flag(argv, 'skip-hive'),
    profile: flag(argv, 'profile'),
    hiveInstallTimeout: numOption(argv, 'hive-install-timeout', 240, 10, 3_600),
    searchCourses: Math.floor(numOption(argv, 'search-courses', 10_000, 1_000, 100_000)),
    parts: parts(option(argv, 'only', ''), flag(argv, 'skip-search')),
    ...run,
  };
}

function parts(only: string, skipSearch: boolean): CatalogOptions['parts'] {
  if (!['', 'catalog', 'search'].includes(only)) throw new Error(`--only must be catalog or search, got "${only}"`);
  if (only === 'search' && skipSearch) throw new Error('--only search and --skip-search leave nothing to run');
  return { catalog: only !== 'search', search: only !== 'catalog' && !skipSearch };
}

/** The command that repeats the run, as the results quote it. */
export const catalogCommand = (o: CatalogOptions): string =>
  `npm run bench:catalog -- --courses ${o.courses} --duration ${o.duration} --connections ${o.connections} --serial ${o.serial} --rounds ${o.rounds}${o.skipHive ? ' --skip-hive' : ''}` +
  (o.parts.search ? ` --search-courses ${o.searchCourses}` : ' --skip-search') +
  (o.parts.catalog ? '' : ' --only search');
