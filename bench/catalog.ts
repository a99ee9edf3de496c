/**
 * Catalog reads: the first page of the catalog with each course's enrollment
 * count (course subgraph + order subgraph), through the gateway, against the
 * same reads made directly on the subgraphs (the baseline) and through Hive
 * Gateway (a peer gateway on the same supergraph and subgraphs). Then the SQL
 * statements each subgraph runs for one catalog request at page sizes 10, 50
 * and 100, which must not grow with the page size. The parts are in
 * bench/catalog/; see bench/README.md, "catalog".
 *
 *   npm run bench:catalog -- --duration 15 --connections 20
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { findPostgres } from './runner/postgres';
import { loadAverage, machineInfo, writeResults } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { ServiceProcesses } from './runner/services';
import { catalogChart } from './catalog/chart';
import { catalogFigures } from './catalog/figures';
import { hiveForRun, installHive } from './catalog/hive';
import { catalogOptions } from './catalog/options';
import { catalogConsole, catalogMarkdown } from './catalog/report';
import { catalogResults } from './catalog/results';
import { measureTargets } from './catalog/rounds';
import { seed } from './catalog/seed';
import { sqlPerRequest, sqlProblems } from './catalog/sql-per-request';
import { checkTargets, coursegraphTargets, hiveTargets } from './catalog/targets';

const options = catalogOptions(process.argv.slice(2));

async function main(run: BenchRun): Promise<number> {
  const { log } = run;
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  const tempDir = mkdtempSync(join(os.tmpdir(), 'coursegraph-bench-catalog-'));
  run.hold('the temp dir', () => rmSync(tempDir, { recursive: true, force: true }));
  const pg = await findPostgres(log);
  run.hold('PostgreSQL', () => pg.stop());
  // Hive's install runs while the services start (it is IO-bound, and done once).
  const hiveInstall = options.skipHive ? Promise.resolve('skipped (--skip-hive)') : installHive(options.hiveInstallTimeout, log);

  const services = new ServiceProcesses(pg.url, { maxSubscriptionsPerConnection: 20, log });
  const stopServices = run.hold('the services', () => services.stop());
  await services.start();
  const ids = await seed(services.databaseUrls.course!, services.databaseUrls.order!, options.courses, log);
  const { targets, distinctBodies } = await coursegraphTargets(services, ids);
  const { hive, status, stop: stopHive } = await hiveForRun(run, hiveInstall, services.subgraphUrls, tempDir);
  if (hive) targets.push(...hiveTargets(hive, services, targets[0]!, distinctBodies));
  const problems = await checkTargets(targets);

  const measurements = await measureTargets(
    targets,
    options,
    { meters: services.meters, hivePid: hive?.child.pid, profileGateway: options.profile },
    log,
  );
  problems.push(...measurements.problems);
  await stopHive();
  await stopServices();

  log('SQL per request: services again with LOG_SQL=true');
  const sql = await sqlPerRequest(run, pg.url, options.courses);
  problems.push(...sqlProblems(sql));
  await run.cleanup();
  if (run.aborted) return 130;

  const figures = catalogFigures(targets, measurements);
  const machine = machineInfo({ loadAverageAtStart, loadAverageAtEnd: loadAverage(), postgres: pg.kind });
  const results = catalogResults(options, startedAt, machine, { measurements, figures, sql, hive: status, problems });
  const written = writeResults(options.out, 'catalog', {
    json: results,
    md: catalogMarkdown(results, targets, figures),
    svg: catalogChart(results, targets),
  });
  console.log(catalogConsole(results, targets, figures));
  console.log(`\nwrote ${written.join(', ')} (${results.durationSeconds} s)`);
  if ('skipped' in status) console.log(`\nHive Gateway not measured: ${status.skipped}`);
  for (const note of figures.notes) console.log(`note: ${note}`);
  if (problems.length) console.log(`\nFAILED:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return problems.length ? 1 : 0;
}

runBenchmark(main, options.maxSeconds);
