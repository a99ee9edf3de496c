/**
 * Issue 9's fault runs at full size: the services as processes
 * (packages/devkit/src/processes.ts) from built JavaScript (--tsx: from
 * their sources; bench/runner/service-code.ts), 60 students buying and cancelling seats of 30
 * published courses of 20 seats through the gateway, one fault injected 15 s
 * in, then the checks after the reconciler window (packages/devkit/src/faults.ts).
 * One run per fault, one after another on the same services, each on its own
 * courses and students: order subgraph killed, course subgraph killed,
 * PostgreSQL restarted, course subgraph paused 15 s, gateway killed.
 *
 * Prints, per fault, what clients saw by code and the per-course agreement of
 * orders and seats, and writes the same to bench/results/faults.md (and the
 * raw reports to faults-<time>.json). Exits 1 when a check failed. See
 * bench/README.md, "faults".
 */
import { ProcessStack } from '@coursegraph/devkit/processes';
import {
  FAULT_ENV,
  FAULT_TITLES,
  FAULTS,
  failedChecks,
  formatReport,
  runFaultScenario,
  type FaultName,
  type FaultReport,
  type ScenarioOptions,
} from '@coursegraph/devkit/faults';
import { numOption, option, runOptions } from './runner/options';
import { findPostgres } from './runner/postgres';
import { mdRow } from './runner/report';
import { loadAverage, machineInfo, writeResults } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { buildServiceCode, describeServiceCode, launchOptions } from './runner/service-code';
import { round } from './runner/stats';

const argv = process.argv.slice(2);
const { maxSeconds, out } = runOptions(
  argv,
  `npm run bench:faults -- [options]
  --only FAULT          one of ${FAULTS.join(', ')} (default: all five, in that order)
  --courses N           published courses per fault run (default 30)
  --seats N             seats per course (default 20)
  --students N          concurrent students (default 60)
  --fault-at S          seconds of load before the fault (default 15)
  --pause S             how long the course subgraph is paused (default 15)
  --outage S            how long PostgreSQL refuses connections (default 10)
  --restart-after S     how long a killed service stays down (default 5)
  --after-fault S       seconds of load after the fault is over (default 5)
  --settle S            longest wait for the reconciler after the load (default 60)
  --cancel-rate P       chance a student cancels after a CONFIRMED answer (default 0.5)`,
  { fallback: 1_200, min: 60 },
);
const ONLY = option(argv, 'only', '');
if (ONLY && !(FAULTS as readonly string[]).includes(ONLY)) throw new Error(`--only must be one of ${FAULTS.join(', ')}, got "${ONLY}"`);
const OPTIONS: ScenarioOptions = {
  courses: numOption(argv, 'courses', 30, 1, 1_000),
  seatsPerCourse: numOption(argv, 'seats', 20, 1, 10_000),
  students: numOption(argv, 'students', 60, 1, 1_000),
  faultAtMs: numOption(argv, 'fault-at', 15, 0, 600) * 1000,
  pauseMs: numOption(argv, 'pause', 15, 1, 600) * 1000,
  outageMs: numOption(argv, 'outage', 10, 1, 600) * 1000,
  restartAfterMs: numOption(argv, 'restart-after', 5, 0, 600) * 1000,
  loadAfterFaultMs: numOption(argv, 'after-fault', 5, 0, 600) * 1000,
  settleMs: numOption(argv, 'settle', 60, 1, 600) * 1000,
  cancelRate: numOption(argv, 'cancel-rate', 0.5, 0, 1),
};

/** One line per fault: what clients saw and whether orders and seats agreed. */
function summary(reports: FaultReport[]): string {
  const sum = (counts: Record<string, number>, pick: (name: string) => boolean) =>
    Object.entries(counts)
      .filter(([name]) => pick(name))
      .reduce((total, [, n]) => total + n, 0);
  return [
    '| fault | purchases | final CONFIRMED | final refusals (user errors) | unsettled (error / transport / pending) | cancels | courses checked | disagreeing courses | order/reservation mismatches | non-final left | false answers | off-contract answers | checks |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...reports.map((report) => {
      const final = report.finalAnswers;
      const unknown = (name: string) =>
        ['ORDER_PENDING', 'PENDING', 'CANCELLING'].includes(name) || name.startsWith('error ') || name.startsWith('transport');
      const refusals = sum(final, (name) => name !== 'CONFIRMED' && !unknown(name));
      const unsettled = sum(final, unknown);
      return mdRow([
        FAULT_TITLES[report.fault],
        report.purchases,
        final.CONFIRMED ?? 0,
        refusals,
        unsettled,
        report.cancels,
        report.courses.length,
        report.disagreeingCourses.length,
        report.rowMismatches.length,
        report.nonFinalOrders + report.pendingReservations,
        report.untruthful.length,
        Object.values(report.offContract).reduce((total, n) => total + n, 0),
        failedChecks(report).length ? 'FAILED' : 'held',
      ]);
    }),
  ].join('\n');
}

async function main(run: BenchRun): Promise<number> {
  const { log } = run;
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  const pg = await findPostgres(log);
  run.hold('PostgreSQL', () => pg.stop());
  const postgres = pg.kind;
  const stack = new ProcessStack({ serverUrl: pg.url, databasePrefix: 'cg_bench_faults', env: FAULT_ENV, built: launchOptions().built, log });
  run.hold('the services', () => stack.stop());
  await buildServiceCode(log);
  await stack.start();
  const reports: FaultReport[] = [];
  for (const fault of (ONLY ? [ONLY] : FAULTS) as FaultName[]) {
    const report = await runFaultScenario(stack, fault, { ...OPTIONS, log });
    reports.push(report);
    console.log(`\n${formatReport(report)}`);
  }
  await run.cleanup();
  if (run.aborted) return 130;

  const machine = machineInfo({ postgres, loadAverageAtStart });
  const durationSeconds = round((Date.now() - startedAt.getTime()) / 1000);
  const command = `npm run bench:faults${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const markdown = [
    '# Faults under load',
    '',
    `${startedAt.toISOString()}, ${durationSeconds} s. Command: \`${command}\`. Services: ${describeServiceCode()}. ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.node}, PostgreSQL: ${postgres}, load average at start ${loadAverageAtStart.join(' / ')}.`,
    '',
    `Setup: ${OPTIONS.courses} published courses of ${OPTIONS.seatsPerCourse} seats, ${OPTIONS.students} concurrent students buying (a new idempotency key per purchase, retried with the same key on an unknown outcome) and cancelling ${OPTIONS.cancelRate * 100} % of their confirmed orders, one fault ${OPTIONS.faultAtMs / 1000} s in (a killed service restarted after ${OPTIONS.restartAfterMs / 1000} s, course paused ${OPTIONS.pauseMs / 1000} s, PostgreSQL refusing connections for ${OPTIONS.outageMs / 1000} s), load for ${OPTIONS.loadAfterFaultMs / 1000} s more, checks after the reconciler window (at most ${OPTIONS.settleMs / 1000} s). Service settings: ${Object.entries(
      FAULT_ENV,
    )
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}.`,
    '',
    summary(reports),
    '',
    ...reports.map(formatReport),
  ].join('\n');
  const json = { startedAt, durationSeconds, command, services: describeServiceCode(), machine, options: OPTIONS, env: FAULT_ENV, reports };
  const written = writeResults(out, 'faults', { json, md: markdown + '\n' });
  console.log(`\n${summary(reports)}\n`);
  log(`results in ${written.join(', ')}`);
  return reports.some((report) => failedChecks(report).length) ? 1 : 0;
}

runBenchmark(main, maxSeconds);
