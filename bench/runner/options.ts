/**
 * Command-line options of the benchmarks: `--name value`, `--name=value`,
 * then the environment variable `BENCH_NAME`, then the default. Each
 * benchmark's own options module says which it takes (and `--help` prints
 * it); every benchmark takes --max-seconds and --out, and those that start
 * the services --tsx (service-code.ts).
 */
import { join } from 'node:path';

/** The default of `--out`. */
export const RESULTS_DIR = join(__dirname, '..', 'results');

/** Reads `--name value`, `--name=value`, then env `BENCH_NAME`, then the default. */
export function option(argv: string[], name: string, fallback: string): string {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === `--${name}`) {
      const next = argv[index + 1];
      return next === undefined || next.startsWith('--') ? 'true' : next;
    }
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  return env ?? fallback;
}

/** A number option from `min` to `max`; throws naming the option otherwise. */
export function numOption(argv: string[], name: string, fallback: number, min: number, max: number): number {
  const raw = option(argv, name, String(fallback));
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** An on/off option: on for `--name`, `--name=1|true|yes` or `BENCH_NAME=1|true|yes`. */
export const flag = (argv: string[], name: string): boolean => ['1', 'true', 'yes'].includes(option(argv, name, 'false').toLowerCase());

/** What every benchmark takes. */
export interface RunOptions {
  /** --max-seconds: the run stops (exit 2) after this long. */
  maxSeconds: number;
  /** --out: where the results go; bench/results by default. */
  out: string;
}

/**
 * --max-seconds (at least `min`, `fallback` by default) and --out. First,
 * with `--help` (or `BENCH_HELP=1`): prints `usage` and these options
 * (aligned with usage's own; --tsx too unless `startsServices` is false), and exits 0.
 */
export function runOptions(argv: string[], usage: string, maxSeconds: { fallback: number; min: number }, startsServices = true): RunOptions {
  if (argv.includes('--help') || flag(argv, 'help')) {
    const column = /^ {2}--\S+(?: \S+)?\s+/m.exec(usage)?.[0].length ?? 20;
    const line = (name: string, text: string) => `  ${name}`.padEnd(column) + text;
    console.log(
      [
        usage,
        line('--max-seconds S', `hard stop: clean up and exit 2 after S seconds (default ${maxSeconds.fallback})`),
        line('--out DIR', 'where results go (default bench/results)'),
        ...(startsServices ? [line('--tsx', 'the services from their TypeScript sources through tsx, not `npm run build` output')] : []),
      ].join('\n'),
    );
    process.exit(0);
  }
  return {
    maxSeconds: numOption(argv, 'max-seconds', maxSeconds.fallback, maxSeconds.min, 86_400),
    out: option(argv, 'out', RESULTS_DIR),
  };
}
