/**
 * How the benchmarks take their measurements: the paths under comparison
 * alternate ABBA over rounds (round 1 in the given order, round 2 reversed,
 * ...), so a drift in the machine's load does not favour one path, and each
 * measurement is bracketed by the service processes' meters (event-loop
 * utilization 0..1, CPU ms, event-loop delay ms; see meter.ts).
 */
import type { Measured } from './meter';
import type { ServiceMeter } from './services';

/** The rounds of an ABBA design over `items`: `{ round: 1, order: items }`, `{ round: 2, order: reversed }`, ... */
export function* abbaRounds<T>(rounds: number, items: readonly T[]): Generator<{ round: number; order: T[] }> {
  for (let round = 1; round <= rounds; round++) yield { round, order: round % 2 === 1 ? [...items] : [...items].reverse() };
}

/** Starts every meter (profiling those `profile` names), runs `work`, stops them; their readings in the meters' order. */
export async function metered<T>(
  meters: readonly ServiceMeter[],
  profile: (name: string) => boolean,
  work: () => Promise<T>,
): Promise<{ result: T; measured: Measured[] }> {
  await Promise.all(meters.map((meter) => meter.start(profile(meter.name))));
  const result = await work();
  const measured = await Promise.all(meters.map((meter) => meter.stop()));
  return { result, measured };
}
