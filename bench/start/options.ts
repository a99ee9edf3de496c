/**
 * The start benchmark's options (`npm run bench:start -- --help`), each also
 * read from env `BENCH_<NAME>`, and its fixed figure: issue 15's aim, `npm
 * start` ready in under 10 s.
 */
import { numOption, runOptions, type RunOptions } from '../runner/options';

/** Issue 15's aim for `npm start`, from spawning it until it is ready (the gateway answers; the banner), ms. */
export const READY_AIM_MS = 10_000;

const USAGE = `npm run bench:start -- [options]   (or env BENCH_<NAME>)
  --runs N          starts of npm start: the first cold (new PostgreSQL data folder, empty tsx cache), the others warm (default 3)
  --timeout S       longest wait for one start's banner (default 120)`;

export interface StartOptions extends RunOptions {
  runs: number;
  /** Longest wait for one start's banner, ms. */
  timeoutMs: number;
}

export function startOptions(argv: string[]): StartOptions {
  const run = runOptions(argv, USAGE, { fallback: 900, min: 60 }, false);
  return {
    runs: Math.floor(numOption(argv, 'runs', 3, 1, 20)),
    timeoutMs: numOption(argv, 'timeout', 120, 10, 3_600) * 1000,
    ...run,
  };
}

/** The command that repeats the run, as the results quote it. */
export const startCommand = (o: StartOptions): string => `npm run bench:start -- --runs ${o.runs}`;
