/**
 * The catalog benchmark's options (`npm run bench:catalog -- --help`), each
 * also read from env `BENCH_<NAME>`, and its fixed parameters: the page size
 * measured and the page sizes of the SQL count.
 */
import { flag, numOption, runOptions, type RunOptions } from '../runner/options';

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
  --hive-install-timeout S   give up installing Hive Gateway after S seconds (default 240)`;

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
}

export function catalogOptions(argv: string[]): CatalogOptions {
  const run = runOptions(argv, USAGE, { fallback: 900, min: 30 });
  return {
    courses: Math.floor(numOption(argv, 'courses', 200, 101, 10_000)),
    duration: numOption(argv, 'duration', 15, 1, 600),
    connections: Math.floor(numOption(argv, 'connections', 20, 1, 1_000)),
    serial: Math.floor(numOption(argv, 'serial', 400, 10, 100_000)),
    rounds: Math.floor(numOption(argv, 'rounds', 2, 1, 20)),
    skipHive: flag(argv, 'skip-hive'),
    profile: flag(argv, 'profile'),
    hiveInstallTimeout: numOption(argv, 'hive-install-timeout', 240, 10, 3_600),
    ...run,
  };
}

/** The command that repeats the run, as the results quote it. */
export const catalogCommand = (o: CatalogOptions): string =>
  `npm run bench:catalog -- --courses ${o.courses} --duration ${o.duration} --connections ${o.connections} --serial ${o.serial} --rounds ${o.rounds}${o.skipHive ? ' --skip-hive' : ''}`;
