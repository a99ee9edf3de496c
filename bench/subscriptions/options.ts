/**
 * The subscriptions benchmark's options (`npm run bench:subscriptions --
 * --help`), each also read from env `BENCH_<NAME>`, and what follows from
 * them: the subscriptions per connection the services must allow, and the
 * size of the unrecorded warm-up phases.
 */
import { flag, numOption, option, runOptions, type RunOptions } from '../runner/options';

export type Mode = 'direct' | 'gateway';

const USAGE = `npm run bench:subscriptions -- [options]   (or env BENCH_<NAME>, e.g. BENCH_SUBSCRIBERS=200)
  --subscribers N     subscriptions to one course (default 1000)
  --orders M          orders placed per phase, each by a new student (default 200)
  --rate R            orders started per second (default 50)
  --concurrency C     orders in flight at most (default 16)
  --connections K     websockets per phase; subscriptions are spread over them (default N)
  --rounds X          rounds of (direct, gateway) phases, order alternating (default 2)
  --drain-timeout S   seconds to wait, after the last order, for every event to arrive (default 20)
  --only direct|gateway   run one kind of phase only (no ratios)
  --in-process        run the services in this process, on one thread (the tests' stack), instead of one process per service
  --profile           CPU-profile each service process (or the one server thread) and the client thread during each phase`;

export interface SubscriptionsOptions extends RunOptions {
  /** N: subscriptions to the phase's course. */
  subscribers: number;
  /** M: orders per phase. */
  orders: number;
  /** Orders started per second. */
  rate: number;
  concurrency: number;
  /** K: websockets per phase. */
  connections: number;
  rounds: number;
  drainTimeoutMs: number;
  only: Mode | '';
  profile: boolean;
  inProcess: boolean;
  /** The services' MAX_SUBSCRIPTIONS_PER_CONNECTION (the gateway allows at most 1000). */
  subscriptionsPerConnection: number;
  /** The unrecorded warm-up phases' size. */
  warmUp: { subscribers: number; orders: number };
}

export function subscriptionsOptions(argv: string[]): SubscriptionsOptions {
  const run = runOptions(argv, USAGE, { fallback: 300, min: 10 });
  const subscribers = Math.floor(numOption(argv, 'subscribers', 1000, 1, 20_000));
  const connections = Math.floor(numOption(argv, 'connections', subscribers, 1, subscribers));
  const only = option(argv, 'only', '');
  if (only && only !== 'direct' && only !== 'gateway') throw new Error('--only must be direct or gateway');
  const subscriptionsPerConnection = Math.max(20, Math.ceil(subscribers / connections));
  if (subscriptionsPerConnection > 1_000)
    throw new Error('--connections must be at least N / 1000 (the gateway allows 1000 subscriptions per connection at most)');
  return {
    subscribers,
    orders: Math.floor(numOption(argv, 'orders', 200, 1, 100_000)),
    rate: numOption(argv, 'rate', 50, 0.1, 10_000),
    concurrency: Math.floor(numOption(argv, 'concurrency', 16, 1, 1_000)),
    connections,
    rounds: Math.floor(numOption(argv, 'rounds', 2, 1, 50)),
    drainTimeoutMs: numOption(argv, 'drain-timeout', 20, 1, 3_600) * 1000,
    only: only as Mode | '',
    profile: flag(argv, 'profile'),
    inProcess: flag(argv, 'in-process'),
    ...run,
    subscriptionsPerConnection,
    warmUp: { subscribers: Math.min(subscribers, 50), orders: 10 },
  };
}

/** The command that repeats the run, as the results quote it. */
export const subscriptionsCommand = (o: SubscriptionsOptions): string =>
  `npm run bench:subscriptions -- --subscribers ${o.subscribers} --orders ${o.orders} --rate ${o.rate} --connections ${o.connections} --rounds ${o.rounds}` +
  `${o.concurrency !== 16 ? ` --concurrency ${o.concurrency}` : ''}${o.only ? ` --only ${o.only}` : ''}${o.inProcess ? ' --in-process' : ''}${o.profile ? ' --profile' : ''}`;
