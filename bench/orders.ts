/**
 * Order throughput: placeOrder through the gateway under closed-loop load
 * (autocannon, C connections), against the two-process Express reference
 * (an in-memory order service calling an in-memory course service over
 * HTTP), the one-process one (the upper bound) and the same work done as
 * raw SQL on the same PostgreSQL, in two scenarios:
 *
 * - spread: orders spread over 1,000 published courses with ample seats;
 *   baseline: a node `pg` script (C clients) doing the saga's statements.
 * - hot: every order on one course; baseline: pgbench running the locked
 *   reservation transaction on the run's course database.
 *
 * Measurements run ABBA (the paths, then reversed) per scenario, medians
 * reported. Then the scaling curves (bench/orders/curves.ts; not with
 * --skip-curves): the stack and the references at 1 to 100 connections, and
 * the stack with a second instance of every service. Each service process's
 * memory is read after start, idle after the warm-up, and after the ABBA
 * load. After each phase it checks the seat invariant and that the course
 * and order databases agree. The parts are in bench/orders/; see
 * bench/README.md, "orders".
 */
import { describeMemory } from './runner/memory';
import { loadAverage, machineInfo, writeResults } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { check } from './orders/checks';
import { ordersChart } from './orders/chart';
import { curvesChart } from './orders/curves-chart';
import { runCurves } from './orders/curves';
import { ordersOptions, SCENARIOS } from './orders/options';
import { ordersConsole, ordersMarkdown } from './orders/report';
import { runScenario, setUp, warmUp } from './orders/scenarios';
import { ordersResults, type Outcome } from './orders/summary';

const options = ordersOptions(process.argv.slice(2));

async function main(run: BenchRun): Promise<number> {
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  const outcome: Outcome = { measurements: [], curves: [], checks: {}, failure: null, memory: { afterStart: null, idle: null, afterLoad: null } };
  let postgres: string | null = null;
  try {
    const bench = await setUp(run, options);
    postgres = bench.postgresKind;
    const memory = async (point: keyof Outcome['memory']) => {
      outcome.memory[point] = await bench.services.memory();
      run.log(`memory ${point}: ${describeMemory(outcome.memory[point])}`);
    };
    await memory('afterStart');
    await warmUp(bench);
    await memory('idle');
    const scenarios = options.only ? [options.only] : SCENARIOS;
    const checkAfter = async (phase: string) => {
      outcome.checks[phase] = await check(bench.courseDb, bench.orderDb);
      run.log(`checks after ${phase}: ${JSON.stringify(outcome.checks[phase])}`);
    };
    for (const scenario of scenarios) {
      outcome.measurements.push(...(await runScenario(bench, scenario)));
      await checkAfter(scenario);
    }
    await memory('afterLoad');
    for (const scenario of options.curveConnections.length ? scenarios : []) {
      outcome.curves.push(...(await runCurves(bench, scenario)));
      await checkAfter(`curves ${scenario}`);
    }
  } catch (error) {
    outcome.failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!run.aborted) run.log(`FAILED: ${outcome.failure}`);
  }
  await run.cleanup();
  if (run.aborted) return 130;

  const results = ordersResults(options, startedAt, machineInfo({ loadAverageAtStart, postgres }), outcome);
  const written = writeResults(options.out, 'orders', {
    json: results,
    md: ordersMarkdown(results),
    svg: ordersChart(results),
    charts: options.curveConnections.length ? { curves: curvesChart(results) } : {},
  });
  console.log(ordersConsole(results));
  run.log(`results in ${written.join(', ')}`);
  if (results.problems.length) run.log(`problems:\n  ${results.problems.join('\n  ')}`);
  return results.problems.length ? 1 : 0;
}

runBenchmark(main, options.maxSeconds);
