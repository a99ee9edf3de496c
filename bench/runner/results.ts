/**
 * What every result file says about its run, and the writing of the files:
 * `<out>/<name>.json` (the latest run's figures, pretty-printed), `<name>.md`
 * and, for some benchmarks, `<name>.svg` and further charts
 * `<name>-<chart>.svg`, each overwritten by the next run (git keeps the
 * earlier ones). `--out` chooses `<out>`; bench/results by default.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { describeServiceCode } from './service-code';
import { round } from './stats';

/** The 1, 5 and 15 minute load averages now, 2 decimals. */
export const loadAverage = (): number[] => os.loadavg().map((value) => round(value, 2));

/** The machine a result was measured on, for every benchmark's JSON and summary; `extra` follows the fixed fields. */
export function machineInfo<Extra extends object>(extra: Extra) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ...extra,
  };
}

export type Machine = ReturnType<typeof machineInfo<object>>;

/** `2 × <cpu>, 7.8 GiB, Linux ... x64, Node v20...`: the start of each summary's "Machine:" line. */
export const describeMachine = (machine: Machine): string =>
  `${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`;

/** The short commit hash; with `markProductChanges`, says so when gateway/, subgraphs/ or packages/ differ from it. */
export function gitRevision(markProductChanges = false): string | null {
  const root = join(__dirname, '..', '..');
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    if (!markProductChanges) return head;
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'gateway', 'subgraphs', 'packages'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${head} (with uncommitted changes to product code)` : head;
  } catch {
    return null;
  }
}

/** The fields every benchmark's JSON starts with, in this order; `services` says what ran the services (built JavaScript or --tsx by default). */
export function resultHeader<M extends Machine>(
  benchmark: string,
  startedAt: Date,
  command: string,
  machine: M,
  revision = gitRevision(),
  services = describeServiceCode(),
) {
  return {
    benchmark,
    startedAt: startedAt.toISOString(),
    durationSeconds: round((Date.now() - startedAt.getTime()) / 1000),
    revision,
    command,
    services,
    machine,
  };
}

/** Writes `<dir>/<name>.json` (pretty, newline-terminated), `.md`, `.svg` and `-<chart>.svg` as given; returns the paths written. */
export function writeResults(
  dir: string,
  name: string,
  files: { json: object; md: string; svg?: string; charts?: Record<string, string> },
): string[] {
  mkdirSync(dir, { recursive: true });
  const contents: [string, string][] = [
    [`${name}.json`, JSON.stringify(files.json, null, 2) + '\n'],
    [`${name}.md`, files.md],
    ...(files.svg === undefined ? [] : [[`${name}.svg`, files.svg] as [string, string]]),
    ...Object.entries(files.charts ?? {}).map(([chart, svg]) => [`${name}-${chart}.svg`, svg] as [string, string]),
  ];
  return contents.map(([file, text]) => {
    writeFileSync(join(dir, file), text);
    return join(dir, file);
  });
}
