/**
 * Which code the benchmarks' service processes run, and building it.
 *
 * - built (default): each workspace's `npm run build` output, started as
 *   the service's container starts it (the Dockerfile's CMD,
 *   `node --conditions=coursegraph-built dist/main.js`, in the service's
 *   folder); no TypeScript tooling in the process. The probe each service
 *   preloads is compiled to JavaScript beside it
 *   (bench/runner/tsconfig.probe.json -> bench/runner/dist/, git-ignored).
 *   The run builds both itself, once (incremental: about 3 s when nothing
 *   changed), so a clean clone needs only `npm ci`.
 * - tsx (`--tsx`, `BENCH_TSX=1`): the TypeScript sources through tsx,
 *   `node --import tsx <workspace>/src/main.ts`, as `npm start` runs them.
 *
 * NODE_ENV=production either way (packages/devkit/src/processes.ts).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { buildWorkspaces, containerNodeArgs, type ProcessStackOptions } from '@coursegraph/devkit/processes';
import { flag } from './options';

export type ServiceCode = 'built' | 'tsx';

/** The code this run's services run: `tsx` with --tsx (or BENCH_TSX=1), `built` otherwise. */
export const serviceCode = (argv = process.argv.slice(2)): ServiceCode => (flag(argv, 'tsx') ? 'tsx' : 'built');

/** One line for the results: how the services ran. */
export const describeServiceCode = (code = serviceCode()): string =>
  code === 'built'
    ? 'one process per service from built JavaScript (`npm run build`, then `node --conditions=coursegraph-built dist/main.js` in its folder, as its container), NODE_ENV=production'
    : 'one process per service from TypeScript sources (`node --import tsx <workspace>/src/main.ts`, --tsx), NODE_ENV=production';

const probeConfig = join(__dirname, 'tsconfig.probe.json');

let building: Promise<void> | null = null;

/** With built code: `npm run build`, then the probe; once per run (later calls share the first). Resolves at once with tsx. */
export function buildServiceCode(log: (line: string) => void, code = serviceCode()): Promise<void> {
  if (code === 'tsx') return Promise.resolve();
  building ??= (async () => {
    const started = performance.now();
    await buildWorkspaces();
    await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', probeConfig]).catch((error: { stdout?: string }) => {
      throw new Error(`compiling the service probe failed: ${error.stdout ?? String(error)}`, { cause: error });
    });
    log(`services built (npm run build, and the probe) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  })();
  return building;
}

/** How ProcessStack starts the services for `code`: built's node arguments, and the probe to preload (its JavaScript when built). */
export function launchOptions(code = serviceCode()): Pick<ProcessStackOptions, 'built' | 'preload'> {
  return code === 'built'
    ? { built: { nodeArgs: containerNodeArgs() }, preload: [join(__dirname, 'dist', 'service-probe.js')] }
    : { preload: [join(__dirname, 'service-probe.ts')] };
}
