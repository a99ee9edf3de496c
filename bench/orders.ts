/**
 * Order throughput: placeOrder through the gateway under closed-loop load
 * (autocannon, C connections), against the same work done as raw SQL on the
 * same PostgreSQL, in two scenarios:
 *
 * - spread: orders spread over 1,000 published courses with ample seats;
 *   baseline: a node `pg` script (C clients) doing the saga's statements,
 *   and the Express in-memory reference.
 * - hot: every order on one course; baseline: pgbench running the locked
 *   reservation transaction on the run's course database.
 *
 * Measurements run ABBA (baseline, stack, stack, baseline) per scenario,
 * medians reported. Each service process's memory is read after start,
 * idle after the warm-up, and after the load. Afterwards it checks the seat invariant and that the
 * course and order databases agree. The parts are in bench/orders/; see
 * bench/README.md, "orders".
 */
import { describeMemory } from './runner/memory';
import { loadAverage, machineInfo, writeResults } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { check } from './orders/checks';
import { ordersChart } from './orders/chart';
import { ordersOptions, SCENARIOS } from './orders/options';
import { ordersConsole, ordersMarkdown } from './orders/report';
import { runScenario, setUp, warmUp } from './orders/scenarios';
import { ordersResults, type Outcome } from './orders/summary';

const options = ordersOptions(process.argv.slice(2));

async function main(run: BenchRun): Promise<number> {
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  const outcome: Outcome = { measurements: [], checks: {}, failure: null, memory: { afterStart: null, idle: null, afterLoad: null } };
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
    for (const scenario of options.only ? [options.only] : SCENARIOS) {
      outcome.measurements.push(...(await runScenario(bench, scenario)));
      outcome.checks[scenario] = await check(bench.courseDb, bench.orderDb);
      run.log(`checks after ${scenario}: ${JSON.stringify(outcome.checks[scenario])}`);
    }
    await memory('afterLoad');
  } catch (error) {
    outcome.failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!run.aborted) run.log(`FAILED: ${outcome.failure}`);
  }
  await run.cleanup();
  if (run.aborted) return 130;

  const results = ordersResults(options, startedAt, machineInfo({ loadAverageAtStart, postgres }), outcome);
  const written = writeResults(options.out, 'orders', { json: results, md: ordersMarkdown(results), svg: ordersChart(results) });
  console.log(ordersConsole(results));
  run.log(`results in ${written.join(', ')}`);
  if (results.problems.length) run.log(`problems:\n  ${results.problems.join('\n  ')}`);
  return results.problems.length ? 1 : 0;
}

runBenchmark(main, options.maxSeconds);
