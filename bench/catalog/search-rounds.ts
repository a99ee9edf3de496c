/**
 * The search scenario's measurements and figures. After a 3 s warm-up per
 * target, `--rounds` ABBA rounds over (search, baseline); per target and
 * round: autocannon at 1 connection and at `--connections` for `--duration`
 * s each (req/s; p50/p99 in whole ms; each process's CPU), then `--serial`
 * requests from one client, one at a time (p50/p99 in ms to the
 * microsecond), each request the target's next body. Figures are medians
 * over rounds; ratios are search / baseline; the aim is a one-client p50
 * (serial) of the search under SEARCH_P50_AIM_MS.
 */
import { abbaRounds } from '../runner/measure';
import { fmt } from '../runner/report';
import type { ServiceMeter } from '../runner/services';
import { medianOf, ratio, round, type Distribution } from '../runner/stats';
import { cannon, serial, type Load } from './load';
import type { Target } from './operations';
import type { CatalogOptions } from './options';

/** ms: the search page's one-client p50 should stay under this (issue 12). */
export const SEARCH_P50_AIM_MS = 15;

export interface SearchRounds {
  /** By target name, one per round: at 1 connection, at --connections, and one client serially. */
  one: Record<string, Load[]>;
  many: Record<string, Load[]>;
  serial: Record<string, Distribution[]>;
  problems: string[];
}

const describe = (load: Load): string =>
  `${fmt(load.rps)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms` +
  (load.errors + load.non2xx + load.timeouts ? `, errors ${load.errors} non2xx ${load.non2xx} timeouts ${load.timeouts}` : '');

export async function measureSearch(
  targets: Target[],
  options: CatalogOptions,
  meters: ServiceMeter[],
  log: (line: string) => void,
): Promise<SearchRounds> {
  const rounds: SearchRounds = { one: {}, many: {}, serial: {}, problems: [] };
  log(`search: warm-up 3 s per target at ${options.connections} connections`);
  for (const target of targets) await cannon(target, 3, options.connections);
  const watched = { meters, profileGateway: false };
  for (const { round: n, order } of abbaRounds(options.rounds, targets)) {
    for (const target of order) {
      for (const [key, connections] of [
        ['one', 1],
        ['many', options.connections],
      ] as const) {
        const { load } = await cannon(target, options.duration, connections, watched);
        (rounds[key][target.name] ??= []).push(load);
        log(`search round ${n} ${target.label}, ${connections} conn.: ${describe(load)}`);
        if (load.errors || load.non2xx || load.timeouts)
          rounds.problems.push(
            `${target.label} at ${connections} conn.: ${load.errors} errors, ${load.non2xx} non-2xx, ${load.timeouts} timeouts in round ${n}`,
          );
      }
      const d = await serial(target, options.serial);
      (rounds.serial[target.name] ??= []).push(d);
      log(`search round ${n} ${target.label}, one client serially: p50 ${d.p50} ms, p99 ${d.p99} ms`);
    }
  }
  return rounds;
}

export interface SearchSummary {
  /** At 1 connection (autocannon): req/s, p50/p99 ms. */
  one: { rps: number; p50: number; p99: number };
  /** At --connections (autocannon). */
  many: { rps: number; p50: number; p99: number };
  /** One client, one request at a time: p50/p99 ms. */
  serial: { p50: number; p99: number };
  /** CPU ms per request of each process at --connections (client, course, order, accounts, gateway). */
  cpuMsPerRequest: Record<string, number>;
}

const PROCESSES = ['client', 'accounts', 'course', 'order', 'gateway'];

function summarize(name: string, rounds: SearchRounds): SearchSummary {
  const figures = (loads: Load[]) => ({
    rps: medianOf(loads, (l) => l.rps),
    p50: medianOf(loads, (l) => l.latencyMs.p50),
    p99: medianOf(loads, (l) => l.latencyMs.p99),
  });
  const many = rounds.many[name] ?? [];
  const cpu = PROCESSES.map(
    (process) =>
      [
        process,
        round(
          medianOf(many, (l) => ((l.cpuPct[process] ?? NaN) * 10) / l.rps),
          3,
        ),
      ] as const,
  );
  return {
    one: figures(rounds.one[name] ?? []),
    many: figures(many),
    serial: { p50: medianOf(rounds.serial[name] ?? [], (d) => d.p50), p99: medianOf(rounds.serial[name] ?? [], (d) => d.p99) },
    cpuMsPerRequest: Object.fromEntries(cpu.filter(([, value]) => Number.isFinite(value))),
  };
}

/** Medians per target, search / baseline ratios, and whether the aim was met (with a note when not). */
export function searchFigures(rounds: SearchRounds) {
  const search = summarize('search', rounds);
  const baseline = summarize('baseline', rounds);
  const ratios = {
    rpsOneConnection: ratio(search.one.rps, baseline.one.rps, 3),
    rps: ratio(search.many.rps, baseline.many.rps, 3),
    p50OneClient: ratio(search.serial.p50, baseline.serial.p50, 3),
    p50: ratio(search.many.p50, baseline.many.p50, 3),
  };
  const met = search.serial.p50 < SEARCH_P50_AIM_MS;
  return {
    search,
    baseline,
    ratios,
    aim: { p50OneClientMs: SEARCH_P50_AIM_MS, met },
    notes: met ? [] : [`Aim missed: the search page's one-client p50 is ${fmt(search.serial.p50, 2)} ms (aim < ${SEARCH_P50_AIM_MS} ms).`],
  };
}

export type SearchFigures = ReturnType<typeof searchFigures>;
