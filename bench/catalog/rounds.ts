/**
 * The catalog's measurements: a 3 s warm-up per target, then `--rounds`
 * rounds over the targets in ABBA order, each target's throughput for
 * `--duration` s, then each single-body target's one-client latency
 * (`--serial` requests) in the same order. Any error, non-2xx answer or
 * timeout is a problem of the run.
 */
import { abbaRounds } from '../runner/measure';
import type { ProfileSummary } from '../runner/profile';
import { fmt } from '../runner/report';
import type { Distribution } from '../runner/stats';
import { cannon, serial, type Load, type Watched } from './load';
import type { Target } from './operations';
import type { CatalogOptions } from './options';

export interface Measurements {
  /** By target name, one per round. */
  loads: Record<string, Load[]>;
  serials: Record<string, Distribution[]>;
  /** The gateway's CPU profile summaries (--profile), one per round. */
  profiles: ProfileSummary[];
  problems: string[];
}

const describe = (load: Load): string =>
  `${fmt(load.rps)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms; CPU % ${Object.entries(load.cpuPct)
    .map(([n, v]) => `${n} ${v}`)
    .join(', ')}` + (load.errors + load.non2xx + load.timeouts ? `, errors ${load.errors} non2xx ${load.non2xx} timeouts ${load.timeouts}` : '');

export async function measureTargets(
  targets: Target[],
  options: CatalogOptions,
  watched: Watched,
  log: (line: string) => void,
): Promise<Measurements> {
  const measurements: Measurements = { loads: {}, serials: {}, profiles: [], problems: [] };
  log(`warm-up: 3 s per target at ${options.connections} connections`);
  for (const target of targets) await cannon(target, 3, options.connections);
  for (const { round, order } of abbaRounds(options.rounds, targets)) {
    for (const target of order) {
      const { load, profile } = await cannon(target, options.duration, options.connections, watched);
      (measurements.loads[target.name] ??= []).push(load);
      if (profile) measurements.profiles.push(profile);
      log(`round ${round} ${target.label}: ${describe(load)}`);
      if (load.errors || load.non2xx || load.timeouts)
        measurements.problems.push(`${target.label}: ${load.errors} errors, ${load.non2xx} non-2xx, ${load.timeouts} timeouts in round ${round}`);
    }
    for (const target of order.filter((t) => !t.bodies)) {
      const d = await serial(target, options.serial);
      (measurements.serials[target.name] ??= []).push(d);
      log(`round ${round} ${target.label}, one client: p50 ${d.p50} ms, p99 ${d.p99} ms`);
    }
  }
  return measurements;
}
