/**
 * The subscriptions benchmark's options (`npm run bench:subscriptions --
 * --help`), each also read from env `BENCH_<NAME>`, and what follows from
 * them: the subscriptions per connection the services must allow, and the
 * size of the unrecorded warm-up phases. The defaults are issue 15's aim
 * for live seats: p99 under 50 ms at 1,000 subscribers and 20 orders/s
 * through the gateway.
 */
import { flag, numOption, option, runOptions, type RunOptions } from '../runner/options';

export type Mode = 'direct' | 'gateway';

const USAGE = `npm run bench:subscriptions -- [options]   (or env BENCH_<NAME>, e.g. BENCH_SUBSCRIBERS=200)
  --subscribers N     subscriptions to one course (default 1000)
  --orders M          orders placed per phase of the rounds, each by a new student (default 160)
  --rate R            orders started per second in the rounds (default 20)
  --concurrency C     orders in flight at most (default 16)
  --connections K     websockets per phase; subscriptions are spread over them (default N)
  --rounds X          rounds at R of the gateway path (the aim's point) (default 2)
  --direct-rounds     the rounds also run the direct path, ABBA, for gateway / direct ratios at R (past the
                      course subgraph's capacity at N=1000 and 20/s: about 8-9 orders/s on 2 cores)
  --sweep R1,R2,...   then one phase per path at each of these rates, ascending, until the path falls under 90 %
                      of the rate or fails (default 5,10,20,40,80; none: no sweep)
  --sweep-seconds S   orders per sweep phase: its rate × S, at least 20 (default 8)
  --limit-ms P        the p99 latency limit of the sweep (default 50)
  --drain-timeout S   seconds to wait, after the last order, for every event to arrive (default 20)
  --gateways G        gateway processes; through the gateway, websocket i goes to gateway i mod G, each with its own topic (default 1)
  --only direct|gateway   run one path only, in the rounds and the sweep (no ratios)
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
  /** G: gateway processes the websockets are spread over. */
  gateways: number;
  rounds: number;
  /** Offered rates of the sweep, ascending; empty: no sweep. */
  sweep: number[];
  sweepSeconds: number;
  /** p99 latency limit, ms: the highest rate of the sweep whose p99 stays under it is the path's figure. */
  limitMs: number;
  drainTimeoutMs: number;
  only: Mode | '';
  /** The paths of the rounds (--rounds, --direct-rounds, --only) and of the sweep (both unless --only). */
  roundModes: Mode[];
  sweepModes: Mode[];
  profile: boolean;
  inProcess: boolean;
  /** The services' MAX_SUBSCRIPTIONS_PER_CONNECTION (the gateway allows at most 1000). */
  subscriptionsPerConnection: number;
  /** The unrecorded warm-up phases' size. */
  warmUp: { subscribers: number; orders: number };
}

/** `5,10,20` as ascending distinct rates; `none` (or nothing) as none. */
function sweepRates(text: string): number[] {
  if (text === 'none' || text === '') return [];
  const rates = text.split(',').map(Number);
  if (rates.some((rate) => !Number.isFinite(rate) || rate < 0.1 || rate > 10_000))
    throw new Error(`--sweep must be rates from 0.1 to 10000 separated by commas, or none; got "${text}"`);
  return [...new Set(rates)].sort((a, b) => a - b);
}

export function subscriptionsOptions(argv: string[]): SubscriptionsOptions {
  const run = runOptions(argv, USAGE, { fallback: 900, min: 10 });
  const subscribers = Math.floor(numOption(argv, 'subscribers', 1000, 1, 20_000));
  const connections = Math.floor(numOption(argv, 'connections', subscribers, 1, subscribers));
  const only = option(argv, 'only', '');
  if (only && only !== 'direct' && only !== 'gateway') throw new Error('--only must be direct or gateway');
  if (flag(argv, 'in-process') && option(argv, 'gateways', '1') !== '1')
    throw new Error('--gateways needs the services as processes (no --in-process)');
  const subscriptionsPerConnection = Math.max(20, Math.ceil(subscribers / connections));
  if (subscriptionsPerConnection > 1_000)
    throw new Error('--connections must be at least N / 1000 (the gateway allows 1000 subscriptions per connection at most)');
  return {
    subscribers,
    orders: Math.floor(numOption(argv, 'orders', 160, 1, 100_000)),
    rate: numOption(argv, 'rate', 20, 0.1, 10_000),
    concurrency: Math.floor(numOption(argv, 'concurrency', 16, 1, 1_000)),
    connections,
    gateways: Math.floor(numOption(argv, 'gateways', 1, 1, 16)),
    rounds: Math.floor(numOption(argv, 'rounds', 2, 0, 50)),
    sweep: sweepRates(option(argv, 'sweep', '5,10,20,40,80')),
    sweepSeconds: numOption(argv, 'sweep-seconds', 8, 1, 600),
    limitMs: numOption(argv, 'limit-ms', 50, 1, 60_000),
    drainTimeoutMs: numOption(argv, 'drain-timeout', 20, 1, 3_600) * 1000,
    only: only as Mode | '',
    roundModes: only ? [only as Mode] : flag(argv, 'direct-rounds') ? ['direct', 'gateway'] : ['gateway'],
    sweepModes: only ? [only as Mode] : ['direct', 'gateway'],
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
  ` --sweep ${o.sweep.join(',') || 'none'} --sweep-seconds ${o.sweepSeconds} --limit-ms ${o.limitMs}` +
  `${o.concurrency !== 16 ? ` --concurrency ${o.concurrency}` : ''}${o.gateways !== 1 ? ` --gateways ${o.gateways}` : ''}${o.only ? ` --only ${o.only}` : ''}${!o.only && o.roundModes.length === 2 ? ' --direct-rounds' : ''}${o.inProcess ? ' --in-process' : ''}${o.profile ? ' --profile' : ''}`;
