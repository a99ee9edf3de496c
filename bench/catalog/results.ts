/**
 * The catalog benchmark's JSON document (bench/results/catalog.json): the
 * run, machine and parameters, the operations measured, Hive Gateway's
 * version (or why it was skipped), the medians and derived figures, CPU ms
 * per request, every round, the gateway's profiles, the SQL counts with
 * their text, and the problems and notes.
 */
import { resultHeader, type Machine } from '../runner/results';
import type { CatalogFigures } from './figures';
import type { HiveStatus } from './hive';
import { CATALOG, CATALOG_AFTER, COURSE_PART, ORDER_PART } from './operations';
import { catalogCommand, PAGE, SQL_PAGE_SIZES, type CatalogOptions } from './options';
import type { Measurements } from './rounds';
import type { SqlCount } from './sql-per-request';

export interface CatalogOutcome {
  measurements: Measurements;
  figures: CatalogFigures;
  sql: SqlCount[];
  hive: HiveStatus;
  problems: string[];
}

type CatalogMachine = Machine & { loadAverageAtStart: number[]; loadAverageAtEnd: number[]; postgres: string | null };

export function catalogResults(options: CatalogOptions, startedAt: Date, machine: CatalogMachine, outcome: CatalogOutcome) {
  const { measurements, figures, sql, hive, problems } = outcome;
  return {
    ...resultHeader('catalog', startedAt, catalogCommand(options), machine),
    parameters: {
      courses: options.courses,
      pageSize: PAGE,
      durationSeconds: options.duration,
      connections: options.connections,
      serialRequests: options.serial,
      rounds: options.rounds,
      sqlPageSizes: SQL_PAGE_SIZES,
    },
    operations: { gateway: CATALOG, gatewayDistinctPages: CATALOG_AFTER, courseSubgraph: COURSE_PART, orderSubgraph: ORDER_PART },
    hive:
      'version' in hive
        ? {
            version: hive.version,
            mode: 'one process (--fork 0), NODE_ENV=production, default settings but for propagateHeaders (x-coursegraph-identity to the subgraphs)',
          }
        : hive,
    medians: figures.summary,
    derived: figures.derived,
    cpuMsPerRequest: figures.cpuPerRequest,
    rounds: { load: measurements.loads, serial: measurements.serials },
    gatewayProfiles: measurements.profiles,
    sqlPerRequest: sql,
    ok: problems.length === 0,
    problems,
    notes: figures.notes,
  };
}

export type CatalogResults = ReturnType<typeof catalogResults>;
