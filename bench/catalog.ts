/**
 * Catalog reads: the first page of the catalog with each course's enrollment
 * count (course subgraph + order subgraph), through the gateway, against the
 * same reads made directly on the subgraphs (the baseline) and through Hive
 * Gateway (a peer gateway on the same supergraph and subgraphs). Then the SQL
 * statements each subgraph runs for one catalog request at page sizes 10, 50
 * and 100, which must not grow with the page size. Then the search scenario
 * (bench/catalog/search.ts): a search + filter + sort page over a 10,000
 * course catalog against the unfiltered page, its SQL and its plans. The
 * parts are in bench/catalog/; see bench/README.md, "catalog".
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
import { catalogConsole, catalogMarkdown, type CatalogView } from './catalog/report';
import { catalogResults, type CatalogOutcome } from './catalog/results';
import { runSearch } from './catalog/search';
import { measureTargets } from './catalog/rounds';
import { seed } from './catalog/seed';
import { sqlPerRequest, sqlProblems } from './catalog/sql-per-request';
import { checkTargets, coursegraphTargets, hiveTargets } from './catalog/targets';

const options = catalogOptions(process.argv.slice(2));

/** The catalog page part: its services (then SQL-logging ones), Hive Gateway unless skipped, the measurements and SQL counts. */
async function catalogPart(run: BenchRun, pgUrl: string, tempDir: string): Promise<{ outcome: CatalogOutcome; view: CatalogView }> {
  const { log } = run;
  // Hive's install runs while the services start (it is IO-bound, and done once).
  const hiveInstall = options.skipHive ? Promise.resolve('skipped (--skip-hive)') : installHive(options.hiveInstallTimeout, log);
  const services = new ServiceProcesses(pgUrl, { maxSubscriptionsPerConnection: 20, log });
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
  const sql = await sqlPerRequest(run, pgUrl, options.courses);
  problems.push(...sqlProblems(sql));
  const figures = catalogFigures(targets, measurements);
  return { outcome: { measurements, figures, sql, hive: status, problems }, view: { targets, figures } };
}

async function main(run: BenchRun): Promise<number> {
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  const tempDir = mkdtempSync(join(os.tmpdir(), 'coursegraph-bench-catalog-'));
  run.hold('the temp dir', () => rmSync(tempDir, { recursive: true, force: true }));
  const pg = await findPostgres(run.log);
  run.hold('PostgreSQL', () => pg.stop());
  const catalog = options.parts.catalog ? await catalogPart(run, pg.url, tempDir) : null;
  const search = options.parts.search ? await runSearch(run, pg.url, options) : null;
  await run.cleanup();
  if (run.aborted) return 130;

  const machine = machineInfo({ loadAverageAtStart, loadAverageAtEnd: loadAverage(), postgres: pg.kind });
  const results = catalogResults(options, startedAt, machine, { catalog: catalog?.outcome ?? null, search });
  const written = writeResults(options.out, 'catalog', {
    json: results,
    md: catalogMarkdown(results, catalog?.view ?? null),
    ...(results.catalog && catalog ? { svg: catalogChart(results.catalog, catalog.view.targets) } : {}),
  });
  console.log(catalogConsole(results, catalog?.view ?? null));
  console.log(`\nwrote ${written.join(', ')} (${results.durationSeconds} s)`);
  if (results.catalog && 'skipped' in results.catalog.hive) console.log(`\nHive Gateway not measured: ${results.catalog.hive.skipped}`);
  for (const note of results.notes) console.log(`note: ${note}`);
  const { problems } = results;
  if (problems.length) console.log(`\nFAILED:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return problems.length ? 1 : 0;
}

runBenchmark(main, options.maxSeconds);
