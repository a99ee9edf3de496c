/**
 * The orders benchmark's options (`npm run bench:orders -- --help`), each also
 * read from env `BENCH_<NAME>`, and its fixed parameters: the course price
 * and the seats of the spread and hot courses.
 */
import { flag, numOption, option, runOptions, type RunOptions } from '../runner/options';

export type Scenario = 'spread' | 'hot';
export const SCENARIOS: readonly Scenario[] = ['spread', 'hot'];

/** Every course's price; each order expects it. */
export const PRICE = { amount: 1_000, currency: 'USD' };
/** Seats of each spread course and of the hot course: enough that no measurement sells out. */
export const SPREAD_CAPACITY = 100_000;
export const HOT_CAPACITY = 1_000_000;
/** The pgbench binary of the hot scenario's baseline. */
export const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

const USAGE = `npm run bench:orders -- [options]
  --duration S      seconds of load per measurement (default 20)
  --connections C   concurrent connections / clients (default 20)
  --courses N       courses in the spread scenario (default 1000)
  --rounds X        ABBA rounds: X=2 gives baseline, stack, stack, baseline (default 2)
  --only spread|hot one scenario only
  --profile         CPU-profile each service during the stack measurements (slower; prints time by area)`;

export interface OrdersOptions extends RunOptions {
  /** Seconds of load per measurement. */
  duration: number;
  /** autocannon connections, node pg baseline clients, pgbench clients. */
  connections: number;
  /** Courses of the spread scenario. */
  courses: number;
  rounds: number;
  /** One scenario only ('' = both). */
  only: Scenario | '';
  profile: boolean;
}

export function ordersOptions(argv: string[]): OrdersOptions {
  const run = runOptions(argv, USAGE, { fallback: 600, min: 30 });
  const only = option(argv, 'only', '');
  if (only && !(SCENARIOS as readonly string[]).includes(only)) throw new Error(`--only must be spread or hot, got "${only}"`);
  return {
    duration: numOption(argv, 'duration', 20, 2, 600),
    connections: numOption(argv, 'connections', 20, 1, 200),
    courses: numOption(argv, 'courses', 1000, 1, 100_000),
    rounds: numOption(argv, 'rounds', 2, 1, 10),
    only: only as Scenario | '',
    profile: flag(argv, 'profile'),
    ...run,
  };
}

/** The command that repeats the run, as the results quote it. */
export const ordersCommand = (o: OrdersOptions): string =>
  `npm run bench:orders -- --duration ${o.duration} --connections ${o.connections} --courses ${o.courses} --rounds ${o.rounds}${o.only ? ` --only ${o.only}` : ''}`;
