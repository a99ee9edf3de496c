/**
 * The orders benchmark's options (`npm run bench:orders -- --help`), each also
 * read from env `BENCH_<NAME>`, and its fixed parameters: the course price,
 * the seats of the spread and hot courses, the connection counts at which
 * the curves compare one and two instances of every service.
 */
import { flag, numOption, option, runOptions, type RunOptions } from '../runner/options';

export type Scenario = 'spread' | 'hot';
export const SCENARIOS: readonly Scenario[] = ['spread', 'hot'];

/** Every course's price; each order expects it. */
export const PRICE = { amount: 1_000, currency: 'USD' };
/** Seats of each spread course and of the hot course: enough that no measurement sells out. */
export const SPREAD_CAPACITY = 100_000;
export const HOT_CAPACITY = 1_000_000;
/** Connection counts of the curves at which the stack is also measured with a second instance of every service (issue 15, item 4). */
export const INSTANCE_CONNECTIONS: readonly number[] = [20, 50];
/** The services' database pool per instance when a second instance runs (DATABASE_POOL_SIZE, see bench/README.md "orders"). */
export const SECOND_INSTANCE_POOL_SIZE = 10;
/** The pgbench binary of the hot scenario's baseline. */
export const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

const USAGE = `npm run bench:orders -- [options]
  --duration S              seconds of load per measurement (default 20)
  --connections C           concurrent connections / clients (default 20)
  --courses N               courses in the spread scenario (default 1000)
  --rounds X                ABBA rounds: X=2 runs the paths in order, then reversed (default 2)
  --only spread|hot         one scenario only
  --profile                 CPU-profile each service during the stack measurements (slower; prints time by area)
  --curve-connections LIST  connection counts of the scaling curves (default 1,5,20,50,100)
  --curve-duration S        seconds of load per curve point and path (default 4)
  --curve-rounds X          ABBA rounds of the paths at each curve point (default 2)
  --skip-curves             no scaling curves (and no second instance of the services)`;

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
  /** Connection counts of the curves, ascending; empty with --skip-curves. */
  curveConnections: number[];
  curveDuration: number;
  curveRounds: number;
}

/** `1,5,20`: connection counts from 1 to 200, ascending; throws naming the option otherwise. */
function connectionList(raw: string): number[] {
  const list = raw.split(',').map((item) => Number(item.trim()));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1 || n > 200))
    throw new Error(`--curve-connections must be a list of connection counts from 1 to 200, got "${raw}"`);
  return [...new Set(list)].sort((a, b) => a - b);
}

export function ordersOptions(argv: string[]): OrdersOptions {
  const run = runOptions(argv, USAGE, { fallback: 1500, min: 30 });
  const only = option(argv, 'only', '');
  if (only && !(SCENARIOS as readonly string[]).includes(only)) throw new Error(`--only must be spread or hot, got "${only}"`);
  return {
    duration: numOption(argv, 'duration', 20, 2, 600),
    connections: numOption(argv, 'connections', 20, 1, 200),
    courses: numOption(argv, 'courses', 1000, 1, 100_000),
    rounds: numOption(argv, 'rounds', 2, 1, 10),
    only: only as Scenario | '',
    profile: flag(argv, 'profile'),
    curveConnections: flag(argv, 'skip-curves') ? [] : connectionList(option(argv, 'curve-connections', '1,5,20,50,100')),
    curveDuration: numOption(argv, 'curve-duration', 4, 2, 600),
    curveRounds: numOption(argv, 'curve-rounds', 2, 1, 10),
    ...run,
  };
}

/** The command that repeats the run, as the results quote it. */
export const ordersCommand = (o: OrdersOptions): string =>
  `npm run bench:orders -- --duration ${o.duration} --connections ${o.connections} --courses ${o.courses} --rounds ${o.rounds}${o.only ? ` --only ${o.only}` : ''}` +
  (o.curveConnections.length
    ? ` --curve-connections ${o.curveConnections.join(',')} --curve-duration ${o.curveDuration} --curve-rounds ${o.curveRounds}`
    : ' --skip-curves');
