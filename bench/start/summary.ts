/**
 * The start benchmark's figures: per start, where its time went (phases
 * between the events npm-start.ts and timing.ts mark, ms), the cold start
 * and the median of the warm ones, against issue 15's aim (ready in under
 * 10 s: the gateway answering a query, and the banner); the CPU seconds
 * each process used by the banner (cold, warm median); the problems that
 * make the run fail; and the JSON document (bench/results/start.json).
 */
import { SERVICES } from '@coursegraph/devkit/processes';
import { resultHeader, type Machine } from '../runner/results';
import { median, round } from '../runner/stats';
import { READY_AIM_MS, startCommand, type StartOptions } from './options';
import type { StartTiming } from './timing';

/** How the services ran, for the header. */
const HOW =
  'npm start as on a fresh clone: its embedded PostgreSQL (a new data folder for the cold start), demo data, the storefront; each service `node --import tsx <workspace>/src/main.ts`, development settings';

/** A phase: from one event (the spawn when null) to another, ms. */
interface Phase {
  phase: string;
  from: string | null;
  to: string;
}

const lastReady = 'last service ready';

/** The phases reported, in order; a service's own phase counts from PostgreSQL ready (they all start then). */
export const PHASES: Phase[] = [
  { phase: 'npm, tsx and the start script loaded', from: null, to: 'start script running' },
  { phase: 'PostgreSQL started (initdb when new), databases created', from: 'start script running', to: 'PostgreSQL ready' },
  ...SERVICES.map((name) => ({
    phase: `${name}: process started, code loaded, migrations and demo data where it has them, until ready`,
    from: 'PostgreSQL ready',
    to: `${name} ready`,
  })),
  { phase: 'gateway answers GraphQL (from the spawn)', from: null, to: 'gateway answers GraphQL' },
  { phase: 'demo sign-ins and orders, storefront, after the last service was ready', from: lastReady, to: 'banner' },
  { phase: 'banner (from the spawn)', from: null, to: 'banner' },
];

/** One start's phases, ms (NaN when an event is missing). */
function phasesOf(timing: StartTiming): Record<string, number> {
  const events: Record<string, number> = {
    ...timing.events,
    [lastReady]: Math.max(...SERVICES.map((name) => timing.events[`${name} ready`] ?? NaN)),
  };
  const at = (event: string | null) => (event === null ? 0 : (events[event] ?? NaN));
  return Object.fromEntries(PHASES.map(({ phase, from, to }) => [phase, at(to) - at(from)]));
}

/** Per phase: the cold start's figure and the median of the warm ones, ms. */
function phaseSummary(timings: StartTiming[]) {
  const cold = timings.find((timing) => timing.kind === 'cold');
  const warm = timings.filter((timing) => timing.kind === 'warm').map(phasesOf);
  const coldPhases = cold ? phasesOf(cold) : null;
  return PHASES.map(({ phase }) => ({
    phase,
    coldMs: coldPhases ? round(coldPhases[phase]!, 0) : null,
    warmMedianMs: warm.length ? round(median(warm.map((phases) => phases[phase]!)), 0) : null,
  }));
}

/** Per process (and in all): CPU seconds used by the banner, the cold start's and the median of the warm ones. */
function cpuSummary(timings: StartTiming[]) {
  const withTotal = (cpu: Record<string, number> | null): Record<string, number> | null =>
    cpu ? { ...cpu, 'all processes': Object.values(cpu).reduce((sum, seconds) => sum + seconds, 0) } : null;
  const cold = withTotal(timings.find((timing) => timing.kind === 'cold')?.cpuAtBannerS ?? null);
  const warm = timings.filter((timing) => timing.kind === 'warm').map((timing) => withTotal(timing.cpuAtBannerS));
  const names = [...new Set([cold, ...warm].flatMap((cpu) => Object.keys(cpu ?? {})))];
  return names.map((name) => ({
    process: name,
    coldS: cold ? round(cold[name] ?? 0, 2) : null,
    warmMedianS: warm.length ? round(median(warm.map((cpu) => cpu?.[name] ?? NaN)), 2) : null,
  }));
}

function problemsOf(timings: StartTiming[]): string[] {
  return timings.filter((timing) => timing.failure).map((timing) => `run ${timing.run} (${timing.kind}): ${timing.failure}`);
}

/** The JSON document of the run. */
export function startResults(options: StartOptions, startedAt: Date, machine: Machine & { loadAverageAtStart: number[] }, timings: StartTiming[]) {
  const phases = phaseSummary(timings);
  const figure = (phase: string) => phases.find((row) => row.phase === phase)!;
  const ready = figure('gateway answers GraphQL (from the spawn)');
  const banner = figure('banner (from the spawn)');
  const met = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : ms < READY_AIM_MS);
  const problems = problemsOf(timings);
  return {
    ...resultHeader('start', startedAt, startCommand(options), machine, undefined, HOW),
    parameters: { runs: options.runs, timeoutS: options.timeoutMs / 1000, aimMs: READY_AIM_MS },
    aim: {
      gatewayAnswers: { coldMs: ready.coldMs, warmMedianMs: ready.warmMedianMs, coldMet: met(ready.coldMs), warmMet: met(ready.warmMedianMs) },
      banner: { coldMs: banner.coldMs, warmMedianMs: banner.warmMedianMs, coldMet: met(banner.coldMs), warmMet: met(banner.warmMedianMs) },
    },
    phases,
    cpuAtBanner: cpuSummary(timings),
    ok: problems.length === 0,
    problems,
    runs: timings,
  };
}

export type StartResults = ReturnType<typeof startResults>;
