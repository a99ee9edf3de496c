/**
 * Command-line options of the benchmarks: `--name value`, `--name=value`,
 * then the environment variable `BENCH_NAME`, then the default. Each
 * benchmark's own options module says which it takes (and `--help` prints it).
 */

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

/** With `--help` (or `BENCH_HELP=1`): prints `usage` and exits 0. */
export function helpIfAsked(argv: string[], usage: string): void {
  if (!argv.includes('--help') && !flag(argv, 'help')) return;
  console.log(usage);
  process.exit(0);
}
